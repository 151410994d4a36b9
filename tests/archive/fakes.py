"""A fake archive search backend for the page tests: it answers from canned entries held on the class.

Set ``settings.ARCHIVE_SEARCH_BACKEND = "tests.archive.fakes.FakeBackend"`` and ``FakeBackend.load([...])``.
It behaves like a backend in the ways the pages rely on (words match titles and summaries, facets counted
under the other facets' filters, sorting, pagination, <mark> highlights over escaped text, an optional "did
you mean"), so the views can be tested before, and independently of, the real backends. ``get_backend()``
makes a new instance per call, so the state lives on the class; ``load`` resets it.
"""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import ClassVar

from django.utils.html import escape

from archive.search import FACETS, FacetValue, Hit, SearchPage, SearchRequest

WMCA = ("wmca", "West Midlands Combined Authority")
GMCA = ("gmca", "Greater Manchester Combined Authority")
HOMELESSNESS = ("homelessness", "Homelessness")
OPEN_DATA = ("open-data", "Open data")


@dataclass
class FakeEntry:
    title: str
    kind: str = "challenge"
    summary: str = ""
    themes: tuple[tuple[str, str], ...] = (HOMELESSNESS,)
    sponsor: tuple[str, str] = WMCA
    year: int = 2026
    status: str = "open"
    status_label: str = "Open"
    organisation_name: str = ""
    challenge_title: str = ""
    date: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))
    key: str = ""
    pilot_status: str = ""
    pilot_status_label: str = ""

    def facet_values(self) -> dict[str, list[tuple[str, str]]]:
        kind_label = "Winner" if self.kind == "winner" else "Challenge"
        return {
            "kind": [(self.kind, kind_label)],
            "theme": list(self.themes),
            "sponsor": [self.sponsor],
            "year": [(str(self.year), str(self.year))],
            "status": [(self.status, self.status_label)],
            "pilot": [(self.pilot_status, self.pilot_status_label)] if self.pilot_status else [],
        }

    def matches(self, q: str) -> bool:
        text = f"{self.title} {self.summary}".lower()
        return all(word in text for word in q.lower().split())

    def hit(self, q: str, number: int) -> Hit:
        return Hit(
            key=self.key or f"{self.kind}:{number}",
            kind=self.kind,
            title=self.title,
            url=f"/fake/{number}/",
            summary=self.summary,
            challenge_title=self.challenge_title or self.title,
            sponsor_name=self.sponsor[1],
            organisation_name=self.organisation_name,
            theme_names=tuple(name for _, name in self.themes),
            year=self.year,
            status=self.status,
            status_label=self.status_label,
            date=self.date,
            highlights=tuple(highlight(self.summary, q)) if q else (),
            pilot_status=self.pilot_status,
            pilot_status_label=self.pilot_status_label,
        )


def highlight(text: str, q: str) -> list[str]:
    """The text escaped, with each query word wrapped in <mark> (the contract's safe HTML)."""
    html = escape(text)
    found = False
    for word in q.split():
        if word.lower() in text.lower():
            start = html.lower().find(escape(word).lower())
            if start >= 0:
                end = start + len(escape(word))
                html = f"{html[:start]}<mark>{html[start:end]}</mark>{html[end:]}"
                found = True
    return [html] if found else []


class FakeBackend:
    name = "fake"
    entries: ClassVar[list[FakeEntry]] = []
    suggestion: ClassVar[str] = ""
    extra_highlights: ClassVar[tuple[str, ...]] = ()
    requests: ClassVar[list[SearchRequest]] = []

    @classmethod
    def load(cls, entries, *, suggestion: str = "", extra_highlights: tuple[str, ...] = ()) -> None:
        cls.entries = list(entries)
        cls.suggestion = suggestion
        cls.extra_highlights = extra_highlights
        cls.requests = []

    def search(self, request: SearchRequest) -> SearchPage:
        type(self).requests.append(request)
        numbered = [(number, entry) for number, entry in enumerate(self.entries, 1) if entry.matches(request.q)]

        def passes(entry: FakeEntry, skip: str = "") -> bool:
            values = entry.facet_values()
            return all(
                any(value in chosen for value, _ in values[facet])
                for facet, chosen in request.filters.items()
                if facet != skip and chosen
            )

        facets = {}
        for facet in FACETS:
            counts: dict[str, list] = {}
            for _, entry in numbered:
                if passes(entry, skip=facet):
                    for value, label in entry.facet_values()[facet]:
                        counts.setdefault(value, [label, 0])[1] += 1
            chosen = request.filters.get(facet, ())
            facets[facet] = [
                FacetValue(value, label, count, value in chosen)
                for value, (label, count) in sorted(counts.items(), key=lambda item: (-item[1][1], item[1][0]))
            ]

        found = [(number, entry) for number, entry in numbered if passes(entry)]
        if request.sort == "oldest":
            found.sort(key=lambda pair: pair[1].date)
        elif request.sort == "newest" or not request.q:
            found.sort(key=lambda pair: pair[1].date, reverse=True)
        window = found[request.offset : request.offset + request.per_page]
        hits = [entry.hit(request.q, number) for number, entry in window]
        if self.extra_highlights:
            hits = [replace(hit, highlights=self.extra_highlights) for hit in hits]
        return SearchPage(
            hits=hits,
            total=len(found),
            page=request.page,
            per_page=request.per_page,
            facets=facets,
            suggestion=self.suggestion,
            backend=self.name,
        )

    def suggest(self, prefix: str, limit: int = 8) -> list[str]:
        prefix = prefix.lower()
        return [entry.title for entry in self.entries if entry.title.lower().startswith(prefix)][:limit]

    def index(self, entries) -> None:
        pass

    def remove(self, keys) -> None:
        pass

    def rebuild(self, entries, *, total, progress) -> int:
        return 0

    def indexed_versions(self) -> dict:
        return {}
