"""The archive's full-text search on SQLite: an FTS5 table beside ``ArchiveEntry``, kept in step by the backend.

Migration 0002 creates ``archive_entry_fts`` (only on SQLite, and only where the FTS5 module is compiled in)
with the porter tokenizer, so "evictions" finds "eviction". Its rowid is the entry's id, so matches join back
to ``ArchiveEntry`` through primary keys alone. Ids are never reused (Django creates SQLite primary keys with
AUTOINCREMENT), so a row deleted without ``remove()`` leaves an orphan that can never match a live entry.

What a visitor types is never handed to FTS5 as query syntax, which would fail on a stray quote or bracket.
``parse_query`` reads it the way PostgreSQL's ``websearch_to_tsquery`` does ("quoted phrases", ``or``,
``-excluded``, English stop words ignored) and ``match_expression`` writes every word back as a quoted FTS5
string, so no input can be a syntax error.
"""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.html import escape

from ..models import ArchiveEntry

TABLE = "archive_entry_fts"
COLUMNS = (
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
BM25_WEIGHTS = "0, 10.0, 4.0, 4.0, 4.0, 4.0, 2.0, 2.0, 0"
"""Per column, as PostgreSQL weighs them: the title (A) over summary, organisation, challenge and themes (B)
over the body and sponsor (C). ``key`` and ``source_modified`` are stored, not searched."""
HIGHLIGHTED = (("summary", 2), ("body", 7), ("challenge_title", 4), ("organisation_name", 3))
OPEN, CLOSE = "\x02", "\x03"
"""Placeholders for <mark> while FTS5 marks the text; the text is HTML-escaped after, then they become tags."""
SENTINELS = re.compile(f"[{OPEN}{CLOSE}]")
SNIPPET_TOKENS = 24
CHUNK = 500
WORD = re.compile(r"[^\W_]+")
TOKEN = re.compile(r'(-?)"([^"]*)"?|(\S+)')
SEPARATORS = re.compile(r"[^\w-]+|_+")
"""Within an unquoted word: a hyphen joins words into a phrase; any other punctuation separates them."""
ENGLISH_STOP_LIST = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers
    herself it its itself they them their theirs themselves what which who whom this that these those am is
    are was were be been being have has had having do does did doing a an the and but if or because as until
    while of at by for with about against between into through during before after above below to from up down
    in out on off over under again further then once here there when where why how all any both each few more
    most other some such no nor not only own same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(ENGLISH_STOP_LIST.split())
"""PostgreSQL's English stop words (Snowball's list): left out of a query, as ``websearch_to_tsquery`` does."""

_available: set[str] = set()


@dataclass
class ParsedQuery:
    """Words to find: every group must match (AND), any phrase within a group will do (OR); no excluded phrase
    may match. A phrase is a tuple of words that must appear together, in order."""

    groups: list[list[tuple[str, ...]]] = field(default_factory=list)
    excluded: list[tuple[str, ...]] = field(default_factory=list)

    @property
    def phrases(self) -> list[tuple[str, ...]]:
        return [phrase for group in self.groups for phrase in group]


def parse_query(text: str) -> ParsedQuery:
    """``websearch_to_tsquery`` semantics: words AND, ``or`` between two words OR, ``-word`` or ``-"a phrase"``
    NOT, ``"a phrase"`` in order, a hyphenated word as a phrase; stop words and other punctuation dropped."""
    parsed = ParsedQuery()
    pending_or = False
    for match in TOKEN.finditer(text):
        dash, quoted, bare = match.groups()
        if bare is not None and bare.lower() == "or":
            pending_or = bool(parsed.groups)
            continue
        if quoted is not None:
            negated, phrases = bool(dash), [_words(quoted)]
        else:
            negated, phrases = bare.startswith("-"), [_words(part) for part in SEPARATORS.split(bare)]
            phrases = [words for words in phrases if not (len(words) == 1 and words[0] in STOP_WORDS)]
        for words in filter(None, phrases):
            if negated:
                parsed.excluded.append(words)
            elif pending_or:
                parsed.groups[-1].append(words)
            else:
                parsed.groups.append([words])
            pending_or = False
        pending_or = False
    return parsed


def _words(text: str) -> tuple[str, ...]:
    return tuple(word.lower() for word in WORD.findall(text))


def _phrase(words: tuple[str, ...]) -> str:
    return '"' + " ".join(words) + '"'


def match_expression(parsed: ParsedQuery) -> str:
    """The FTS5 MATCH string for a query with at least one group: only quoted strings, AND, OR, NOT, brackets."""
    required = " AND ".join("(" + " OR ".join(_phrase(words) for words in group) + ")" for group in parsed.groups)
    if not parsed.excluded:
        return required
    return f"({required}) NOT (" + " OR ".join(_phrase(words) for words in parsed.excluded) + ")"


def _matching_ids(expression: str) -> RawSQL:
    return RawSQL(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [expression])


def available(conn=connection) -> bool:
    """Whether the FTS table exists here (it does not where SQLite lacks FTS5). Remembered once found."""
    name = str(conn.settings_dict["NAME"])
    if name in _available:
        return True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [TABLE])
        if cursor.fetchone():
            _available.add(name)
            return True
    return False


def _clean(text: str) -> str:
    return SENTINELS.sub(" ", text or "")


def _row(entry: ArchiveEntry) -> tuple:
    return (
        entry.pk,
        entry.key,
        _clean(entry.title),
        _clean(entry.summary),
        _clean(entry.organisation_name),
        _clean(entry.challenge_title),
        _clean(" ".join(entry.theme_names or ())),
        _clean(entry.sponsor_name),
        _clean(entry.body),
        entry.source_modified.isoformat(),
    )


INSERT = f"INSERT INTO {TABLE} (rowid, {', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * (len(COLUMNS) + 1))})"
DELETE = f"DELETE FROM {TABLE} WHERE rowid = %s"


def marked_html(text: str) -> str:
    """FTS5's output with the placeholders as <mark>, everything else escaped."""
    return escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


class SqliteFullText:
    """FTS5 MATCH for finding, bm25 with column weights for ranking, highlight()/snippet() for <mark>."""

    name = "sqlite-fts5"
    offers_suggestions = False

    def matching(self, queryset: QuerySet, q: str) -> QuerySet:
        parsed = parse_query(q)
        if not parsed.groups and not parsed.excluded:
            return queryset.none()
        if parsed.groups:
            queryset = queryset.filter(id__in=_matching_ids(match_expression(parsed)))
        else:
            queryset = queryset.exclude(id__in=_matching_ids(match_expression(ParsedQuery([parsed.excluded]))))
        return queryset

    def ranked(self, queryset: QuerySet, q: str, offset: int, limit: int, newest: list[str]) -> list[ArchiveEntry]:
        """One page of ``queryset`` (already narrowed by facets, not yet by words) in bm25 order, ties newest
        first. Ranking needs FTS5's own query, so the facet filters come in as a subquery; CROSS JOIN keeps
        SQLite reading the FTS matches first (the other way round it would run the MATCH once per entry)."""
        parsed = parse_query(q)
        if not parsed.groups:
            return list(self.matching(queryset, q).order_by(*newest)[offset : offset + limit])
        params: list = [match_expression(parsed)]
        narrowed = ""
        if queryset.query.where:
            sql, where_params = queryset.order_by().values("id").query.sql_with_params()
            narrowed = f"AND e.id IN ({sql})"
            params += where_params
        sql = (
            f"SELECT e.id FROM {TABLE} CROSS JOIN {ArchiveEntry._meta.db_table} e ON e.id = {TABLE}.rowid "
            f"WHERE {TABLE} MATCH %s {narrowed} "
            f"ORDER BY bm25({TABLE}, {BM25_WEIGHTS}), e.date DESC, e.key LIMIT %s OFFSET %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, limit, offset])
            ids = [row[0] for row in cursor.fetchall()]
        rows = queryset.model.objects.defer("body").in_bulk(ids)
        return [rows[pk] for pk in ids if pk in rows]

    def highlights(self, entries: list[ArchiveEntry], q: str) -> dict[int, tuple[str, ...]]:
        parsed = parse_query(q)
        if not parsed.groups or not entries:
            return {}
        columns = ", ".join(
            f"snippet({TABLE}, {column}, %s, %s, '…', {SNIPPET_TOKENS})"
            if name == "body"
            else f"highlight({TABLE}, {column}, %s, %s)"
            for name, column in HIGHLIGHTED
        )
        ids = [entry.pk for entry in entries]
        sql = (
            f"SELECT rowid, {columns} FROM {TABLE} WHERE {TABLE} MATCH %s AND rowid IN ({', '.join(['%s'] * len(ids))})"
        )
        params = [OPEN, CLOSE] * len(HIGHLIGHTED) + [match_expression(parsed), *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            found = cursor.fetchall()
        return {row[0]: tuple(marked_html(text) for text in row[1:] if text and OPEN in text) for row in found}

    def suggestion(self, q: str) -> str:
        return ""

    def index(self, entries: Iterable[ArchiveEntry]) -> None:
        rows = [_row(entry) for entry in entries if entry.pk is not None]
        if not rows:
            return
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(DELETE, [(row[0],) for row in rows])
            cursor.executemany(INSERT, rows)

    def remove(self, keys: list[str]) -> None:
        """By key, because the entries' rows are usually gone by now. ``key`` is stored, not indexed, so this
        reads the table once per call: fine for what unpublishing and deleting remove."""
        keys = sorted(set(keys))
        with connection.cursor() as cursor:
            for start in range(0, len(keys), CHUNK):
                chunk = keys[start : start + CHUNK]
                cursor.execute(f"DELETE FROM {TABLE} WHERE key IN ({', '.join(['%s'] * len(chunk))})", chunk)

    def rebuild(self, entries: Iterable[ArchiveEntry], progress: Callable[[int], None]) -> int:
        """Refill the table in one transaction: other connections go on reading the old content until it commits,
        so a search never sees a half-built index."""
        done = 0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            batch = []
            for entry in entries:
                batch.append(_row(entry))
                if len(batch) == CHUNK:
                    cursor.executemany(INSERT, batch)
                    done += len(batch)
                    batch = []
                    progress(done)
            if batch:
                cursor.executemany(INSERT, batch)
                done += len(batch)
            cursor.execute(f"INSERT INTO {TABLE} ({TABLE}) VALUES ('optimize')")
        progress(done)
        return done

    def indexed_versions(self) -> dict[str, datetime]:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT key, source_modified FROM {TABLE} ORDER BY rowid")
            return {key: datetime.fromisoformat(modified) for key, modified in cursor.fetchall()}
