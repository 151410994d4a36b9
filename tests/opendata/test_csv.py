"""The CSV downloads hold the API's rows, open cleanly in a spreadsheet, and never run a formula."""

import csv
import io

import pytest
from django.utils import timezone

from opendata.exports import CHALLENGE_COLUMNS, OUTCOME_COLUMNS
from tests.factories.challenges import make_manager
from tests.factories.judging import closed_challenge

from .conftest import SECRETS, announce, decide

pytestmark = pytest.mark.django_db


def download(client, url, **params) -> tuple[list[dict], list[str], object]:
    """(rows as dicts by heading, the header row, the response)."""
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = response.content
    assert content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]], rows[0], response


def api_rows(client, url, **params) -> list[dict]:
    return client.get(url, {**params, "page_size": "100"}).json()["results"]


def text(value) -> str:
    return "" if value is None else str(value)


def test_challenges_csv_has_a_dated_filename_and_a_header_row(client, published):
    rows, header, response = download(client, "/data/challenges.csv")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="challenges-{today:%Y-%m-%d}.csv"'
    assert header == [heading for heading, _ in CHALLENGE_COLUMNS]
    assert header[:4] == ["id", "title", "url", "summary"]
    assert len(rows) == 3


def test_challenges_csv_rows_are_the_api_rows(client, published):
    for params in ({}, {"sponsor": "gmca"}, {"theme": "homelessness", "status": "winners_announced"}):
        rows, _, _ = download(client, "/data/challenges.csv", **params)
        expected = api_rows(client, "/api/v1/challenges/", **params)
        assert [row["id"] for row in rows] == [str(row["id"]) for row in expected]
        for row, api in zip(rows, expected, strict=True):
            assert_same(row, api)


def assert_same(row: dict, api: dict) -> None:
    """A CSV row holds exactly the API row's values: nested fields flattened, lists joined by "; "."""
    for field in ("title", "url", "summary", "status", "opens_at", "closes_at", "judging_starts_at"):
        assert row[field] == text(api[field]), field
    for field in ("announce_at", "announced_at", "funding_available", "currency"):
        assert row[field] == text(api[field]), field
    assert (row["sponsor_name"], row["sponsor_slug"]) == (api["sponsor"]["name"], api["sponsor"]["slug"])
    assert row["theme_slugs"] == "; ".join(theme["slug"] for theme in api["themes"])
    assert row["theme_names"] == "; ".join(theme["name"] for theme in api["themes"])
    assert row["winner_references"] == "; ".join(winner["reference"] for winner in api["winners"])
    assert row["winner_organisations"] == "; ".join(winner["organisation"] for winner in api["winners"])


def test_outcomes_csv_rows_are_the_api_rows(client, published):
    for params in ({}, {"year": "2021"}):
        rows, header, response = download(client, "/data/outcomes.csv", **params)
        assert header == [heading for heading, _ in OUTCOME_COLUMNS]
        assert 'filename="outcomes-' in response["Content-Disposition"]
        expected = api_rows(client, "/api/v1/outcomes/", **params)
        flattened = [
            {
                **{key: text(value) for key, value in api.items() if key != "challenge"},
                "challenge_id": str(api["challenge"]["id"]),
                "challenge_title": api["challenge"]["title"],
                "challenge_url": api["challenge"]["url"],
            }
            for api in expected
        ]
        assert rows == flattened


def test_nothing_private_is_in_either_file(client, published):
    for url in ("/data/challenges.csv", "/data/outcomes.csv"):
        content = client.get(url).content.decode("utf-8-sig")
        for secret in SECRETS:
            assert secret not in content, (url, secret)


def test_a_value_a_spreadsheet_would_run_stays_text(client, sponsor_index, sponsor):
    manager = make_manager(sponsor)
    challenge = closed_challenge(sponsor_index, sponsor, title='=HYPERLINK("http://evil.example","Click")')
    decide(
        challenge,
        manager,
        organisation="+44 Ltd",
        title="-2+3",
        outcome="winner",
        public_summary="@SUM(A1:A9)",
    )
    announce(challenge, manager)

    challenges, _, _ = download(client, "/data/challenges.csv")
    assert challenges[0]["title"] == """'=HYPERLINK("http://evil.example","Click")"""
    assert challenges[0]["winner_organisations"] == "'+44 Ltd"
    outcomes, _, _ = download(client, "/data/outcomes.csv")
    assert (outcomes[0]["title"], outcomes[0]["organisation"]) == ("'-2+3", "'+44 Ltd")
    assert outcomes[0]["public_summary"] == "'@SUM(A1:A9)"
    assert outcomes[0]["challenge_title"].startswith("'=")
    assert api_rows(client, "/api/v1/outcomes/")[0]["title"] == "-2+3"


def test_a_bad_filter_on_a_download_is_a_400_with_the_message(client, published):
    response = client.get("/data/challenges.csv", {"year": "last year"})
    assert response.status_code == 400
    assert response.json() == {"errors": {"year": "Year 'last year' is not a year. Give four digits, such as 2025."}}
