"""Site-wide helpers any app may use: how dates read, the one form-error helper, the one pagination builder, and
how a service hands work to a Celery task. Not a Django app: no models, no templates of its own."""
