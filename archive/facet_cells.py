"""The facet-cell table (``ArchiveFacetCell``) kept exact by the database itself.

Every write to ``archive_archiveentry`` (insert, update, delete, by any route: ``save()``, ``bulk_create``, a
queryset's ``update()`` or ``delete()``, a cascade) moves the counts of the cells it leaves and enters, in the same
statement's transaction, so a committed search never sees counts out of step with the entries. PostgreSQL: one
statement-level trigger per event, reading the statement's transition tables, so a bulk insert of 5,000 entries
makes one upsert of the few cells they fall in. SQLite: row-level triggers (it has no others). An update that
changes no facet column (a title, a summary) touches no cell.

``install`` (migration 0005) creates the triggers. Migration 0005 imports this module: changing the cell columns or
the trigger SQL needs a new migration that calls ``install`` and ``rebuild`` again (and 0005 must still run on an
empty database). ``rebuild`` recounts every cell from the entries, for the
migration's backfill and for repair (``manage.py archive_reindex`` calls it too).
"""

from django.db import connection as default_connection

from .models import FACET_CELL_COLUMNS
from .triggers import run_for_vendor

ENTRIES = "archive_archiveentry"
CELLS = "archive_archivefacetcell"
COLUMNS = ", ".join(FACET_CELL_COLUMNS)
SINGLE = FACET_CELL_COLUMNS[2:]
"""The single-valued facet columns, the same in an entry and its cells."""
UPSERT = f"ON CONFLICT ({COLUMNS}) DO UPDATE SET entries = {CELLS}.entries + excluded.entries"


def _postgres_cells(source: str) -> str:
    """Each entry of ``source`` as its cells: once with theme "", once per theme (slugs and names zipped)."""
    single = ", ".join(f"e.{column}" for column in SINGLE)
    return (
        f"SELECT '' AS theme, '' AS theme_name, {single} FROM {source} e UNION ALL "
        f"SELECT t.slug, coalesce(t.name, ''), {single} FROM {source} e, ROWS FROM "
        "(jsonb_array_elements_text(e.theme_slugs), jsonb_array_elements_text(e.theme_names)) AS t(slug, name) "
        "WHERE t.slug IS NOT NULL"
    )


def _postgres_move(changes: str) -> str:
    """Add each cell's net change to it: upserted when positive; when negative, only to a cell that exists (a cell
    is never created to count less than nothing: a table of cells emptied before its entries, as a test database's
    flush may do, stays empty)."""
    same = " AND ".join(f"k.{column} = m.{column}" for column in FACET_CELL_COLUMNS)
    return (
        f"INSERT INTO {CELLS} ({COLUMNS}, entries) SELECT {COLUMNS}, change FROM "
        f"(SELECT {COLUMNS}, sum(change) AS change FROM ({changes}) d GROUP BY {COLUMNS}) m "
        f"WHERE m.change > 0 OR (m.change < 0 AND EXISTS (SELECT 1 FROM {CELLS} k WHERE {same})) "
        f"ORDER BY {COLUMNS} {UPSERT};"
    )


_ADDED = f"SELECT *, 1 AS change FROM ({_postgres_cells('archive_new_entries')}) n"
_TAKEN = f"SELECT *, -1 AS change FROM ({_postgres_cells('archive_old_entries')}) o"
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION archive_facet_cells_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {_postgres_move(_ADDED)}
    ELSIF TG_OP = 'DELETE' THEN
        {_postgres_move(_TAKEN)}
    ELSE
        {_postgres_move(f"{_ADDED} UNION ALL {_TAKEN}")}
    END IF;
    RETURN NULL;
END $$
"""
"""Cells are upserted in one order, so two transactions moving the same cells lock them in the same order. An
update that moves no entry between cells (a new title) nets to nothing and writes no cell."""
POSTGRES_TRIGGERS = (
    f"CREATE TRIGGER archive_facet_cells_insert AFTER INSERT ON {ENTRIES} REFERENCING NEW TABLE AS "
    "archive_new_entries FOR EACH STATEMENT EXECUTE FUNCTION archive_facet_cells_refresh()",
    f"CREATE TRIGGER archive_facet_cells_delete AFTER DELETE ON {ENTRIES} REFERENCING OLD TABLE AS "
    "archive_old_entries FOR EACH STATEMENT EXECUTE FUNCTION archive_facet_cells_refresh()",
    f"CREATE TRIGGER archive_facet_cells_update AFTER UPDATE ON {ENTRIES} REFERENCING OLD TABLE AS "
    "archive_old_entries NEW TABLE AS archive_new_entries FOR EACH STATEMENT EXECUTE FUNCTION "
    "archive_facet_cells_refresh()",
)
POSTGRES_DROP = (
    *(f"DROP TRIGGER IF EXISTS archive_facet_cells_{event} ON {ENTRIES}" for event in ("insert", "delete", "update")),
    "DROP FUNCTION IF EXISTS archive_facet_cells_refresh()",
)


def _sqlite_upserts(row: str, change: int) -> str:
    """The entry ``row`` (NEW or OLD) added to (1) or taken from (-1) its cells; taken only from cells that exist
    (see ``_postgres_move``). ``WHERE`` before the ON CONFLICT also tells SQLite's parser it is an upsert's."""
    single = ", ".join(f"{row}.{column}" for column in SINGLE)
    name = f"coalesce(json_extract({row}.theme_names, '$[' || t.key || ']'), '')"
    exists = "true"
    if change < 0:
        same = " AND ".join(f"k.{column} = {row}.{column}" for column in SINGLE)
        exists = f"EXISTS (SELECT 1 FROM {CELLS} k WHERE k.theme = c.theme AND k.theme_name = c.theme_name AND {same})"
    return (
        f"INSERT INTO {CELLS} ({COLUMNS}, entries) SELECT c.theme, c.theme_name, {single}, {change} FROM "
        f"(SELECT '' AS theme, '' AS theme_name UNION ALL "
        f"SELECT t.value, {name} FROM json_each({row}.theme_slugs) t) c "
        f"WHERE {exists} {UPSERT};"
    )


_CHANGED = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in (*SINGLE, "theme_slugs", "theme_names"))
SQLITE_TRIGGERS = (
    f"CREATE TRIGGER archive_facet_cells_insert AFTER INSERT ON {ENTRIES} BEGIN {_sqlite_upserts('NEW', 1)} END",
    f"CREATE TRIGGER archive_facet_cells_delete AFTER DELETE ON {ENTRIES} BEGIN {_sqlite_upserts('OLD', -1)} END",
    f"CREATE TRIGGER archive_facet_cells_update AFTER UPDATE ON {ENTRIES} WHEN {_CHANGED} "
    f"BEGIN {_sqlite_upserts('OLD', -1)} {_sqlite_upserts('NEW', 1)} END",
)
SQLITE_DROP = tuple(f"DROP TRIGGER IF EXISTS archive_facet_cells_{event}" for event in ("insert", "delete", "update"))

SQLITE_CELLS = (
    f"SELECT '' AS theme, '' AS theme_name, {', '.join(SINGLE)} FROM {ENTRIES} UNION ALL "
    f"SELECT t.value, coalesce(json_extract(e.theme_names, '$[' || t.key || ']'), ''), "
    f"{', '.join(f'e.{column}' for column in SINGLE)} FROM {ENTRIES} e, json_each(e.theme_slugs) t"
)


def _recount(vendor: str) -> str:
    cells = _postgres_cells(ENTRIES) if vendor == "postgresql" else SQLITE_CELLS
    return f"SELECT {COLUMNS}, count(*) AS entries FROM ({cells}) c GROUP BY {COLUMNS}"


def drifted(connection=default_connection) -> bool:
    """Whether any cell differs from a recount of the entries (one statement, so one consistent snapshot)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return False
    recount = _recount(connection.vendor)
    stored = f"SELECT {COLUMNS}, entries FROM {CELLS} WHERE entries <> 0"
    sql = f"SELECT EXISTS (SELECT * FROM ({recount}) r EXCEPT SELECT * FROM ({stored}) s) OR EXISTS "
    sql += f"(SELECT * FROM ({stored}) s EXCEPT SELECT * FROM ({recount}) r)"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return bool(cursor.fetchone()[0])


def _rebuild_statements(vendor: str) -> tuple[str, ...]:
    return (f"DELETE FROM {CELLS}", f"INSERT INTO {CELLS} ({COLUMNS}, entries) {_recount(vendor)}")


def install(connection=default_connection) -> None:
    """Create (or re-create) the triggers."""
    uninstall(connection)
    statements = {"postgresql": (POSTGRES_FUNCTION, *POSTGRES_TRIGGERS), "sqlite": SQLITE_TRIGGERS}
    run_for_vendor(connection, statements)


def uninstall(connection=default_connection) -> None:
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}
    run_for_vendor(connection, statements)


def rebuild(connection=default_connection) -> None:
    """Recount every cell from the entries (the triggers keep them exact from then on). Run it in the transaction
    that wrote the entries, or when nothing else writes them: an entry written meanwhile by another transaction
    would count twice or not at all."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {ENTRIES} IN SHARE MODE")
        for statement in _rebuild_statements(connection.vendor):
            cursor.execute(statement)
