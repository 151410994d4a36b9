from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    """Hashed, compressed static files, with ES-module imports rewritten to the hashed names too,
    so site.js's import of GOV.UK Frontend can be cached forever like everything else."""

    support_js_module_import_aggregation = True
