"""The archive's search parameters, read from the address bar.

Anyone can edit a URL, so nothing here ever rejects a request: each bad part is dropped or corrected, the
rest still applies, and ``notices`` says in plain words what changed. A long query is cut to
``MAX_QUERY_LENGTH``; a page that is not a number becomes page 1; an unknown sort becomes relevance.

Facet values are checked against the archive's vocabulary (``FacetVocabulary``), not against the facet
counts of the search being answered. Those counts are taken under the query and the other filters, so a real
theme with no match for the current words would be missing from them and wrongly called unknown. Themes,
sponsors, statuses, pilot statuses and result types are closed lists that the archive's rows are built from; a year
is valid when it has four digits (a year with nothing in it is a real question with an empty answer, not a typo).
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms

from .search import FACETS, MAX_QUERY_LENGTH, PER_PAGE, SORTS, SearchRequest

FACET_LABELS = {
    "kind": "Result type",
    "theme": "Theme",
    "sponsor": "Sponsor",
    "year": "Year",
    "status": "Status or outcome",
    "pilot": "Pilot status",
}
SORT_CHOICES = [("relevance", "Relevance"), ("newest", "Newest first"), ("oldest", "Oldest first")]
MAX_PAGE = 100_000
"""Higher page numbers are treated as this one (and so as beyond the last page): no backend is ever asked
for an offset that overflows a database integer."""
MAX_VALUES_PER_FACET = 30
YEAR = re.compile(r"[0-9]{4}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class FacetVocabulary:
    """The values each facet may take, with their labels. Years have no list: see the module docstring."""

    labels: dict[str, dict[str, str]]

    def allows(self, facet: str, value: str) -> bool:
        if facet == "year":
            return bool(YEAR.fullmatch(value))
        return value in self.labels.get(facet, {})

    def label(self, facet: str, value: str, default: str = "") -> str:
        return self.labels.get(facet, {}).get(value) or default or value


@dataclass(frozen=True)
class SearchState:
    """What the visitor asked for, once cleaned: the source of every link on the page (pagination, removing a
    filter, "did you mean"), so links never carry a value the page has already ignored."""

    base_url: str
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"
    default_sort: str = "relevance"

    def url(self, *, page: int = 1, q: str | None = None, without: tuple[str, str] | None = None) -> str:
        q = self.q if q is None else q
        pairs = [("q", q)] if q else []
        for facet in FACETS:
            pairs += [(facet, value) for value in self.filters.get(facet, ()) if (facet, value) != without]
        if self.sort != self.default_sort:
            pairs.append(("sort", self.sort))
        if page > 1:
            pairs.append(("page", str(page)))
        return f"{self.base_url}?{urlencode(pairs)}" if pairs else self.base_url

    def cleared_url(self) -> str:
        """The same words and sort with no filters."""
        return SearchState(self.base_url, self.q, {}, self.sort, self.default_sort).url()


def clean_text(value: str) -> str:
    """Free text with control characters (including NUL, which PostgreSQL refuses) turned into spaces and runs
    of whitespace collapsed, so what is searched is what the box shows."""
    return " ".join(CONTROL_CHARACTERS.sub(" ", value).split())


class QueryField(forms.CharField):
    """Text from the address bar, cleaned before validation: a NUL byte is turned into a space rather than
    failing the field, which would leave the form without the value and the page without an answer."""

    def to_python(self, value):
        return clean_text(super().to_python(value))


class ArchiveSearchForm(forms.Form):
    """Always valid: read ``search_request()``, ``state()`` and ``notices`` after ``is_valid()``."""

    facets = FACETS
    default_sort = "relevance"

    q = QueryField(label="Search challenges and winners", required=False)
    sort = QueryField(required=False)
    page = QueryField(required=False)

    def __init__(self, data, *, vocabulary: FacetVocabulary):
        super().__init__(data)
        self.vocabulary = vocabulary
        self.notices: list[str] = []

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if len(q) > MAX_QUERY_LENGTH:
            self.notices.append(f"Your search was shortened to the first {MAX_QUERY_LENGTH} characters.")
            q = q[:MAX_QUERY_LENGTH].rstrip()
        return q

    def clean_sort(self) -> str:
        sort = self.cleaned_data["sort"].strip()
        if not sort:
            return self.default_sort
        if sort not in SORTS:
            self.notices.append(f"Results cannot be sorted by “{_short(sort)}”, so they are sorted by relevance.")
            return self.default_sort
        return sort

    def clean_page(self) -> int:
        raw = self.cleaned_data["page"].strip()
        if not raw:
            return 1
        if raw.isascii() and raw.isdigit() and int(raw) >= 1:
            return min(int(raw), MAX_PAGE)
        self.notices.append(f"“{_short(raw)}” is not a page number, so you are seeing page 1.")
        return 1

    def clean(self):
        filters, ignored = {}, []
        for facet in self.facets:
            chosen: list[str] = []
            for value in self.data.getlist(facet)[:MAX_VALUES_PER_FACET]:
                value = clean_text(value)
                if not value or value in chosen:
                    continue
                if self.vocabulary.allows(facet, value):
                    chosen.append(value)
                else:
                    ignored.append(f"{FACET_LABELS[facet].lower()} “{_short(value)}”")
            if chosen:
                filters[facet] = tuple(chosen)
        if ignored:
            self.notices.append(f"These filters are not in the archive, so they were ignored: {', '.join(ignored)}.")
        self.cleaned_data["filters"] = filters
        return self.cleaned_data

    def search_request(self, *, per_page: int = PER_PAGE, fixed: dict | None = None) -> SearchRequest:
        data = self.cleaned_data
        return SearchRequest(
            q=data["q"],
            filters={**data["filters"], **(fixed or {})},
            sort=data["sort"],
            page=data["page"],
            per_page=per_page,
        )

    def state(self, base_url: str) -> SearchState:
        data = self.cleaned_data
        return SearchState(base_url, data["q"], data["filters"], data["sort"], self.default_sort)


class WinnerFilterForm(ArchiveSearchForm):
    """The winners gallery: newest first, narrowed by theme, year and pilot status only; no words, no sort."""

    facets = ("theme", "year", "pilot")
    default_sort = "newest"

    def clean_q(self) -> str:
        return ""

    def clean_sort(self) -> str:
        return self.default_sort


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"
