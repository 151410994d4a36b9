"""The archive searched in the database: the embedded default, and the fallback when Elasticsearch is down.

``ArchiveEntry`` rows are searched where they are. The words go to the database's own full-text search,
PostgreSQL's weighted ``tsvector`` (postgres_fts.py) or SQLite's FTS5 (sqlite_fts.py), and, on a SQLite built
without FTS5, to plain substring matching. Facets are aggregate queries over the same rows: each facet is
counted under the words and every *other* facet's filters (disjunctive faceting), so ticking one theme still
shows how many results each other theme would give. A search takes the same few queries whatever the size of
the archive: a count, a page, its highlights, one per facet, and, when nothing matched, a spelling check.
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BooleanField, Case, Count, F, Func, Q, QuerySet, Value, When
from django.utils.html import escape

from ..models import ArchiveEntry, EntryKind
from ..search import FACETS, MAX_QUERY_LENGTH, PER_PAGE, FacetValue, Hit, SearchPage, SearchRequest
from . import sqlite_fts
from .postgres_fts import PostgresFullText, SearchedInPlace
from .sqlite_fts import SqliteFullText, parse_query

ORDERINGS = {"newest": ["-date", "key"], "oldest": ["date", "key"]}
MAX_PER_PAGE = 100
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
YEAR = re.compile(r"[0-9]{1,4}")


def clean_query(text: str) -> str:
    """Any text as a query: cut to ``MAX_QUERY_LENGTH`` (as Elasticsearch's backend cuts it), control
    characters (NUL included, which PostgreSQL refuses) as spaces, whitespace collapsed."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", (text or "").strip()[:MAX_QUERY_LENGTH]).split())


class ContainsText(SearchedInPlace):
    """Substring matching, for a SQLite built without FTS5: the same query language, no stemming or ranking."""

    name = "contains"
    offers_suggestions = False
    searched = ("title", "summary", "organisation_name", "challenge_title", "sponsor_name", "body")

    def matching(self, queryset: QuerySet, q: str) -> QuerySet:
        parsed = parse_query(q)
        if not parsed.groups and not parsed.excluded:
            return queryset.none()
        condition = Q()
        for group in parsed.groups:
            condition &= _any(self._phrase(words) for words in group)
        for words in parsed.excluded:
            condition &= ~self._phrase(words)
        return queryset.filter(condition)

    def _phrase(self, words: tuple[str, ...]) -> Q:
        return _any(Q(**{f"{name}__icontains": " ".join(words)}) for name in self.searched)

    def ranked(self, queryset: QuerySet, q: str, offset: int, limit: int, newest: list[str]) -> list[ArchiveEntry]:
        return list(self.matching(queryset, q).defer("body").order_by(*newest)[offset : offset + limit])

    def highlights(self, entries: list[ArchiveEntry], q: str) -> dict[int, tuple[str, ...]]:
        phrases = [" ".join(words) for words in parse_query(q).phrases]
        found = {}
        for entry in entries:
            fragments = [mark_phrases(getattr(entry, name), phrases) for name in ("summary", "organisation_name")]
            found[entry.pk] = tuple(fragment for fragment in fragments if "<mark>" in fragment)
        return found

    def suggestion(self, q: str) -> str:
        return ""


def _any(conditions) -> Q:
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def mark_phrases(text: str, phrases: list[str]) -> str:
    """``text`` escaped, with each case-insensitive occurrence of a phrase in <mark>."""
    if not text or not phrases:
        return escape(text or "")
    pattern = re.compile("|".join(re.escape(phrase) for phrase in sorted(phrases, key=len, reverse=True)), re.I)
    html, last = [], 0
    for match in pattern.finditer(text):
        html += [escape(text[last : match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    html.append(escape(text[last:]))
    return "".join(html)


def text_engine():
    """The full-text search this database offers."""
    if connection.vendor == "postgresql":
        return PostgresFullText()
    if connection.vendor == "sqlite" and sqlite_fts.available():
        return SqliteFullText()
    return ContainsText()


class ThemeIn(Func):
    """The entry has any of these theme slugs (``theme_slugs`` is a JSON list of strings)."""

    output_field = BooleanField()

    def __init__(self, slugs):
        super().__init__(F("theme_slugs"), *[Value(slug) for slug in slugs])

    def as_sql(self, compiler, connection, **extra):
        column, params = compiler.compile(self.source_expressions[0])
        values = [compiler.compile(value) for value in self.source_expressions[1:]]
        placeholders = ", ".join(sql for sql, _ in values)
        params = [*params, *(param for _, value_params in values for param in value_params)]
        if connection.vendor == "postgresql":
            return f"({column} ?| ARRAY[{placeholders}]::text[])", params
        return f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value IN ({placeholders}))", params


def facet_conditions(filters: dict[str, tuple[str, ...]]) -> dict[str, Q | ThemeIn]:
    """One condition per chosen facet: any of its values (OR). A value nothing has simply adds no match, so
    a facet whose only values are unknown matches nothing; the page layer tells the visitor it ignored them."""
    conditions: dict[str, Q | ThemeIn] = {}
    for name in FACETS:
        values = [value for value in _values(filters, name) if value.strip()]
        if not values:
            continue
        if name == "kind":
            conditions[name] = Q(kind__in=values)
        elif name == "sponsor":
            conditions[name] = Q(sponsor_slug__in=values)
        elif name == "status":
            conditions[name] = Q(status__in=values)
        elif name == "year":
            conditions[name] = Q(year__in=[int(value) for value in values if YEAR.fullmatch(value)])
        else:
            conditions[name] = ThemeIn(values)
    return conditions


def _values(filters: dict, name: str) -> tuple[str, ...]:
    values = filters.get(name, ())
    return (values,) if isinstance(values, str) else tuple(str(value) for value in values)


def _grouped(queryset: QuerySet, value: str, label: str | None = None) -> list[tuple[str, str, int]]:
    fields = [value, label] if label else [value]
    merged: dict[str, list] = {}
    for row in queryset.order_by().values_list(*fields).annotate(n=Count("pk")):
        key = str(row[0])
        text = str(row[1]) if label else key
        if key in merged:
            merged[key][1] += row[-1]
        else:
            merged[key] = [text or key, row[-1]]
    return [(key, text, count) for key, (text, count) in merged.items()]


THEME_COUNTS = {
    "postgresql": (
        "SELECT t.slug, MIN(t.name), COUNT(*) FROM ({entries}) e CROSS JOIN LATERAL "
        "ROWS FROM (jsonb_array_elements_text(e.theme_slugs), jsonb_array_elements_text(e.theme_names)) "
        "AS t(slug, name) GROUP BY t.slug"
    ),
    "sqlite": (
        "SELECT t.value, MIN(json_extract(e.theme_names, '$[' || t.key || ']')), COUNT(*) "
        "FROM ({entries}) e, json_each(e.theme_slugs) t GROUP BY t.value"
    ),
}
"""Each entry's themes, slug beside name, counted across the entries the rest of the search selects."""


def _theme_counts(queryset: QuerySet) -> list[tuple[str, str, int]]:
    """Themes counted by expanding each entry's ``theme_slugs`` in the database: one query, labels included."""
    try:
        entries, params = queryset.order_by().values("theme_slugs", "theme_names").query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(THEME_COUNTS[connection.vendor].format(entries=entries), params)
        return [(str(slug), str(name or slug), count) for slug, name, count in cursor.fetchall()]


def _counts(name: str, queryset: QuerySet) -> list[tuple[str, str, int]]:
    if name == "kind":
        labels = dict(EntryKind.choices)
        return [(value, labels.get(value, value), count) for value, _, count in _grouped(queryset, "kind")]
    if name == "sponsor":
        return _grouped(queryset, "sponsor_slug", "sponsor_name")
    if name == "status":
        return _grouped(queryset, "status", "status_label")
    if name == "year":
        return _grouped(queryset, "year")
    return _theme_counts(queryset)


def _facet_values(name: str, counts: list[tuple[str, str, int]], chosen: tuple[str, ...]) -> list[FacetValue]:
    values = [FacetValue(value, label, count, value in chosen) for value, label, count in counts if count]
    if name == "year":
        return sorted(values, key=lambda item: int(item.value), reverse=True)
    return sorted(values, key=lambda item: (-item.count, item.label.lower(), item.value))


def _hit(entry: ArchiveEntry, highlights: tuple[str, ...]) -> Hit:
    return Hit(
        key=entry.key,
        kind=entry.kind,
        title=entry.title,
        url=entry.url,
        summary=entry.summary,
        challenge_title=entry.challenge_title,
        sponsor_name=entry.sponsor_name,
        organisation_name=entry.organisation_name,
        theme_names=tuple(entry.theme_names or ()),
        year=entry.year,
        status=entry.status,
        status_label=entry.status_label,
        date=entry.date,
        highlights=highlights,
    )


class DatabaseBackend:
    name = "database"

    @property
    def engine(self):
        return text_engine()

    @property
    def offers_suggestions(self) -> bool:
        """Whether "did you mean" can be offered here: on PostgreSQL with ``pg_trgm``."""
        return bool(self.engine.offers_suggestions)

    def search(self, request: SearchRequest) -> SearchPage:
        engine = self.engine
        q = clean_query(request.q)
        per_page = min(max(1, int(request.per_page or PER_PAGE)), MAX_PER_PAGE)
        page = max(1, int(request.page or 1))
        offset = (page - 1) * per_page
        chosen = {name: _values(request.filters, name) for name in FACETS}
        conditions = facet_conditions(request.filters)

        everything = ArchiveEntry.objects.all()
        matched = engine.matching(everything, q) if q else everything
        filtered = matched.filter(*conditions.values())
        total = filtered.count()

        entries: list[ArchiveEntry] = []
        if offset < total and q and request.sort not in ORDERINGS:
            narrowed = everything.filter(*conditions.values())
            entries = engine.ranked(narrowed, q, offset, per_page, ORDERINGS["newest"])
        elif offset < total:
            ordering = ORDERINGS.get(request.sort, ORDERINGS["newest"])
            entries = list(filtered.defer("body").order_by(*ordering)[offset : offset + per_page])
        highlights = engine.highlights(entries, q) if q and entries else {}

        facets = {}
        for name in FACETS:
            others = [condition for other, condition in conditions.items() if other != name]
            facets[name] = _facet_values(name, _counts(name, matched.filter(*others)), chosen[name])

        suggestion = ""
        if q and not total and (not conditions or not matched.exists()):
            suggestion = engine.suggestion(q)
        return SearchPage(
            hits=[_hit(entry, highlights.get(entry.pk, ())) for entry in entries],
            total=total,
            page=page,
            per_page=per_page,
            facets=facets,
            suggestion=suggestion,
            backend=self.name,
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        """Titles starting with what was typed, then titles containing it, each once."""
        prefix = clean_query(prefix)
        if not prefix or limit < 1:
            return []
        starts_first = Case(When(title__istartswith=prefix, then=Value(0)), default=Value(1))
        titles = (
            ArchiveEntry.objects.filter(title__icontains=prefix)
            .annotate(starts_first=starts_first)
            .order_by("starts_first", "title")
            .values_list("title", flat=True)
            .distinct()
        )
        return list(titles[:limit])

    def index(self, entries: list[ArchiveEntry]) -> None:
        self.engine.index(entries)

    def remove(self, keys: list[str]) -> None:
        self.engine.remove(list(keys))

    def rebuild(self, entries: Iterable[ArchiveEntry], *, total: int, progress: Callable[[int], None]) -> int:
        return self.engine.rebuild(entries, progress)

    def indexed_versions(self) -> dict[str, datetime]:
        return self.engine.indexed_versions()
