"""The database backend counts the total and every facet in one query (archive.backends.database.facet_counts).
These check that one query against counting each facet on its own, entry by entry, on archives with entries of
no theme and of several, and that a search takes the same few queries at 10 entries as at 60."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from archive.backends.database import DatabaseBackend
from archive.search import DATABASE_BACKEND, FACETS, SearchRequest

from .conftest import GMCA, WMCA, Spec

THEMES = ("homelessness", "open-data", "wellbeing")
SPONSORS = (WMCA, GMCA, ("leeds", "Leeds City Council"))
PILOT_STATUSES = ("", "on_track", "at_risk", "complete")
"""A winner's pilot status; "" is a winner without a pilot (and every challenge has none)."""


@pytest.fixture
def backend(settings):
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    return DatabaseBackend()


def varied(count: int, seed: int = 7, prefix: str = "v") -> list[Spec]:
    rng = random.Random(seed)
    pilots = random.Random(seed + 1000)
    specs = []
    for n in range(count):
        winner = rng.random() < 0.3
        specs.append(
            Spec(
                f"{rng.choice(['Rough sleeping', 'Bus data', 'Older residents'])} project {n}",
                kind="winner" if winner else "challenge",
                summary=rng.choice(["About homelessness.", "About buses.", "About loneliness."]),
                sponsor=rng.choice(SPONSORS),
                themes=tuple(rng.sample(THEMES, k=rng.randint(0, 3))),
                year=rng.choice([2024, 2025, 2026]),
                status="winner" if winner else rng.choice(["open", "closed", "archived"]),
                days=-n,
                key=f"{prefix}:{n}",
                pilot_status=pilots.choice(PILOT_STATUSES) if winner else "",
            )
        )
    return specs


def value_of(spec: Spec, facet: str) -> set[str]:
    values = {
        "kind": {spec.kind},
        "sponsor": {spec.sponsor[0]},
        "status": {spec.status},
        "year": {str(spec.year)},
        "theme": set(spec.themes),
        "pilot": {spec.pilot_status} - {""},
    }
    return values[facet]


def expected(specs: list[Spec], found: set[str], filters: dict[str, tuple[str, ...]]):
    """Each facet counted the slow way: entries the words found that pass every *other* facet's filter."""

    def passes(spec: Spec, skip: str = "") -> bool:
        return all(value_of(spec, name) & set(values) for name, values in filters.items() if name != skip)

    matched = [spec for spec in specs if spec.key in found]
    counts = {}
    for facet in FACETS:
        tally: dict[str, int] = {}
        for spec in matched:
            if passes(spec, skip=facet):
                for value in value_of(spec, facet):
                    tally[value] = tally.get(value, 0) + 1
        counts[facet] = tally
    return sum(1 for spec in matched if passes(spec)), counts


REQUESTS = [
    ("", {}),
    ("", {"sponsor": ("gmca",)}),
    ("homelessness", {}),
    ("project", {"theme": ("wellbeing", "open-data"), "year": ("2025",)}),
    ("project", {"kind": ("winner",), "sponsor": ("wmca", "leeds"), "status": ("winner",), "theme": ("wellbeing",)}),
    ("buses", {"year": ("2024", "2026"), "theme": ("homelessness",)}),
    ("", {"pilot": ("on_track", "at_risk")}),
    ("project", {"pilot": ("complete",), "sponsor": ("gmca",), "theme": ("open-data",)}),
]


@pytest.mark.parametrize(("q", "filters"), REQUESTS)
def test_one_query_counts_each_facet_as_counting_it_alone_would(backend, make_entries, q, filters):
    specs = varied(60)
    backend.index(make_entries(*specs))
    found = {hit.key for hit in backend.search(SearchRequest(q=q, per_page=100)).hits}
    assert found, q

    page = backend.search(SearchRequest(q=q, filters=filters, per_page=100))

    total, counts = expected(specs, found, filters)
    assert page.total == total == len(page.hits)
    assert {facet: {v.value: v.count for v in page.facets[facet]} for facet in FACETS} == counts


def test_a_theme_shows_the_name_it_was_published_with(backend, make_entries):
    backend.index(make_entries(Spec("Outreach", themes=("homelessness", "wellbeing"), key="n:1")))
    page = backend.search(SearchRequest())
    assert [(v.value, v.label, v.count) for v in page.facets["theme"]] == [
        ("homelessness", "Homelessness", 1),
        ("wellbeing", "Wellbeing", 1),
    ]
    assert [(v.value, v.label) for v in page.facets["sponsor"]] == [WMCA]


SEARCHES = [
    SearchRequest(),
    SearchRequest(q="homelessness", filters={"theme": ("homelessness", "open-data"), "year": ("2025",)}),
    SearchRequest(q="project", sort="oldest", page=2, per_page=5),
    SearchRequest(filters={"sponsor": ("gmca",)}, sort="newest"),
    SearchRequest(filters={"pilot": ("on_track", "at_risk", "complete"), "kind": ("winner",)}),
]
MAX_QUERIES = 6
"""The counts, the page (ids then rows, where SQLite ranks), the highlights; a savepoint and its release (the
test runs in a transaction); on PostgreSQL the transaction's planner settings."""


def test_a_search_takes_the_same_few_queries_at_10_and_at_60_entries(backend, make_entries, django_assert_num_queries):
    backend.index(make_entries(*varied(10)))
    backend.search(SearchRequest(q="x"))  # what this database offers is looked up once per process
    small = []
    for request in SEARCHES:
        with CaptureQueriesContext(connection) as queries:
            assert backend.search(request).hits
        small.append(len(queries))
    assert max(small) <= MAX_QUERIES, small

    backend.index(make_entries(*varied(50, seed=8, prefix="w")))
    for request, count in zip(SEARCHES, small, strict=True):
        with django_assert_num_queries(count):
            page = backend.search(request)
        assert page.hits and page.total > 5, request
