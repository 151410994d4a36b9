"""The archive's Elasticsearch mapping and faceted search, in ``elasticsearch.dsl`` terms.

One document per ``ArchiveEntry``, keyed by the entry's key. Text is analysed in English with stemming, so
"homeless" finds "homelessness"; facets are keywords (and the year an integer), so counts are exact. Facet
labels live in the document as ``value|label`` keywords, so one search answers the counts *and* the names
shown beside them without asking the database.
"""

from elasticsearch.dsl import Completion, Date, Document, FacetedSearch, Integer, Keyword, TermsFacet, Text
from elasticsearch.dsl.query import MatchNone, SimpleQueryString, Terms

from ..models import ArchiveEntry, EntryKind

ENGLISH = "english"
LABEL_SEPARATOR = "|"
SEARCH_FIELDS = (
    "title^3",
    "summary^2",
    "organisation_name^2",
    "challenge_title^2",
    "theme_names.text^2",
    "sponsor_name.text",
    "body",
)
"""Where the words typed are looked for, with boosts: a match in a title outranks one deep in the body."""
HIGHLIGHT_FIELDS = {
    "summary": {"number_of_fragments": 0},
    "body": {"fragment_size": 160, "number_of_fragments": 2},
    "organisation_name": {"number_of_fragments": 0},
    "challenge_title": {"number_of_fragments": 0},
}
SPELLING_FIELD = "spelling"
SUGGEST_FIELD = "title_suggest"


def english_text(**kwargs) -> Text:
    return Text(analyzer=ENGLISH, **kwargs)


class ArchiveDocument(Document):
    """The indexed copy of an ``ArchiveEntry``: public fields only, the same the database backend searches."""

    key = Keyword()
    kind = Keyword()
    title = english_text(copy_to=SPELLING_FIELD, fields={"plain": Text(analyzer="standard")})
    summary = english_text(copy_to=SPELLING_FIELD)
    body = english_text()
    organisation_name = english_text()
    challenge_title = english_text()
    url = Keyword(index=False)
    sponsor_slug = Keyword()
    sponsor_name = Keyword(fields={"text": english_text()})
    theme_slugs = Keyword(multi=True)
    theme_names = Keyword(multi=True, fields={"text": english_text()})
    year = Integer()
    date = Date()
    status = Keyword()
    status_label = Keyword()
    pilot_status = Keyword()
    pilot_status_label = Keyword()
    source_modified = Date()
    sponsor_facet = Keyword()
    theme_facet = Keyword(multi=True)
    status_facet = Keyword()
    pilot_status_facet = Keyword()
    """Null without a pilot, so the facet counts only winners that have one."""
    title_suggest = Completion()
    spelling = Text(analyzer="standard")
    """Filled by ``copy_to`` from the title and summary: the vocabulary "did you mean" corrects against."""

    @classmethod
    def source_for(cls, entry: ArchiveEntry) -> dict:
        """The document body for an entry. ``source_modified`` keeps its microseconds as an ISO string, so
        what reconcile reads back compares equal to the row."""
        return cls(
            key=entry.key,
            kind=entry.kind,
            title=entry.title,
            summary=entry.summary,
            body=entry.body,
            organisation_name=entry.organisation_name,
            challenge_title=entry.challenge_title,
            url=entry.url,
            sponsor_slug=entry.sponsor_slug,
            sponsor_name=entry.sponsor_name,
            theme_slugs=list(entry.theme_slugs),
            theme_names=list(entry.theme_names),
            year=entry.year,
            date=entry.date.isoformat(),
            status=entry.status,
            status_label=entry.status_label,
            pilot_status=entry.pilot_status or None,
            pilot_status_label=entry.pilot_status_label or None,
            source_modified=entry.source_modified.isoformat(),
            sponsor_facet=labelled(entry.sponsor_slug, entry.sponsor_name),
            theme_facet=[labelled(*pair) for pair in zip(entry.theme_slugs, entry.theme_names, strict=False)],
            status_facet=labelled(entry.status, entry.status_label),
            pilot_status_facet=labelled(entry.pilot_status, entry.pilot_status_label) if entry.pilot_status else None,
            title_suggest={"input": completion_inputs(entry.title)},
        ).to_dict(skip_empty=False)


def labelled(value: str, label: str) -> str:
    return f"{value}{LABEL_SEPARATOR}{label}"


def completion_inputs(title: str, words: int = 8) -> list[str]:
    """The title from each of its first few words on, so typing "youth" completes "Tackling youth
    unemployment" as well as a title that starts with it."""
    parts = title.split()
    return [" ".join(parts[start:]) for start in range(min(len(parts), words))] or [title]


class PairFacet(TermsFacet):
    """A terms facet whose values come out as ``(value, label)`` pairs; selection compares the value."""

    def get_value(self, bucket):
        return bucket["key"], bucket["key"]

    def is_filtered(self, key, filter_values) -> bool:
        return key[0] in filter_values


class LabelledTermsFacet(PairFacet):
    """Counts over a ``value|label`` keyword, filters on the plain value field."""

    def __init__(self, *, field: str, label_field: str, **kwargs):
        super().__init__(field=label_field, **kwargs)
        self.value_field = field

    def get_value(self, bucket):
        value, _, label = bucket["key"].partition(LABEL_SEPARATOR)
        return value, label

    def add_filter(self, filter_values):
        return Terms(**{self.value_field: list(filter_values)}) if filter_values else None


class KindFacet(PairFacet):
    def get_value(self, bucket):
        value = bucket["key"]
        return value, EntryKind(value).label if value in EntryKind.values else value


class YearFacet(PairFacet):
    """Years are integers in the index; a value that is not a year matches nothing rather than failing."""

    def get_value(self, bucket):
        return str(bucket["key"]), str(bucket["key"])

    def add_filter(self, filter_values):
        if not filter_values:
            return None
        years = [int(text) for text in map(str, filter_values) if text.isdigit() and len(text) <= 4]
        return Terms(year=years) if years else MatchNone()


class ArchiveFacetedSearch(FacetedSearch):
    """Words over the text fields, facets with disjunctive counts (``FacetedSearch`` filters the hits with a
    ``post_filter`` and counts each facet under every *other* facet's filter), highlighting and sorting."""

    doc_types = [ArchiveDocument]
    fields = list(SEARCH_FIELDS)
    facets = {
        "kind": KindFacet(field="kind", size=10),
        "theme": LabelledTermsFacet(field="theme_slugs", label_field="theme_facet", size=200),
        "sponsor": LabelledTermsFacet(field="sponsor_slug", label_field="sponsor_facet", size=200),
        "year": YearFacet(field="year", size=100),
        "status": LabelledTermsFacet(field="status", label_field="status_facet", size=50),
        "pilot": LabelledTermsFacet(field="pilot_status", label_field="pilot_status_facet", size=20),
    }

    def __init__(self, *, using, index: str, query: str, filters: dict, sort: list):
        self.using = using
        self.index = index
        super().__init__(query or None, filters, sort)

    def search(self):
        """Exact totals however many match, and a spelling check of the words typed."""
        search = super().search().extra(track_total_hits=True)
        if self._query:
            search = search.suggest("spelling", self._query, term={"field": SPELLING_FIELD})
        return search

    def query(self, search, query):
        """``simple_query_string``, never ``query_string``: whatever is typed, Lucene syntax included, is
        searched for, and never fails. Every word must match somewhere (quotes, ``-`` and ``|`` work)."""
        return search.query(
            SimpleQueryString(
                query=query,
                fields=self.fields,
                default_operator="and",
                flags="AND|OR|NOT|PHRASE|PRECEDENCE|WHITESPACE|ESCAPE",
                lenient=True,
            )
        )

    def highlight(self, search):
        """Matches wrapped in <mark>, everything else HTML-escaped by Elasticsearch (``encoder: html``)."""
        search = search.highlight_options(encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"])
        for field, options in HIGHLIGHT_FIELDS.items():
            search = search.highlight(field, **options)
        return search
