"""What keeps a database search fast at 100,000 entries (bench/archive_search.py).

Every search reads the facet columns of every matching row, and ranks every match. On PostgreSQL a row used to
keep about 2 KB inline (the body and the full ``search_document`` sat in the heap until the row passed 2 KB),
so counting facets over 30,000 matches meant reading most of a 200 MB table, and ranking meant decompressing
30,000 big vectors. So, on PostgreSQL only:

- ``rank_document``: a small stored vector of what relevance is judged on, the title (weight A) and the
  challenge title, organisation and theme names (B), kept inline (storage MAIN). The big ``search_document``
  still decides what matches, through its GIN index; it is no longer read to rank.
- ``toast_tuple_target = 256`` with the large columns (body, summary, search_document) left to TOAST, and the
  small columns a search reads marked MAIN, so a row that passes 2 KB is cut down to a few hundred bytes of
  what searches read: the table the facet counts scan shrinks by about four times and fits in shared buffers.
  Existing rows are rewritten once (the new column rewrites the table) so they take the new layout.

Everywhere: an index on ``date`` for listing newest or oldest first without sorting the whole archive.
"""

from django.db import migrations, models

TABLE = "archive_archiveentry"
RANK_COLUMN = "rank_document"
RANK_DOCUMENT = """
    setweight(to_tsvector('english'::regconfig, coalesce(title, '')), 'A')
    || setweight(to_tsvector('english'::regconfig,
        coalesce(organisation_name, '') || ' ' || coalesce(challenge_title, '') || ' '
        || coalesce(theme_names::text, '')), 'B')
"""
INLINE = (
    "key",
    "kind",
    "title",
    "url",
    "sponsor_slug",
    "sponsor_name",
    "theme_slugs",
    "theme_names",
    "status",
    "status_label",
    "organisation_name",
    "challenge_title",
    RANK_COLUMN,
)
"""Columns every search reads: compressed in place if need be, moved out of the row only as a last resort."""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    actions = [
        "SET (toast_tuple_target = 256)",
        f"ADD COLUMN {RANK_COLUMN} tsvector GENERATED ALWAYS AS ({RANK_DOCUMENT}) STORED",
        *(f"ALTER COLUMN {column} SET STORAGE MAIN" for column in INLINE),
    ]
    schema_editor.execute(f"ALTER TABLE {TABLE} " + ", ".join(actions))


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in INLINE[:-1]:
        schema_editor.execute(f"ALTER TABLE {TABLE} ALTER COLUMN {column} SET STORAGE EXTENDED")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS {RANK_COLUMN}")
    schema_editor.execute(f"ALTER TABLE {TABLE} RESET (toast_tuple_target)")


class Migration(migrations.Migration):
    dependencies = [
        ("archive", "0002_full_text_search"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.AddIndex(
            model_name="archiveentry",
            index=models.Index(fields=["date"], name="archive_arc_date_idx"),
        ),
    ]
