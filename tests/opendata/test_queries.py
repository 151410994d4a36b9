"""The query count of every list, download and feed stays the same however many rows it returns."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.models import Theme
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge

from .conftest import announce, decide

pytestmark = pytest.mark.django_db

URLS = (
    "/api/v1/challenges/?page_size=100",
    "/api/v1/challenges/?page_size=100&theme=homelessness&sponsor=wmca&status=winners_announced",
    "/api/v1/outcomes/?page_size=100",
    "/data/challenges.csv",
    "/data/outcomes.csv?sponsor=wmca&theme=housing",
    "/data/outcomes.csv",
    "/feeds/challenges.atom",
    "/feeds/winners.atom",
    "/data/",
)


def add_announced(sponsor_index, sponsor, manager, count: int, start: int) -> None:
    themes = list(Theme.objects.filter(slug__in=["homelessness", "housing"]))
    for n in range(start, start + count):
        challenge = closed_challenge(
            sponsor_index, sponsor, title=f"Challenge {n}", slug=f"challenge-{n}", themes=themes
        )
        decide(challenge, manager, organisation=f"Winner {n} Ltd", title=f"Idea {n}", outcome="winner")
        announce(challenge, manager)


def query_counts(client) -> dict[str, int]:
    counts = {}
    for url in URLS:
        client.get(url)  # warm Wagtail's site cache, as any running site has
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries.captured_queries)
    return counts


def test_query_counts_do_not_grow_with_rows(client, sponsor_index, sponsor):
    manager = make_manager(sponsor)
    add_announced(sponsor_index, sponsor, manager, 2, start=0)
    with_two = query_counts(client)
    add_announced(sponsor_index, sponsor, manager, 8, start=2)
    with_ten = query_counts(client)
    assert client.get(URLS[0]).json()["count"] == 10
    assert client.get("/api/v1/outcomes/").json()["count"] == 10
    assert with_ten == with_two
