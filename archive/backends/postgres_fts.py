"""The archive's full-text search on PostgreSQL: weighted ``tsvector`` search over ``ArchiveEntry`` itself.

Migration 0002 gives the table, on PostgreSQL only, a stored generated column ``search_document``: title
(weight A), summary, organisation, challenge title and theme names (B), body and sponsor (C), in the English
configuration, so "evictions" finds "eviction". PostgreSQL keeps it up to date on every write, a GIN index
covers it, and it decides what matches. Ranking reads the much smaller ``rank_document`` of migration 0003
(title A; challenge title, organisation and theme names B), kept inline in the row, because decompressing
the big vector of every one of 30,000 matches took seconds. Neither column is declared on the model, because
SQLite has none; ``Document()`` refers to them in queries.

Queries go through ``websearch_to_tsquery``, which accepts any text (quotes, ``or``, ``-word``; stray
brackets and colons are just punctuation). Highlights come from ``ts_headline`` over HTML-escaped text, so the
only markup in them is the <mark> it adds. "Did you mean" uses ``pg_trgm`` on titles when the extension is
installed (the migration installs it where it may).
"""

import re
from datetime import datetime
from difflib import SequenceMatcher

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVectorField
from django.db import connection
from django.db.models import BooleanField, Exists, F, FloatField, Func, QuerySet, Subquery, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Cast, Replace, Upper

from ..models import ArchiveEntry

CONFIG = "english"
DOCUMENT_COLUMN = "search_document"
RANK_COLUMN = "rank_document"
SEARCH_INDEX = "archive_entry_search"
TITLE_TRIGRAM_INDEX = "archive_entry_title_trgm"
WORD = re.compile(r"[^\W_]+")
MAX_CORRECTED_WORDS = 8
MIN_SIMILARITY = 0.5
PROGRESS_EVERY = 500

_trigrams: set[str] = set()


class Document(Expression):
    """The ``search_document`` column (or ``rank_document``) of the query's ``ArchiveEntry`` table, relabelled
    like any column reference when the query becomes a subquery."""

    output_field = SearchVectorField()
    contains_column_references = True

    def __init__(self, alias: str | None = None, column: str = DOCUMENT_COLUMN):
        super().__init__()
        self.alias = alias
        self.column = column

    def resolve_expression(self, query=None, allow_joins=True, reuse=None, summarize=False, for_save=False):
        return self if self.alias else Document(query.get_initial_alias(), self.column)

    def relabeled_clone(self, relabels):
        return Document(relabels.get(self.alias, self.alias), self.column)

    def get_group_by_cols(self):
        return [self]

    def as_sql(self, compiler, connection):
        return f"{compiler.quote_name_unless_alias(self.alias)}.{connection.ops.quote_name(self.column)}", []


def web_query(q: str) -> SearchQuery:
    return SearchQuery(q, config=CONFIG, search_type="websearch")


def _escaped(name: str):
    """The column HTML-escaped in SQL, before ``ts_headline`` adds its <mark> tags."""
    text = Replace(F(name), Value("&"), Value("&amp;"))
    return Replace(Replace(text, Value("<"), Value("&lt;")), Value(">"), Value("&gt;"))


HEADLINE = {"config": CONFIG, "start_sel": "<mark>", "stop_sel": "</mark>"}
HEADLINES = {
    "summary": {"highlight_all": True},
    "body": {"max_fragments": 2, "max_words": 20, "min_words": 8, "fragment_delimiter": " … "},
    "challenge_title": {"highlight_all": True},
    "organisation_name": {"highlight_all": True},
}


def upper_title():
    """The expression the trigram index is on; also what ``title__icontains`` compiles to."""
    return Upper(Cast("title", TextField()))


class WordSimilar(Func):
    """``word <% text``: the text has a word similar to ``word`` (served by the trigram index)."""

    template = "(%(expressions)s)"
    arg_joiner = " <%% "
    output_field = BooleanField()


class WordDistance(Func):
    template = "(%(expressions)s)"
    arg_joiner = " <<-> "
    output_field = FloatField()


def trigrams_available(conn=connection) -> bool:
    name = str(conn.settings_dict["NAME"])
    if name in _trigrams:
        return True
    with conn.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone():
            _trigrams.add(name)
            return True
    return False


class SearchedInPlace:
    """For a text search over the ``ArchiveEntry`` rows themselves: the rows are the index, so there is
    nothing to copy or remove, and a rebuild only walks the entries to report progress."""

    def index(self, entries) -> None:
        """Nothing to copy: the rows are searched in place."""

    def remove(self, keys) -> None:
        """Nothing to remove: a deleted row is no longer found."""

    def rebuild(self, entries, progress) -> int:
        done = 0
        for done, _ in enumerate(entries, start=1):
            if done % PROGRESS_EVERY == 0:
                progress(done)
        progress(done)
        return done

    def indexed_versions(self) -> dict[str, datetime]:
        return dict(ArchiveEntry.objects.values_list("key", "source_modified"))


class PostgresFullText(SearchedInPlace):
    name = "postgres-fts"

    @property
    def offers_suggestions(self) -> bool:
        return trigrams_available()

    def matching(self, queryset: QuerySet, q: str) -> QuerySet:
        return queryset.alias(document=Document()).filter(document=web_query(q))

    def rank(self, q: str):
        """Relevance: ``ts_rank`` over the small ``rank_document`` (see ``ranked``)."""
        return SearchRank(Document(column=RANK_COLUMN), web_query(q))

    def ranked(self, queryset: QuerySet, q: str, offset: int, limit: int, newest: list[str]) -> list[ArchiveEntry]:
        """Matched through the whole ``search_document``, ranked by ``rank_document`` only: the title, then
        the challenge title, organisation and theme names. Matches only in the summary, body or sponsor tie,
        newest first; ranking them by the big vector meant decompressing it for every match."""
        ranked = self.matching(queryset, q).annotate(rank=self.rank(q))
        return list(ranked.defer("body").order_by("-rank", *newest)[offset : offset + limit])

    def highlights(self, entries: list[ArchiveEntry], q: str) -> dict[int, tuple[str, ...]]:
        query = web_query(q)
        annotations = {
            f"marked_{name}": SearchHeadline(_escaped(name), query, **HEADLINE, **options)
            for name, options in HEADLINES.items()
        }
        rows = (
            ArchiveEntry.objects.filter(pk__in=[entry.pk for entry in entries])
            .annotate(**annotations)
            .values_list("pk", *annotations)
        )
        return {pk: tuple(text for text in texts if text and "<mark>" in text) for pk, *texts in rows}

    def suggestion(self, q: str) -> str:
        """Each word that is nowhere in the archive, replaced by the most similar word of the most similar
        title; "" when nothing changed. One query, however many entries."""
        words = list(dict.fromkeys(word.lower() for word in WORD.findall(q) if len(word) >= 3))
        words = words[:MAX_CORRECTED_WORDS]
        if not words or not trigrams_available():
            return ""
        annotations = {}
        for number, word in enumerate(words):
            typed = Value(word, output_field=TextField())
            known = ArchiveEntry.objects.alias(document=Document()).filter(document=SearchQuery(word, config=CONFIG))
            closest = (
                ArchiveEntry.objects.filter(WordSimilar(typed, upper_title()))
                .order_by(WordDistance(typed, upper_title()), "pk")
                .values("title")[:1]
            )
            annotations[f"known_{number}"] = Exists(known)
            annotations[f"title_{number}"] = Subquery(closest)
        row = ArchiveEntry.objects.order_by().annotate(**annotations).values(*annotations)[:1]
        found = next(iter(row), None)
        if found is None:
            return ""
        corrections = {}
        for number, word in enumerate(words):
            if not found[f"known_{number}"] and found[f"title_{number}"]:
                replacement = _closest_word(word, found[f"title_{number}"])
                if replacement and replacement != word:
                    corrections[word] = replacement
        if not corrections:
            return ""
        return WORD.sub(lambda match: corrections.get(match.group().lower(), match.group()), q)


def _closest_word(word: str, title: str) -> str:
    candidates = {candidate.lower() for candidate in WORD.findall(title)}
    if not candidates:
        return ""
    best = max(sorted(candidates), key=lambda candidate: SequenceMatcher(None, word, candidate).ratio())
    return best if SequenceMatcher(None, word, best).ratio() >= MIN_SIMILARITY else ""
