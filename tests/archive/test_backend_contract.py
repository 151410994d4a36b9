"""What every archive search backend does, tested once and run on each: the database (SQLite or PostgreSQL,
whichever the suite runs on) and Elasticsearch (osmem-server, or the cluster in ``ELASTICSEARCH_URL``).

Views and templates never know which backend answered, so these are the promises they rely on: what a query
finds, facet counts and labels, filters (OR within a facet, AND across facets), sort orders, pagination,
safe highlights, suggestions, and no failure on any input. Relevance scores are never compared, only what
matches and orders that are defined.
"""

import re
from datetime import timedelta

import pytest

from archive.models import ArchiveEntry
from archive.search import FACETS, MAX_QUERY_LENGTH, SearchPage, SearchRequest

from .conftest import GMCA, Spec


def search(backend, q="", sort="relevance", page=1, per_page=20, **filters) -> SearchPage:
    filters = {name: tuple(values) for name, values in filters.items()}
    return backend.search(SearchRequest(q=q, filters=filters, sort=sort, page=page, per_page=per_page))


def keys(page: SearchPage) -> list[str]:
    return [hit.key for hit in page.hits]


def counts(page: SearchPage, facet: str) -> dict[str, int]:
    return {value.value: value.count for value in page.facets[facet]}


def selected(page: SearchPage, facet: str) -> set[str]:
    return {value.value for value in page.facets[facet] if value.selected}


NEWEST_FIRST = ["proposal:3", "challenge:4", "challenge:3", "challenge:2", "proposal:2", "proposal:1", "challenge:1"]


# What matches


def test_a_blank_query_lists_everything_newest_first(archive, backend):
    page = search(backend)
    assert (page.total, keys(page), page.backend) == (7, NEWEST_FIRST, backend.name)


def test_words_match_any_form_of_the_word(archive, backend):
    assert set(keys(search(backend, "evictions"))) == {"challenge:1", "proposal:1"}
    assert set(keys(search(backend, "eviction"))) == {"challenge:1", "proposal:1"}


def test_words_match_titles_summaries_organisations_and_theme_names(archive, backend):
    assert set(keys(search(backend, "homeless"))) == {"challenge:1", "proposal:1", "proposal:2", "challenge:2"}
    assert keys(search(backend, "Brumtech")) == ["proposal:1"]
    assert set(keys(search(backend, "wellbeing"))) == {"challenge:2", "challenge:3"}


def test_every_word_must_match(archive, backend):
    assert keys(search(backend, "bus predictions")) == ["proposal:3"]
    assert set(keys(search(backend, "bus"))) == {"proposal:3", "challenge:4"}


def test_nothing_matching_gives_an_empty_page_with_empty_facets(archive, backend):
    page = search(backend, "zeppelin")
    assert (page.total, page.hits, page.pages) == (0, [], 1)
    assert page.facets == {name: [] for name in FACETS}


def test_the_words_are_searched_whatever_their_case(archive, backend):
    assert keys(search(backend, "BRUMTECH")) == keys(search(backend, "brumtech")) == ["proposal:1"]


# Facets


def test_facets_count_every_value_with_labels(archive, backend):
    page = search(backend)
    assert [(v.value, v.label, v.count) for v in page.facets["kind"]] == [
        ("challenge", "Challenge", 4),
        ("winner", "Winner", 3),
    ]
    assert [(v.value, v.label, v.count) for v in page.facets["sponsor"]] == [
        ("wmca", "West Midlands Combined Authority", 4),
        ("gmca", "Greater Manchester Combined Authority", 3),
    ]
    assert [(v.value, v.label, v.count) for v in page.facets["theme"]] == [
        ("homelessness", "Homelessness", 4),
        ("open-data", "Open data", 4),
        ("wellbeing", "Wellbeing", 2),
    ]
    assert [(v.value, v.count) for v in page.facets["year"]] == [("2026", 2), ("2025", 2), ("2024", 3)]
    assert [(v.value, v.label, v.count) for v in page.facets["status"]] == [
        ("archived", "Archived", 2),
        ("winner", "Winner", 2),
        ("closed", "Closed", 1),
        ("highly_commended", "Highly commended", 1),
        ("open", "Open", 1),
    ]
    assert not any(value.selected for values in page.facets.values() for value in values)


def test_facets_count_under_the_query(archive, backend):
    page = search(backend, "homeless")
    assert counts(page, "year") == {"2024": 3, "2025": 1}
    assert counts(page, "kind") == {"challenge": 2, "winner": 2}
    assert counts(page, "theme") == {"homelessness": 4, "open-data": 2, "wellbeing": 1}


def test_a_facet_counts_under_the_other_facets_filters_but_not_its_own(archive, backend):
    page = search(backend, theme=["wellbeing"])

    assert set(keys(page)) == {"challenge:2", "challenge:3"}
    assert counts(page, "theme") == {"homelessness": 4, "open-data": 4, "wellbeing": 2}
    assert selected(page, "theme") == {"wellbeing"}
    assert counts(page, "sponsor") == {"gmca": 2}
    assert counts(page, "kind") == {"challenge": 2}


def test_values_of_one_facet_widen_and_facets_narrow(archive, backend):
    either = search(backend, theme=["wellbeing", "open-data"])
    assert set(keys(either)) == {"challenge:1", "proposal:1", "challenge:4", "proposal:3", "challenge:2", "challenge:3"}
    assert selected(either, "theme") == {"wellbeing", "open-data"}

    both = search(backend, theme=["wellbeing", "open-data"], sponsor=["gmca"])
    assert set(keys(both)) == {"challenge:2", "challenge:3", "proposal:3"}
    assert counts(both, "sponsor") == {"wmca": 3, "gmca": 3}
    assert counts(both, "theme") == {"homelessness": 1, "open-data": 1, "wellbeing": 2}


def test_words_and_every_kind_of_filter_combine(archive, backend):
    page = search(backend, "homeless", year=["2024"], kind=["winner"], status=["winner", "highly_commended"])
    assert set(keys(page)) == {"proposal:1", "proposal:2"}
    assert counts(page, "year") == {"2024": 2}
    assert counts(page, "kind") == {"winner": 2}
    assert selected(page, "year") == {"2024"} and selected(page, "kind") == {"winner"}

    assert keys(search(backend, "homeless", year=["2025"], sponsor=["gmca"])) == ["challenge:2"]


def test_unknown_filter_values_add_no_matches_and_unknown_facets_are_ignored(archive, backend):
    homelessness = search(backend, theme=["homelessness"])
    assert search(backend, theme=["homelessness", "not-a-theme"]).total == homelessness.total == 4
    assert search(backend, theme=["not-a-theme"]).total == 0
    assert search(backend, year=["20x6"]).total == 0
    assert search(backend, year=["2025", "20x6"]).total == 2
    assert search(backend, sponsor=["nobody"], status=["lost"]).total == 0
    assert search(backend, colour=["red"]).total == 7


# Order and pages


def test_newest_and_oldest_sort_by_date(archive, backend):
    assert keys(search(backend, sort="newest")) == NEWEST_FIRST
    assert keys(search(backend, sort="oldest")) == NEWEST_FIRST[::-1]
    assert keys(search(backend, "homeless", sort="oldest")) == [
        "challenge:1",
        "proposal:1",
        "proposal:2",
        "challenge:2",
    ]


def test_a_title_match_outranks_a_match_deep_in_the_body(backend, make_entries):
    rows = make_entries(
        Spec("Street lighting survey", body="Includes a short section on cycling routes.", days=5, key="a:body"),
        Spec("Safer cycling routes", summary="Protected lanes.", days=-5, key="a:title"),
    )
    backend.index(rows)
    assert keys(search(backend, "cycling")) == ["a:title", "a:body"]
    assert keys(search(backend, "cycling", sort="newest")) == ["a:body", "a:title"]


def test_pages_split_the_results_and_a_page_past_the_end_is_empty(archive, backend):
    pages = [search(backend, sort="newest", page=number, per_page=3) for number in (1, 2, 3)]
    assert [len(page.hits) for page in pages] == [3, 3, 1]
    assert [key for page in pages for key in keys(page)] == NEWEST_FIRST
    assert {(page.total, page.pages, page.per_page) for page in pages} == {(7, 3, 3)}
    assert [page.page for page in pages] == [1, 2, 3]

    beyond = search(backend, page=99999, per_page=3)
    assert (beyond.hits, beyond.total, beyond.page) == ([], 7, 99999)
    assert counts(beyond, "kind") == {"challenge": 4, "winner": 3}


# Highlights


def test_highlights_mark_the_matched_words(archive, backend):
    (hit,) = search(backend, "eviction", kind=["winner"]).hits
    assert hit.key == "proposal:1"
    assert any(re.search(r"<mark>evictions?</mark>", fragment, re.I) for fragment in hit.highlights), hit.highlights
    assert not search(backend).hits[0].highlights


def test_highlights_escape_the_entry_text_and_titles_come_back_as_plain_text(backend, make_entries):
    title = "<script>alert('title')</script> Safer streets"
    summary = "Lighting <b>bold</b> & safer streets at night <script>alert('x')</script>"
    backend.index(make_entries(Spec(title, summary=summary, body=f"More {summary}", key="x:1")))

    (hit,) = search(backend, "streets").hits
    assert (hit.title, hit.summary) == (title, summary)
    assert hit.highlights
    for fragment in hit.highlights:
        assert "<mark>" in fragment
        assert "<" not in re.sub(r"</?mark>", "", fragment) and ">" not in re.sub(r"</?mark>", "", fragment)
    assert any("&lt;script&gt;" in fragment and "&amp;" in fragment for fragment in hit.highlights)


# Suggestions


def test_a_misspelling_gets_a_did_you_mean(archive, backend):
    if not getattr(backend, "offers_suggestions", True):
        pytest.skip(f"the {backend.name} backend offers no 'did you mean' on this database")
    page = search(backend, "homelesness")
    assert page.total == 0
    assert page.suggestion.lower() == "homelessness"
    assert search(backend, "homelessness").suggestion == ""


def test_suggest_completes_titles_from_any_word(archive, backend):
    assert backend.suggest("prev") == ["Prevent homelessness with data"]
    assert backend.suggest("PREV") == ["Prevent homelessness with data"]
    assert set(backend.suggest("bus")) == {"Bus arrival predictions", "Open data for bus reliability"}
    assert len(backend.suggest("bus", limit=1)) == 1
    assert backend.suggest("zeppelin") == []


def test_suggest_gives_each_title_once(archive, backend, make_entries):
    backend.index(make_entries(Spec("Prevent homelessness with data", sponsor=GMCA, key="copy:1")))
    assert backend.suggest("prevent") == ["Prevent homelessness with data"]


# Bad input


@pytest.mark.parametrize(
    "q",
    [
        " ",
        "x" * 1000,
        'title:(a OR "b',
        r"*?~^\/",
        "AND OR NOT",
        '"',
        '"unclosed phrase',
        "-",
        "-homeless",
        "((()))[]{}",
        "NEAR(homeless eviction, 2)",
        "title:homeless",
        "homeless*",
        "a && b || !c",
        "null\x00byte",
        "🙂 émigré naïve café",
        "<script>alert(1)</script>",
        "'; DROP TABLE archive_archiveentry; --",
        "%_%",
    ],
)
def test_any_text_gives_a_page_never_an_error(archive, backend, q):
    page = search(backend, q, page=2, per_page=5)
    assert isinstance(page, SearchPage)
    assert set(page.facets) == set(FACETS)
    assert page.total >= 0 and len(page.hits) <= 5
    assert isinstance(backend.suggest(q), list)
    assert ArchiveEntry.objects.count() == 7


def test_a_long_query_is_cut_and_what_is_left_is_searched(archive, backend):
    q = "homelessness" + " " * MAX_QUERY_LENGTH + "zeppelin"
    assert search(backend, q).total == 4


# Keeping the index in step


def test_indexing_again_replaces_an_entry(archive, backend):
    row = ArchiveEntry.objects.get(key="challenge:3")
    row.title = row.challenge_title = "Isolation among older residents"
    row.summary = "Reach people living alone."
    row.source_modified += timedelta(days=1)
    row.save()
    backend.index([row])

    assert keys(search(backend, "isolation")) == ["challenge:3"]
    assert search(backend, "loneliness").total == 0
    assert search(backend).total == 7
    assert backend.indexed_versions()["challenge:3"] == row.source_modified


def test_a_removed_entry_is_no_longer_found(archive, backend):
    ArchiveEntry.objects.filter(key="proposal:1").delete()
    backend.remove(["proposal:1", "proposal:999"])

    assert set(keys(search(backend, "eviction"))) == {"challenge:1"}
    assert search(backend).total == 6
    assert "proposal:1" not in backend.indexed_versions()


def test_indexed_versions_lists_every_key_with_its_source_modified(archive, backend):
    assert backend.indexed_versions() == {row.key: row.source_modified for row in archive}


def test_rebuild_indexes_everything_and_reports_progress(archive, backend):
    done = []
    entries = ArchiveEntry.objects.order_by("pk").iterator()
    assert backend.rebuild(entries, total=7, progress=done.append) == 7
    assert done and done[-1] == 7
    assert search(backend).total == 7
    assert set(keys(search(backend, "eviction"))) == {"challenge:1", "proposal:1"}
    assert set(backend.indexed_versions()) == {row.key for row in archive}


# Pilot status


PILOTED = (
    Spec("Arrears alerts", kind="winner", status="winner", pilot_status="on_track", days=-3, key="p:on-track"),
    Spec("Tenancy texts", kind="winner", status="winner", pilot_status="at_risk", days=-2, key="p:at-risk"),
    Spec("Outreach app", kind="winner", status="winner", sponsor=GMCA, pilot_status="at_risk", days=-1, key="p:gm"),
    Spec("No pilot yet", kind="winner", status="highly_commended", key="p:none"),
    Spec("A challenge", key="p:challenge"),
)


def test_the_pilot_status_facet_counts_winners_with_a_pilot_with_labels(backend, make_entries):
    backend.index(make_entries(*PILOTED))
    page = search(backend)
    assert [(v.value, v.label, v.count) for v in page.facets["pilot"]] == [
        ("at_risk", "At risk", 2),
        ("on_track", "On track", 1),
    ]
    hits = {hit.key: (hit.pilot_status, hit.pilot_status_label) for hit in page.hits}
    assert hits["p:gm"] == ("at_risk", "At risk") and hits["p:none"] == hits["p:challenge"] == ("", "")


def test_the_pilot_status_filter_narrows_and_counts_under_the_other_filters(backend, make_entries):
    backend.index(make_entries(*PILOTED))
    at_risk = search(backend, pilot=["at_risk"])
    assert (set(keys(at_risk)), at_risk.total) == ({"p:at-risk", "p:gm"}, 2)
    assert counts(at_risk, "pilot") == {"at_risk": 2, "on_track": 1} and selected(at_risk, "pilot") == {"at_risk"}
    assert counts(at_risk, "sponsor") == {"wmca": 1, "gmca": 1} and counts(at_risk, "kind") == {"winner": 2}

    either = search(backend, pilot=["at_risk", "on_track"], sponsor=["wmca"])
    assert set(keys(either)) == {"p:on-track", "p:at-risk"}
    assert counts(either, "pilot") == {"at_risk": 1, "on_track": 1}
    assert search(backend, "outreach", pilot=["on_track"]).total == 0
    assert search(backend, pilot=["stopped"]).total == 0
