"""The archive searched in the database: the embedded default, and the fallback when Elasticsearch is down.

``ArchiveEntry`` rows are searched where they are. The words go to the database's own full-text search,
PostgreSQL's weighted ``tsvector`` (postgres_fts.py) or SQLite's FTS5 (sqlite_fts.py), and, on a SQLite built
without FTS5, to plain substring matching. Facets are counted over the same rows: each facet under the words
and every *other* facet's filters (disjunctive faceting), so ticking one theme still shows how many results
each other theme would give. The total and all six facets come from one query. Without words, from the facet
cells (cell_counts.py): a few thousand rows counting the entries per combination of facet values, kept exact by
triggers (archive/facet_cells.py), so listing or filtering the archive never reads every entry (two themes chosen
at once is the exception: then the entries are counted). With words, from the matching entries
(``facet_counts``): each carries a 0/1 flag per chosen filter, and each facet sums the product of the other
facets' flags.
A search takes the same few queries whatever the size of the archive: the counts, a page, its highlights, and,
when nothing matched, a spelling check.
"""

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField, Case, F, Func, IntegerField, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Cast
from django.utils.html import escape

from .. import facet_cells, generation
from ..models import ArchiveEntry, ArchiveFacetCell, EntryKind
from ..search import FACETS, MAX_QUERY_LENGTH, PER_PAGE, FacetValue, Hit, SearchPage, SearchRequest
from . import sqlite_fts
from .cell_counts import FACET_COLUMNS, cell_rows
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
        elif name == "pilot":
            conditions[name] = Q(pilot_status__in=values)
        elif name == "year":
            conditions[name] = Q(year__in=[int(value) for value in values if YEAR.fullmatch(value)])
        else:
            conditions[name] = ThemeIn(values)
    return conditions


def _values(filters: dict, name: str) -> tuple[str, ...]:
    values = filters.get(name, ())
    return (values,) if isinstance(values, str) else tuple(str(value) for value in values)


def _weights(conditions: dict) -> dict[str, str]:
    """For each facet (and "" for the total), the SQL that is 1 for a row the facet counts, else 0: the row
    passes every *other* facet's filter. Each filter is a 0/1 column ``f_<facet>`` of the matching rows."""
    weights = {}
    for name in (*FACETS, ""):
        flags = [f"f_{other}" for other in conditions if other != name]
        weights[name] = " * ".join(flags) or "1"
    return weights


def _flagged(matched: QuerySet, conditions: dict, rank=None) -> tuple[str, list]:
    """The matching rows' facet columns and one 0/1 flag per chosen filter. Rows failing two filters or more
    count nowhere, so they are left out here already. On PostgreSQL only the facet values are read, the themes as
    one text (grouping by labels and jsonb columns was most of the time; labels come from the facet cells); with a
    ``rank`` expression, each row's id, rank, date and key too, to choose a page of hits from the same rows."""
    flags = {
        f"f_{name}": Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        for name, condition in conditions.items()
    }
    rows = matched.order_by().annotate(**flags)
    if len(flags) > 1:
        passes = sum((F(flag) for flag in flags), Value(0))
        rows = rows.alias(passes=passes).filter(passes__gte=len(flags) - 1)
    if connection.vendor != "postgresql":
        columns = sorted({column for pair in FACET_COLUMNS.values() for column in pair})
        return rows.values(*columns, "theme_slugs", "theme_names", *flags).query.sql_with_params()
    columns = [value for value, _ in FACET_COLUMNS.values()]
    rows = rows.annotate(theme_set=Cast("theme_slugs", TextField()))
    if rank is not None:
        rows = rows.annotate(rank=rank)
        columns += ["id", "date", "key", "rank"]
    return rows.values(*columns, "theme_set", *flags).query.sql_with_params()


CELLS = ArchiveFacetCell._meta.db_table


def _cell_label(label: str, where: str) -> str:
    """The label the facet cells give a value (the commonest, should entries disagree after a rename)."""
    return f"(SELECT f.{label} FROM {CELLS} f WHERE {where} AND f.entries > 0 ORDER BY f.entries DESC LIMIT 1)"


def _postgres_counts(entries: str, weights: dict[str, str], page: tuple[int, int] | None = None) -> str:
    """Every facet in one statement. The matching rows are first summed per combination of facet values (one
    hash over five plain columns and the themes as text, far fewer combinations than rows, kept once as a CTE);
    each single-valued facet then sums those by its own value, and the theme facet sums them per set of themes
    before spreading each set into its themes. Labels are looked up in the facet cells, once per value shown.
    With a ``page`` (offset, limit), the same matching rows, read once, also give that page of hits by relevance:
    ("hit", id, NULL, position) rows."""
    names = [*FACET_COLUMNS, "", "theme"]
    distinct = list(dict.fromkeys(weights[name] for name in names))
    column = {name: f"s{distinct.index(weights[name])}" for name in names}
    keys = "kind, sponsor_slug, status, year, pilot_status, theme_set"
    sums = ", ".join(f"SUM({weight}) AS s{number}" for number, weight in enumerate(distinct))
    branches = []
    for name, (value, label) in FACET_COLUMNS.items():
        shown = "CAST(g.v AS text)" if value == label else _cell_label(label, f"f.theme = '' AND f.{value} = g.v")
        branches.append(
            f"SELECT '{name}', CAST(g.v AS text), {shown}, g.n "
            f"FROM (SELECT c.{value} AS v, SUM(c.{column[name]}) AS n FROM c GROUP BY c.{value}) g"
        )
    branches.append(
        f"SELECT 'theme', t.slug, {_cell_label('theme_name', 'f.theme = t.slug')}, SUM(x.n) "
        f"FROM (SELECT c.theme_set, SUM(c.{column['theme']}) AS n FROM c GROUP BY c.theme_set) x, "
        "jsonb_array_elements_text(CAST(x.theme_set AS jsonb)) AS t(slug) GROUP BY t.slug"
    )
    branches.append(f"SELECT '', NULL, NULL, SUM(c.{column['']}) FROM c")
    if page is None:
        combinations = f"SELECT {keys}, {sums} FROM ({entries}) e GROUP BY {keys}"
        return f"WITH c AS MATERIALIZED ({combinations}) " + " UNION ALL ".join(branches)
    offset, limit = (int(number) for number in page)
    order = "rank DESC, date DESC, key"
    branches.append(
        f"SELECT 'hit', CAST(h.id AS text), NULL, row_number() OVER (ORDER BY h.{order.replace(', ', ', h.')}) "
        f"FROM (SELECT id, rank, date, key FROM m WHERE ({weights['']}) = 1 ORDER BY {order} "
        f"LIMIT {limit} OFFSET {offset}) h"
    )
    combinations = f"SELECT {keys}, {sums} FROM m e GROUP BY {keys}"
    return f"WITH m AS MATERIALIZED ({entries}), c AS MATERIALIZED ({combinations}) " + " UNION ALL ".join(branches)


def _sqlite_counts(entries: str, weights: dict[str, str]) -> str:
    """SQLite has no GROUPING SETS: one branch per facet over the same matching rows, in one statement."""
    branches = [
        f"SELECT '{name}', e.{value}, e.{label}, SUM({weights[name]}) FROM e GROUP BY e.{value}, e.{label}"
        for name, (value, label) in FACET_COLUMNS.items()
    ]
    theme_name = "json_extract(e.theme_names, '$[' || t.key || ']')"
    branches.append(
        f"SELECT 'theme', t.value, {theme_name}, SUM({weights['theme']}) FROM e JOIN json_each(e.theme_slugs) t "
        f"GROUP BY t.value, {theme_name}"
    )
    branches.append(f"SELECT '', NULL, NULL, SUM({weights['']}) FROM e")
    return f"WITH e AS ({entries}) " + " UNION ALL ".join(branches)


def _rows(matched: QuerySet, conditions: dict):
    """(facet, value, label, count) for every value of every facet, and ("", None, None, total)."""
    try:
        entries, params = _flagged(matched, conditions)
    except EmptyResultSet:
        return
    weights = _weights(conditions)
    counts = _postgres_counts if connection.vendor == "postgresql" else _sqlite_counts
    with connection.cursor() as cursor:
        cursor.execute(counts(entries, weights), params)
        yield from cursor.fetchall()


def counts_and_ranked_page(matched: QuerySet, conditions: dict, rank, offset: int, limit: int):
    """PostgreSQL: the total, the facet counts and the ids of one page of hits by relevance (``rank``, then newest),
    from one reading of the matching rows (reading a broad word's 30,000 matches is most of a search's time)."""
    try:
        entries, params = _flagged(matched, conditions, rank=rank)
    except EmptyResultSet:
        return merged_counts([]), []
    with connection.cursor() as cursor:
        cursor.execute(_postgres_counts(entries, _weights(conditions), (offset, limit)), params)
        rows = cursor.fetchall()
    hits = sorted((position, int(value)) for name, value, _, position in rows if name == "hit")
    return merged_counts(row for row in rows if row[0] != "hit"), [pk for _, pk in hits]


def facet_counts(matched: QuerySet, conditions: dict) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The total under every filter, and each facet's values counted under the words and the *other* facets'
    filters, all in one query whatever the size of the archive."""
    return merged_counts(_rows(matched, conditions))


def merged_counts(rows) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """The total and each facet's (value, label, count) from (facet, value, label, count) rows. Values are merged
    by their value, keeping the first label (an entry written before a sponsor or theme was renamed still counts
    once)."""
    total, merged = 0, {name: {} for name in FACETS}
    labels = dict(EntryKind.choices)
    for name, value, label, count in rows:
        if not name:
            total = int(count or 0)
        elif value is not None and value != "" and count:
            key = str(value)
            text = labels.get(key, key) if name == "kind" else str(label or key)
            previous = merged[name].get(key)
            merged[name][key] = (previous[0], previous[1] + int(count)) if previous else (text, int(count))
    return total, {name: [(key, text, n) for key, (text, n) in values.items()] for name, values in merged.items()}


def blank_counts(chosen: dict, conditions: dict) -> tuple[int, dict[str, list[tuple[str, str, int]]]]:
    """A search without words: everything from the facet cells, except with two themes or more chosen. Then the
    total and the other facets count the entries having any of those themes (only they pass the theme filter),
    and the theme facet still comes from the cells (under the other filters), so only those entries are read."""
    cells = cell_rows(chosen, conditions)
    if cells is not None:
        return merged_counts(cells)
    others = {name: condition for name, condition in conditions.items() if name != "theme"}
    total, counts = facet_counts(ArchiveEntry.objects.filter(conditions["theme"]), others)
    counts["theme"] = merged_counts(cell_rows({**chosen, "theme": ()}, others))[1]["theme"]
    return total, counts


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
        pilot_status=entry.pilot_status,
        pilot_status_label=entry.pilot_status_label,
    )


PLANNER_SETTINGS = (
    "SELECT set_config('jit', 'off', true), set_config('enable_seqscan', CASE WHEN %s THEN 'off' ELSE 'on' END, true), "
    "set_config('work_mem', '32MB', true)"
)
"""What PostgreSQL's planner cannot see, set for the search's transaction only. JIT off: the planner guesses
100 themes per entry (any set-returning function's default), prices the facet query high enough to compile
it, and compiling took 0.3 to 1.3 s for a query that runs in milliseconds. With words, no sequential scan: the
planner does not count the cost of decompressing each row's ``search_document`` to test it (about 2 KB, kept
out of the row), so once the table is narrow it prefers reading all of it to the GIN index, and takes a second
instead of milliseconds. ``work_mem`` 32 MB: the facet counts of a broad query hash some 20,000 combinations of
facet values, which spill to disk under the default 4 MB."""


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
        """One read-only transaction, so PostgreSQL's planner can be corrected for it alone (``PLANNER_SETTINGS``)."""
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(PLANNER_SETTINGS, [bool(clean_query(request.q))])
            return self._search(request)

    def _search(self, request: SearchRequest) -> SearchPage:
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
        by_relevance = bool(q) and request.sort not in ORDERINGS

        def counted():
            if by_relevance and hasattr(engine, "rank"):
                (total, counts), ids = counts_and_ranked_page(matched, conditions, engine.rank(q), offset, per_page)
                return total, counts, ids
            if q:
                return *facet_counts(matched, conditions), None
            return *blank_counts(chosen, conditions), None

        # The counts (and, by relevance, the page's ids) are what reads many rows: kept until the archive changes.
        asked = (engine.name, q, by_relevance, offset, per_page, tuple((name, tuple(chosen[name])) for name in FACETS))
        total, counts, ranked_ids = generation.kept(asked, counted)
        facets = {name: _facet_values(name, counts[name], chosen[name]) for name in FACETS}

        entries: list[ArchiveEntry] = []
        if ranked_ids:
            rows = ArchiveEntry.objects.defer("body").in_bulk(ranked_ids)
            entries = [rows[pk] for pk in ranked_ids if pk in rows]
        elif ranked_ids is not None:
            pass
        elif offset < total and by_relevance:
            narrowed = everything.filter(*conditions.values())
            entries = engine.ranked(narrowed, q, offset, per_page, ORDERINGS["newest"])
        elif offset < total:
            ordering = ORDERINGS.get(request.sort, ORDERINGS["newest"])
            entries = list(filtered.defer("body").order_by(*ordering)[offset : offset + per_page])
        highlights = engine.highlights(entries, q) if q and entries else {}

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
        generation.bump()

    def remove(self, keys: list[str]) -> None:
        self.engine.remove(list(keys))
        generation.bump()

    def rebuild(self, entries: Iterable[ArchiveEntry], *, total: int, progress: Callable[[int], None]) -> int:
        """The text index rebuilt, and the facet cells recounted (the triggers keep them exact; this repairs them
        should anything have bypassed the triggers)."""
        indexed = self.engine.rebuild(entries, progress)
        with transaction.atomic():
            facet_cells.rebuild()
            generation.bump()
        return indexed

    def indexed_versions(self) -> dict[str, datetime]:
        return self.engine.indexed_versions()
