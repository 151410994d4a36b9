"""The archive's search generation: a number that changes with every write to what a search reads, and the
search results kept under it.

Database triggers (``install``, migration 0006) give ``SearchGeneration.value`` a new random value whenever
``archive_archiveentry`` or its themes change, by any route (``save()``, bulk inserts, a queryset's ``update()`` or
``delete()``, a cascade), in the writing statement's transaction: a search that reads the generation first and then
the entries can never store what it found under a generation that the entries have moved past. SQLite's FTS5 table
is written beside the entries (a virtual table takes no trigger), so the text index's own writers call ``bump``.

``kept(key, compute)`` keeps a search's expensive part (counts and the ranked page's ids, a few KB) in the shared
cache (Redis in production, so one worker's work serves every worker) under the generation: a broad word such as
"council" reads its 50,000 matches once per change of the archive, not once per visitor. Nothing is kept when
``KEPT_RESULTS`` is off, when the cache cannot be reached, or when the generation row is missing.
"""

import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection as default_connection

from .models import SearchGeneration
from .triggers import run_for_vendor

logger = logging.getLogger(__name__)

ENTRIES = "archive_archiveentry"
THEMES = "archive_archiveentry_themes"
TABLE = SearchGeneration._meta.db_table
ROW = 1
KEEP_SECONDS = 6 * 60 * 60
"""A kept result also expires, so results for a generation long gone leave the cache on their own."""

_BUMP = f"UPDATE {TABLE} SET value = %s WHERE id = {ROW}"
POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION archive_search_generation_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE {TABLE} SET value = (random() * 9e18)::bigint WHERE id = {ROW};
    RETURN NULL;
END $$
"""
POSTGRES_TRIGGERS = tuple(
    f"CREATE TRIGGER archive_search_generation AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {table} "
    "FOR EACH STATEMENT EXECUTE FUNCTION archive_search_generation_bump()"
    for table in (ENTRIES, THEMES)
)
POSTGRES_DROP = (
    *(f"DROP TRIGGER IF EXISTS archive_search_generation ON {table}" for table in (ENTRIES, THEMES)),
    "DROP FUNCTION IF EXISTS archive_search_generation_bump()",
)
SQLITE_TRIGGERS = tuple(
    f"CREATE TRIGGER archive_search_generation_{name}_{event} AFTER {event.upper()} ON {table} "
    f"BEGIN UPDATE {TABLE} SET value = random() WHERE id = {ROW}; END"
    for name, table in (("entries", ENTRIES), ("themes", THEMES))
    for event in ("insert", "update", "delete")
)
SQLITE_DROP = tuple(
    f"DROP TRIGGER IF EXISTS archive_search_generation_{name}_{event}"
    for name in ("entries", "themes")
    for event in ("insert", "update", "delete")
)


def install(connection=default_connection) -> None:
    """Create (or re-create) the triggers and the one row."""
    uninstall(connection)
    statements = {"postgresql": (POSTGRES_FUNCTION, *POSTGRES_TRIGGERS), "sqlite": SQLITE_TRIGGERS}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {TABLE}")
        cursor.execute(f"INSERT INTO {TABLE} (id, value) VALUES ({ROW}, 0)")
    run_for_vendor(connection, statements)


def uninstall(connection=default_connection) -> None:
    statements = {"postgresql": POSTGRES_DROP, "sqlite": SQLITE_DROP}
    run_for_vendor(connection, statements)


def current(connection=default_connection) -> int | None:
    """The generation now, or None when its row is missing (a test database flushed; nothing is kept then)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {TABLE} WHERE id = {ROW}")
        row = cursor.fetchone()
    return row[0] if row else None


def bump(connection=default_connection) -> None:
    """A new generation, for writers the triggers cannot see (SQLite's FTS5 table)."""
    import secrets

    with connection.cursor() as cursor:
        cursor.execute(_BUMP, [secrets.randbits(62)])


def kept(parts: tuple, compute: Callable[[], Any]) -> Any:
    """``compute()``, or what it returned for the same ``parts`` since the archive last changed."""
    if not settings.KEPT_RESULTS:
        return compute()
    generation = current()
    if generation is None:
        return compute()
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    key = f"archive:search:{generation}:{digest}"
    try:
        found = cache.get(key)
    except Exception:  # an unreachable cache means working it out, never an error page
        logger.warning("Archive search: the shared cache could not be read", exc_info=True)
        return compute()
    if found is not None:
        return found
    result = compute()
    try:
        cache.set(key, result, KEEP_SECONDS)
    except Exception:  # likewise: the result is still shown
        logger.warning("Archive search: the shared cache could not be written", exc_info=True)
    return result
