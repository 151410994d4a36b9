"""Filtering and paging the API: each filter narrows the rows, and a bad value gets a 400 saying what is wrong."""

import pytest

from challenges.lifecycle import ChallengeStatus
from opendata import filters

pytestmark = pytest.mark.django_db

CHALLENGES = "/api/v1/challenges/"
OUTCOMES = "/api/v1/outcomes/"


def titles(client, url, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [row["title"] for row in response.json()["results"]]


def errors(client, url, expect=400, **params) -> dict:
    response = client.get(url, params)
    assert response.status_code == expect, response.content
    return response.json()["errors"]


CHALLENGE_CASES = [
    ({"status": "open"}, ["Healthy ageing at home"]),
    ({"status": ["open", "archived"]}, ["Healthy ageing at home", "Better housing repairs"]),
    ({"theme": "homelessness"}, ["Prevent homelessness with data"]),
    ({"theme": ["wellbeing", "housing"]}, ["Healthy ageing at home", "Better housing repairs"]),
    ({"sponsor": "gmca"}, ["Healthy ageing at home", "Better housing repairs"]),
    ({"year": "2021"}, ["Better housing repairs"]),
    ({"year": "1999"}, []),
    ({"sponsor": "gmca", "theme": "housing", "status": "archived"}, ["Better housing repairs"]),
    (
        {"theme": "", "status": ""},
        ["Healthy ageing at home", "Prevent homelessness with data", "Better housing repairs"],
    ),
]


def test_challenge_filters(client, published):
    for params, expected in CHALLENGE_CASES:
        assert titles(client, CHALLENGES, **params) == expected, params


OUTCOME_CASES = [
    ({"year": "2021"}, ["Repairs Radar"]),
    ({"sponsor": "wmca"}, ["Early Help Finder", "Home Truths", "Highly commended in “Prevent homelessness with data”"]),
    ({"theme": "housing"}, ["Repairs Radar"]),
    ({"theme": "open-data", "sponsor": "gmca"}, []),
]


def test_outcome_filters(client, published):
    for params, expected in OUTCOME_CASES:
        assert titles(client, OUTCOMES, **params) == expected, params


def test_each_bad_filter_value_is_named_with_what_to_use_instead(client, published):
    found = errors(client, CHALLENGES, status="bogus", theme="nope", sponsor="nobody", year="21")
    assert found == {
        "status": f"Unknown status 'bogus'. Use one of: {', '.join(ChallengeStatus.values)}.",
        "theme": found["theme"],
        "sponsor": "Unknown sponsor 'nobody'. Use a sponsor's slug, as listed on the open data page (/data/).",
        "year": "Year '21' is not a year. Give four digits, such as 2025.",
    }
    assert found["theme"].startswith("Unknown theme 'nope'. Use a theme's slug: air-quality-and-net-zero, ")
    assert "homelessness" in found["theme"]


def test_a_known_value_beside_an_unknown_one_still_fails(client, published):
    assert errors(client, CHALLENGES, theme=["homelessness", "nope"]) == {
        "theme": errors(client, CHALLENGES, theme="nope")["theme"]
    }


def test_hostile_filter_values_get_a_clear_400(client, published):
    for value in ["x" * 1000, 'title:(a OR "b', r"*?~^\/", "homelessness' OR 1=1 --", "٢٠٢١", "<script>", "open\x00"]:
        found = errors(client, CHALLENGES, theme=value, sponsor=value, year=value, status=value)
        assert set(found) == {"theme", "sponsor", "year", "status"}
        assert all(len(message) < 400 for message in found.values())
    assert "x" * 41 not in errors(client, CHALLENGES, theme="x" * 1000)["theme"]


def test_outcomes_refuse_a_filter_that_does_not_apply_to_them(client, published):
    assert errors(client, OUTCOMES, status="open") == {
        "status": "These rows cannot be filtered by status. Filter them by theme, sponsor, year."
    }
    assert errors(client, "/data/outcomes.csv", status="open")["status"]


def test_paging_links_keep_the_filters_and_are_absolute(client, published):
    first = client.get(CHALLENGES, {"page_size": "1", "sponsor": "gmca"}).json()
    assert (first["count"], len(first["results"]), first["previous"]) == (2, 1, None)
    assert first["next"] == "http://testserver/api/v1/challenges/?page_size=1&sponsor=gmca&page=2"
    second = client.get(first["next"]).json()
    assert [row["title"] for row in second["results"]] == ["Better housing repairs"]
    assert second["next"] is None
    assert second["previous"] == "http://testserver/api/v1/challenges/?page_size=1&sponsor=gmca&page=1"


def test_a_page_past_the_end_is_a_404_saying_where_the_end_is(client, published):
    assert errors(client, CHALLENGES, expect=404, page="99999") == {
        "page": "There is no page 99999: the last page is 1."
    }
    assert errors(client, OUTCOMES, expect=404, page="3", page_size="3")["page"] == (
        "There is no page 3: the last page is 2."
    )


PAGING_CASES = [
    ({"page": "abc"}, {"page": "Page must be a whole number, 1 or more."}),
    ({"page": "0"}, {"page": "Page must be a whole number, 1 or more."}),
    (
        {"page": "-1", "page_size": "0"},
        {
            "page": "Page must be a whole number, 1 or more.",
            "page_size": "Page size must be a whole number from 1 to 100.",
        },
    ),
    (
        {"page_size": "ten", "year": "20x1"},
        {
            "page_size": "Page size must be a whole number from 1 to 100.",
            "year": "Year '20x1' is not a year. Give four digits, such as 2025.",
        },
    ),
]


def test_bad_paging_is_a_400(client, published):
    for params, expected in PAGING_CASES:
        assert errors(client, CHALLENGES, **params) == expected, params


def test_a_page_size_over_the_maximum_is_capped(client, published, monkeypatch):
    assert filters.parse_paging({"page_size": "1000"}) == (1, 100)
    monkeypatch.setattr(filters, "MAX_PAGE_SIZE", 2)
    body = client.get(CHALLENGES, {"page_size": "1000"}).json()
    assert (body["count"], len(body["results"])) == (3, 2)
    assert body["next"].endswith("page_size=1000&page=2")


def test_an_empty_list_is_a_normal_first_page(client, db):
    assert client.get(CHALLENGES).json() == {"count": 0, "next": None, "previous": None, "results": []}
    assert client.get(OUTCOMES, {"year": "2030"}).json()["count"] == 0
