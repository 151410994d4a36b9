"""Full-text search for the archive, on whichever database this is.

PostgreSQL: a stored generated column ``search_document`` (the weighted ``tsvector`` that
``archive.backends.postgres_fts`` searches and ranks by) with a GIN index, and, where the extension may be
installed, ``pg_trgm`` with a trigram index on the titles for "did you mean" and the search box's suggestions.
The column is not on the model, since SQLite has no such column; PostgreSQL fills it on every write.
SQLite: the FTS5 table the database backend keeps in step (``archive.backends.sqlite_fts``), filled from any
existing entries; on a SQLite built without FTS5 nothing is created and the backend falls back to substring
matching. Other databases get nothing.
"""

from django.db import DatabaseError, OperationalError, migrations, transaction

TABLE = "archive_archiveentry"
DOCUMENT_COLUMN = "search_document"
SEARCH_INDEX = "archive_entry_search"
TITLE_TRIGRAM_INDEX = "archive_entry_title_trgm"
FTS_TABLE = "archive_entry_fts"
FTS_COLUMNS = (
    "key",
    "title",
    "summary",
    "organisation_name",
    "challenge_title",
    "theme_names",
    "sponsor_name",
    "body",
    "source_modified",
)
DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        coalesce(summary, '') || ' ' || coalesce(organisation_name, '') || ' ' || coalesce(challenge_title, '')
        || ' ' || coalesce(theme_names::text, '')), 'B')
    || setweight(to_tsvector('english'::regconfig, coalesce(body, '') || ' ' || coalesce(sponsor_name, '')), 'C')
"""


def create_postgres(apps, schema_editor):
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN {DOCUMENT_COLUMN} tsvector GENERATED ALWAYS AS ({DOCUMENT}) STORED"
    )
    schema_editor.execute(f"CREATE INDEX {SEARCH_INDEX} ON {TABLE} USING gin ({DOCUMENT_COLUMN})")
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return  # not allowed to install it here: search works, without "did you mean"
    schema_editor.execute(
        f"CREATE INDEX {TITLE_TRIGRAM_INDEX} ON {TABLE} USING gin ((UPPER(title::text)) gin_trgm_ops)"
    )


def drop_postgres(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {TITLE_TRIGRAM_INDEX}")
    schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {DOCUMENT_COLUMN}")


def create_sqlite(apps, schema_editor):
    columns = ", ".join(f"{name} UNINDEXED" if name in ("key", "source_modified") else name for name in FTS_COLUMNS)
    tokenize = "porter unicode61 remove_diacritics 2"
    with schema_editor.connection.cursor() as cursor:
        try:
            cursor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, tokenize = '{tokenize}')")
        except OperationalError:
            return  # no FTS5 in this SQLite: the backend searches with LIKE instead
        rows = [
            (
                entry.pk,
                entry.key,
                entry.title,
                entry.summary,
                entry.organisation_name,
                entry.challenge_title,
                " ".join(entry.theme_names or ()),
                entry.sponsor_name,
                entry.body,
                entry.source_modified.isoformat(),
            )
            for entry in apps.get_model("archive", "ArchiveEntry").objects.iterator()
        ]
        placeholders = ", ".join(["%s"] * (len(FTS_COLUMNS) + 1))
        cursor.executemany(f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(FTS_COLUMNS)}) VALUES ({placeholders})", rows)


def drop_sqlite(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        create_postgres(apps, schema_editor)
    elif vendor == "sqlite":
        create_sqlite(apps, schema_editor)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        drop_postgres(apps, schema_editor)
    elif vendor == "sqlite":
        drop_sqlite(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0001_entries"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
