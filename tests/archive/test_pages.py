"""The archive search page as a visitor uses it: words, facets with counts, removable filters, sorting,
pagination, highlights, "did you mean", the empty state, and every kind of bad input answered with a normal
page and a clear message. Most tests use the fake backend (tests/archive/fakes.py); the last ones run the same
page on the real database backend."""

import html
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from archive.backends.database import DatabaseBackend
from archive.models import ArchiveEntry
from archive.search import DATABASE_BACKEND
from challenges.models import Theme
from tests.archive.fakes import GMCA, HOMELESSNESS, OPEN_DATA, FakeBackend, FakeEntry
from tests.factories import SponsorFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("archive:search")
WINNERS = reverse("archive:winners")

CATALOGUE = [
    FakeEntry(
        "Prevent homelessness with data",
        summary="Find households at risk of homelessness early, with open data.",
        themes=(HOMELESSNESS, OPEN_DATA),
        date=datetime(2026, 3, 1, tzinfo=UTC),
    ),
    FakeEntry(
        "Warm homes for every tenant",
        summary="Cut fuel poverty and the homelessness that follows it.",
        sponsor=GMCA,
        year=2025,
        status="archived",
        status_label="Archived",
        date=datetime(2025, 2, 1, tzinfo=UTC),
    ),
    FakeEntry(
        "Early Help Finder",
        kind="winner",
        summary="Rent-arrears signals about homelessness, explained to caseworkers.",
        status="winner",
        status_label="Winner",
        organisation_name="Brumtech Analytics Ltd",
        challenge_title="Prevent homelessness with data",
        date=datetime(2026, 6, 1, tzinfo=UTC),
    ),
    FakeEntry(
        "Bus data for everyone",
        summary="Live bus times as open data.",
        themes=(OPEN_DATA,),
        sponsor=GMCA,
        year=2024,
        status="winners_announced",
        status_label="Winners announced",
        date=datetime(2024, 1, 1, tzinfo=UTC),
    ),
]


@pytest.fixture
def fake(settings, sponsor):
    """The fake backend with the catalogue above; both sponsors exist, as they would for real entries."""
    SponsorFactory(name=GMCA[1], slug=GMCA[0])
    settings.ARCHIVE_SEARCH_BACKEND = "tests.archive.fakes.FakeBackend"
    FakeBackend.load(CATALOGUE)
    return FakeBackend


def page_text(response) -> str:
    """The page as a visitor reads it: tags removed, entities decoded, whitespace collapsed."""
    body = re.sub(r"</?(a|span|strong|mark)\b[^>]*>", "", response.content.decode())
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def title(response) -> str:
    return html.unescape(re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip())


def checked(response) -> set[tuple[str, str]]:
    found = re.findall(
        r'<input class="govuk-checkboxes__input"[^>]*name="(\w+)" type="checkbox" value="([^"]*)" checked',
        response.content.decode(),
    )
    return set(found)


def hrefs(response) -> list[str]:
    return [html.unescape(href) for href in re.findall(r'href="([^"]*)"', response.content.decode())]


def last_request():
    return FakeBackend.requests[-1]


def test_results_and_facets_with_counts(client, fake):
    response = client.get(SEARCH, {"q": "homelessness"})
    assert response.status_code == 200
    text = page_text(response)
    for found in ("Prevent homelessness with data", "Warm homes for every tenant", "Early Help Finder"):
        assert found in text
    assert "Bus data for everyone" not in text
    assert "3 results for “homelessness”" in text
    assert "Homelessness (3)" in text and "Open data (1)" in text
    assert "West Midlands Combined Authority (2)" in text and "Greater Manchester Combined Authority (1)" in text
    assert "2026 (2)" in text and "2025 (1)" in text
    assert "Challenge (2)" in text and "Winner (1)" in text
    assert "Archived (1)" in text
    assert "Brumtech Analytics Ltd" in text  # a winner shows who won
    assert re.search(r'role="status" aria-live="polite"[^>]*>\s*<h2[^>]*>\s*3 results', response.content.decode())
    assert title(response).startswith("Search results for “homelessness”")


def test_blank_search_lists_everything_newest_first(client, fake):
    response = client.get(SEARCH)
    text = page_text(response)
    assert "4 results" in text
    order = [text.index(name) for name in ("Early Help Finder", "Prevent homelessness", "Warm homes", "Bus data")]
    assert order == sorted(order)
    assert title(response).startswith("Search the archive")


def test_choosing_facets_keeps_the_words_and_the_other_filters(client, fake):
    response = client.get(SEARCH, {"q": "homelessness", "theme": "homelessness", "year": "2026", "sort": "newest"})
    assert last_request().filters == {"theme": ("homelessness",), "year": ("2026",)}
    assert last_request().q == "homelessness" and last_request().sort == "newest"
    assert checked(response) == {("theme", "homelessness"), ("year", "2026")}
    body = response.content.decode()
    assert 'name="q" type="search" value="homelessness"' in body
    assert '<option value="newest" selected>' in body
    text = page_text(response)
    assert "2 results" in text
    assert "Remove filter: Theme Homelessness" in text and "Remove filter: Year 2026" in text


def test_removing_a_tag_keeps_everything_else(client, fake):
    response = client.get(SEARCH, {"q": "homelessness", "theme": "homelessness", "year": "2026", "sort": "oldest"})
    remove_year = re.search(
        r'href="([^"]*)"><span class="govuk-visually-hidden">Remove filter: Year', response.content.decode()
    )
    url = html.unescape(remove_year.group(1))
    assert url == f"{SEARCH}?q=homelessness&theme=homelessness&sort=oldest"

    response = client.get(url)
    assert last_request().filters == {"theme": ("homelessness",)}
    assert checked(response) == {("theme", "homelessness")}
    assert "3 results" in page_text(response)
    assert f"{SEARCH}?q=homelessness&sort=oldest" in hrefs(response)  # "Clear filters"


def test_pagination_links_keep_query_filters_and_sort(client, fake):
    FakeBackend.load([FakeEntry(f"Homelessness pilot {n}", summary="homelessness") for n in range(45)])
    response = client.get(SEARCH, {"q": "pilot", "theme": "homelessness", "sort": "newest", "page": "2"})
    assert last_request().page == 2
    links = hrefs(response)
    assert f"{SEARCH}?q=pilot&theme=homelessness&sort=newest" in links  # page 1 carries no page number
    assert f"{SEARCH}?q=pilot&theme=homelessness&sort=newest&page=3" in links
    assert 'aria-current="page">2<' in response.content.decode()
    assert title(response).startswith("Search results for “pilot” (page 2 of 3)")
    assert "45 results" in page_text(response)


def test_highlights_are_marked_but_everything_else_is_escaped(client, fake):
    FakeBackend.load(
        [FakeEntry("<script>alert('title')</script> Data", summary="Tenants <b>at risk</b> of homelessness")]
    )
    response = client.get(SEARCH, {"q": "homelessness"})
    body = response.content.decode()
    assert "<script>alert" not in body and "&lt;script&gt;alert" in body
    assert "<b>at risk</b>" not in body
    assert "<mark>homelessness</mark>" in body
    assert "Tenants &lt;b&gt;at risk&lt;/b&gt; of <mark>homelessness</mark>" in body


def test_a_highlight_carrying_other_html_is_shown_as_text(client, fake):
    FakeBackend.load(CATALOGUE[:1], extra_highlights=('<img src=x onerror="alert(1)"><mark>data</mark>',))
    body = client.get(SEARCH, {"q": "data"}).content.decode()
    assert "<img" not in body and "<mark>data</mark>" not in body


def test_did_you_mean_links_to_the_suggestion_with_the_same_filters(client, fake):
    FakeBackend.load(CATALOGUE, suggestion="homelessness")
    response = client.get(SEARCH, {"q": "homelesness", "year": "2026"})
    assert "Did you mean homelessness?" in page_text(response)
    assert f"{SEARCH}?q=homelessness&year=2026" in hrefs(response)
    assert "Did you mean" not in page_text(client.get(SEARCH, {"q": "Homelessness"}))  # nothing to correct


def test_empty_state_says_what_to_try(client, fake):
    response = client.get(SEARCH, {"q": "zeppelins", "theme": "homelessness"})
    assert response.status_code == 200
    text = page_text(response)
    assert "No results for “zeppelins”" in text
    assert "check the spelling, or use fewer or more general words" in text
    assert "remove the filters and search again for “zeppelins”" in text
    assert f"{SEARCH}?q=zeppelins" in hrefs(response)
    assert WINNERS in hrefs(response)


LONG = "homelessness " + "x" * 987


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": LONG}, "Your search was shortened to the first 200 characters."),
        (
            {"q": "homelessness", "theme": ["homelessness", "not-a-theme"], "year": ["20x6", "2026"], "kind": "person"},
            "These filters are not in the archive, so they were ignored: result type “person”, theme “not-a-theme”, "
            "year “20x6”.",
        ),
        ({"page": "two"}, "“two” is not a page number, so you are seeing page 1."),
        ({"page": "-3"}, "“-3” is not a page number, so you are seeing page 1."),
        ({"page": "99999"}, "There is only 1 page of results, so you are seeing page 1."),
        ({"sort": "price"}, "Results cannot be sorted by “price”, so they are sorted by relevance."),
    ],
    ids=["long-query", "unknown-facets", "page-word", "page-negative", "page-beyond-last", "unknown-sort"],
)
def test_bad_input_gives_a_normal_page_and_a_message(client, fake, params, message):
    response = client.get(SEARCH, params)
    assert response.status_code == 200
    assert message in page_text(response)
    assert "govuk-notification-banner" in response.content.decode()


def test_a_long_query_is_searched_and_shown_cut_short(client, fake):
    response = client.get(SEARCH, {"q": LONG})
    assert last_request().q == LONG[:200]
    assert f'value="{LONG[:200]}"' in response.content.decode()


def test_unknown_facet_values_are_dropped_and_the_rest_still_apply(client, fake):
    client.get(SEARCH, {"theme": ["homelessness", "not-a-theme"], "year": ["20x6", "2026"], "sponsor": "nobody"})
    assert last_request().filters == {"theme": ("homelessness",), "year": ("2026",)}


def test_a_page_beyond_the_last_shows_the_last_page(client, fake):
    FakeBackend.load([FakeEntry(f"Pilot {n}") for n in range(45)])
    response = client.get(SEARCH, {"page": "99999"})
    assert "There are only 3 pages of results, so you are seeing page 3." in page_text(response)
    assert [request.page for request in FakeBackend.requests] == [99999, 3]
    assert 'aria-current="page">3<' in response.content.decode()
    assert "Pilot" in page_text(response)


def test_a_huge_page_number_is_never_passed_on_as_it_is(client, fake):
    response = client.get(SEARCH, {"page": "9" * 40})
    assert response.status_code == 200
    assert FakeBackend.requests[0].page == 100_000


def test_a_page_beyond_the_last_of_nothing_is_the_empty_state(client, fake):
    response = client.get(SEARCH, {"q": "zeppelins", "page": "99999"})
    assert response.status_code == 200
    assert "No results for “zeppelins”" in page_text(response)
    assert title(response).startswith("Search results for “zeppelins”") and "page" not in title(response)


@pytest.mark.parametrize(
    "q",
    ['title:(a OR "b', r"*?~^\/", "<script>alert(1)</script>", "null\x00byte", "   ", "“smart quotes” & ampersands"],
)
def test_awkward_queries_give_a_normal_page(client, fake, q):
    response = client.get(SEARCH, {"q": q})
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert "\x00" not in last_request().q


def test_the_search_box_label_and_title_follow_the_gov_uk_pattern(client, fake):
    body = client.get(SEARCH).content.decode()
    assert '<label class="govuk-label govuk-label--m" for="archive-q">Search challenges and winners</label>' in body
    assert '<form method="get" action="/archive/"' in body


def test_suggestions_are_a_json_list_of_titles(client, fake):
    response = client.get(reverse("archive:suggest"), {"q": "prev"})
    assert response.status_code == 200
    assert response.json() == ["Prevent homelessness with data"]
    assert client.get(reverse("archive:suggest"), {"q": "   "}).json() == []
    assert client.get(reverse("archive:suggest")).json() == []
    assert client.get(reverse("archive:suggest"), {"q": "prev\x00"}).json() == ["Prevent homelessness with data"]


def test_the_winners_gallery_asks_only_for_winners_newest_first(client, fake):
    response = client.get(WINNERS, {"year": "2026", "kind": "challenge", "q": "ignored", "theme": "unknown"})
    assert response.status_code == 200
    request = last_request()
    assert request.filters == {"year": ("2026",), "kind": ("winner",)}
    assert (request.q, request.sort) == ("", "newest")
    text = page_text(response)
    assert "Early Help Finder" in text and "Brumtech Analytics Ltd" in text
    assert "Prevent homelessness with data" in text  # the challenge it won
    assert "Warm homes for every tenant" not in text
    assert "1 winner matching 2026" in text
    assert "These filters are not in the archive, so they were ignored: theme “unknown”." in text
    assert "Result type" not in text  # the gallery offers theme and year only
    assert title(response).startswith("Winners")


def test_the_winners_gallery_paginates_with_its_filters(client, fake):
    FakeBackend.load(
        [FakeEntry(f"Winner {n}", kind="winner", status="winner", status_label="Winner") for n in range(30)]
    )
    response = client.get(WINNERS, {"theme": "homelessness", "page": "2"})
    assert f"{WINNERS}?theme=homelessness&page=3" in hrefs(response)
    assert title(response).startswith("Winners (page 2 of 3)")


def test_the_search_box_include_leads_to_the_archive():
    body = Template('{% include "includes/search_box.html" %}').render(Context({}))
    assert 'action="/archive/"' in body and 'method="get"' in body and 'name="q"' in body
    assert (
        '<label class="govuk-label govuk-label--s" for="archive-search-box">Search challenges and winners</label>'
        in body
    )


# The real database backend.

needs_database_search = pytest.mark.skipif(
    not hasattr(DatabaseBackend, "search"), reason="archive.backends.database.DatabaseBackend has no search() yet"
)


@pytest.fixture
def database_archive(settings, demo_site):
    """A factory of real archive rows (on the one demo challenge), indexed by the database backend."""
    settings.ARCHIVE_SEARCH_BACKEND = DATABASE_BACKEND
    themes = list(Theme.objects.filter(slug__in=["homelessness", "open-data", "wellbeing"]))
    sponsors = [demo_site.challenge.sponsor, SponsorFactory(name=GMCA[1], slug=GMCA[0])]
    created = []

    def make(count: int) -> None:
        rows = []
        for n in range(len(created), len(created) + count):
            theme, sponsor = themes[n % len(themes)], sponsors[n % 2]
            row = ArchiveEntry.objects.create(
                key=f"test:{n}",
                kind="challenge",
                challenge=demo_site.challenge,
                title=f"Homelessness pilot {n}",
                summary=f"Pilot number {n} about homelessness and open data.",
                url=f"/pilot/{n}/",
                sponsor_slug=sponsor.slug,
                sponsor_name=sponsor.name,
                theme_slugs=[theme.slug],
                theme_names=[theme.name],
                year=2020 + n % 5,
                date=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(days=n),
                status="archived",
                status_label="Archived",
                challenge_title=f"Homelessness pilot {n}",
                source_modified=datetime(2024, 1, 1, tzinfo=UTC),
            )
            row.themes.set([theme])
            rows.append(row)
        created.extend(rows)
        DatabaseBackend().index(rows)

    return make


@needs_database_search
def test_the_archive_page_query_count_does_not_grow_with_entries(client, database_archive):
    params = {"q": "homelessness", "theme": ["homelessness", "open-data"], "year": "2021", "sort": "newest"}
    database_archive(6)
    client.get(SEARCH, params)  # warm the site's own lookups (navigation, site root)
    with CaptureQueriesContext(connection) as small:
        response = client.get(SEARCH, params)
    assert response.status_code == 200 and "Homelessness pilot" in page_text(response)

    database_archive(60)
    with CaptureQueriesContext(connection) as large:
        response = client.get(SEARCH, params)
    assert "Homelessness pilot" in page_text(response)
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]


@needs_database_search
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "homelessness"},
        {"q": "x" * 1000},
        {"q": 'title:(a OR "b'},
        {"q": r"*?~^\/"},
        {"q": "AND OR NOT"},
        {"theme": "not-a-theme", "year": "20x6"},
        {"page": "99999"},
        {"page": "abc", "sort": "oldest"},
    ],
)
def test_bad_input_never_fails_on_the_database_backend(client, database_archive, params):
    database_archive(25)
    assert client.get(SEARCH, params).status_code == 200
    assert client.get(WINNERS, params).status_code == 200


@needs_database_search
@pytest.mark.parametrize(
    "params",
    [
        {},
        {"sort": "newest"},
        {"q": "homelessness"},
        {"theme": "homelessness"},
        {"theme": ["homelessness", "open-data"]},
        {"year": "2024", "sort": "oldest"},
        {"sponsor": GMCA[0], "kind": "challenge"},
        {"q": "pilot", "theme": "wellbeing", "year": "2022"},
    ],
)
def test_blank_text_and_filtered_searches_take_as_many_queries_at_6_and_at_60_entries(client, database_archive, params):
    database_archive(6)
    client.get(SEARCH, params)  # warm the site's own lookups (navigation, site root)
    with CaptureQueriesContext(connection) as small:
        assert client.get(SEARCH, params).status_code == 200

    database_archive(54)
    with CaptureQueriesContext(connection) as large:
        assert client.get(SEARCH, params).status_code == 200
    assert len(large) == len(small), [query["sql"] for query in large.captured_queries]
