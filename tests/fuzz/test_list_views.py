"""Every list view takes anything in its address: each query parameter it reads (page, page size, filters, sort),
garbage, huge numbers, unicode, NUL bytes and repeats, never gives a server error; a page number past the end
shows the last page (an API answers 404 naming the last page), never a database error. A tenth as many examples
as the form tests run (100 by default): a list view stores nothing, so there is less to find.

The archive's search and winners gallery have their own, stricter tests in test_archive_query.py.
"""

from urllib.parse import urlencode

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.factories import ChallengePageFactory, UserFactory
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge
from tests.factories.submissions import make_proposal
from tests.fuzz.conftest import FUZZ, html, text

pytestmark = [pytest.mark.fuzz, pytest.mark.django_db]

HUGE = "99999999999999999999"
LISTS = settings(FUZZ, max_examples=max(FUZZ.max_examples // 10, 20))
"""A tenth of a form's examples: a list view has no stored data to lose, only parameters that must not break it."""


def page_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(-5, 5).map(str),
        st.integers(0, 10**30).map(str),
        st.sampled_from(["", HUGE, "9" * 400, "1.5", "1e3", "٣", "²", "0x10", " 2 ", "\x002", "last", "-0"]),
        text(20),
    )


def filter_value(real: list[str]) -> st.SearchStrategy[str]:
    noise = st.one_of(text(30), st.integers(-(10**20), 10**20).map(str))
    return st.one_of(st.sampled_from(real), noise) if real else noise


@st.composite
def query(draw, params: dict[str, list[str]]) -> str:
    """A query string: any of the view's parameters (real values more often), any number of times, plus noise."""
    pairs = []
    for name, real in params.items():
        values = page_value() if name in ("page", "p", "page_size") else filter_value(real)
        pairs += [(name, value) for value in draw(st.lists(values, max_size=3))]
    pairs += draw(st.lists(st.tuples(st.one_of(st.sampled_from(list(params)), text(10)), text(20)), max_size=3))
    if draw(st.integers(0, 20)) == 0:
        name = draw(st.sampled_from(list(params)))
        pairs += [(name, draw(filter_value(params[name])))] * 200
    return urlencode(draw(st.permutations(pairs)))


LISTING = {"page": [], "theme": ["homelessness", "open-data"], "status": ["open", "closed"], "sponsor": ["wmca"],
           "sort": ["closing", "newest"]}  # fmt: skip
OPEN_DATA = {"page": [], "page_size": [], "status": ["open", "archived"], "theme": ["homelessness"],
             "sponsor": ["wmca"], "year": ["2026", "2027"]}  # fmt: skip


@pytest.fixture
def many_challenges(demo_site):
    for n in range(3):
        ChallengePageFactory(parent=demo_site.sponsor_index, sponsor=demo_site.challenge.sponsor, title=f"More {n}")
    return demo_site


def check(client, url: str, query_string: str) -> None:
    response = client.get(f"{url}?{query_string}")
    assert response.status_code < 500, (url, query_string, response.status_code)
    if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
        assert "Server error" not in html(response)


@pytest.mark.parametrize("which", ["listing", "sponsor_index"])
def test_the_challenge_listings_never_fail(client, many_challenges, settings, which):
    settings.CHALLENGES_PER_PAGE = 2
    url = getattr(many_challenges, which).url

    @LISTS
    @given(query(LISTING))
    def run(query_string):
        check(client, url, query_string)

    run()


@pytest.mark.parametrize("url", ["/api/v1/challenges/", "/api/v1/outcomes/", "/data/challenges.csv",
                                 "/data/outcomes.csv"])  # fmt: skip
def test_the_open_data_lists_never_fail(client, many_challenges, url):
    @LISTS
    @given(query(OPEN_DATA))
    def run(query_string):
        check(client, url, query_string)

    run()


def test_a_suppliers_own_questions_never_fail(client, many_challenges):
    client.force_login(UserFactory(verified=True))

    @LISTS
    @given(query({"page": []}))
    def run(query_string):
        check(client, reverse("clarifications:mine"), query_string)

    run()


@pytest.mark.parametrize("name", ["results", "audit", "proposals"])
def test_the_managers_judging_lists_never_fail(client, listing, sponsor_index, sponsor, name):
    challenge = closed_challenge(sponsor_index, sponsor)
    make_proposal(challenge, title="Early warning for rent arrears")
    client.force_login(make_manager(sponsor, email="manager@wmca.example"))
    url = reverse(f"judging_admin:{name}", args=[challenge.pk])
    params = {"p": [], "page": [], "status": ["submitted", "eligible", "in_assessment"], "verb": ["submitted"],
              "min_reviews": ["0", "3"], "flagged": ["on", "1"]}  # fmt: skip

    @LISTS
    @given(query(params))
    def run(query_string):
        check(client, url, query_string)

    run()


@pytest.mark.parametrize("number", [HUGE, "9" * 400, str(2**63), "1000000"])
def test_a_page_far_past_the_end_of_a_listing_shows_the_last_page(client, many_challenges, settings, number):
    settings.CHALLENGES_PER_PAGE = 2
    for url in (many_challenges.listing.url, many_challenges.sponsor_index.url):
        response = client.get(url, {"page": number})
        assert response.status_code == 200, url
        assert response.context["page_obj"].number == response.context["page_obj"].paginator.num_pages == 2


def test_a_page_far_past_the_end_of_the_api_names_the_last_page(client, many_challenges):
    response = client.get("/api/v1/challenges/", {"page": HUGE})
    assert response.status_code == 404
    assert response.json()["errors"]["page"] == f"There is no page {HUGE}: the last page is 1."
