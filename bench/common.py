"""What the benchmark scripts share: a database to work in, bulk batch size, and settling statistics."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5000


@contextmanager
def database(*, prefix: str, refuse_if: tuple[str, str]):
    """Yield the database's vendor name, using a temporary SQLite file unless DATABASE_URL says otherwise.

    With DATABASE_URL the generated rows stay behind, so it refuses a database where the model named by
    ``refuse_if`` (app label, model name) already has rows: point it at a throwaway database.
    """
    temporary = None
    if not os.environ.get("DATABASE_URL"):
        handle, temporary = tempfile.mkstemp(prefix=prefix, suffix=".sqlite3")
        os.close(handle)
        os.environ["DATABASE_URL"] = f"sqlite:///{temporary}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    try:
        model = apps.get_model(*refuse_if)
        if model._meta.db_table in connection.introspection.table_names() and model.objects.exists():
            sys.exit(f"This database already holds {model._meta.verbose_name_plural}: use an empty, throwaway one.")
        call_command("migrate", verbosity=0, interactive=False)
        yield connection.vendor
    finally:
        connection.close()
        if temporary:
            Path(temporary).unlink(missing_ok=True)


def settle(connection) -> None:
    """Give the planner statistics and PostgreSQL a visibility map, as autovacuum would have in production."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
