"""The pilots in the JSON API and the CSV: what the public scorecard shows and nothing more (public measures only,
values of accepted reports only, never a narrative or a draft), filterable, at a query count that does not grow."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from judging.models import Decision
from pilots.models import PilotStatus
from tests.factories.judging import closed_challenge
from tests.factories.pilots import PILOT_SECRETS, make_pilot

from .conftest import SECRETS, announce, decide

pytestmark = pytest.mark.django_db


@pytest.fixture
def pilots(published, sponsor_index, sponsor, manager):
    """The winner's pilot (on track, reports in), the commended one's (at risk, no reports yet); a pilot of a
    challenge not yet announced, whose award is not public."""
    winner = make_pilot(published.winner)
    commended = make_pilot(
        published.commended, status=PilotStatus.AT_RISK, status_reason="Recruitment is slow.", with_reports=False
    )
    pending = closed_challenge(sponsor_index, sponsor, title="Not yet announced", slug="not-yet")
    make_pilot(decide(pending, manager, organisation="Too Soon Ltd", title="Too Soon", outcome="winner"))
    return published, winner, commended


def rows(client, url="/api/v1/pilots/", **params) -> list[dict]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert "public" in response["Cache-Control"]
    return response.json()["results"]


def csv_lines(client, **params) -> list[dict]:
    response = client.get("/data/pilots.csv", params)
    assert response.status_code == 200, response.content
    assert 'filename="pilots-' in response["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return [dict(zip(lines[0], line, strict=True)) for line in lines[1:]]


def test_each_public_pilot_with_its_public_scorecard(client, pilots):
    published, _, _ = pilots
    results = {row["reference"]: row for row in rows(client)}
    assert set(results) == {published.winner.reference, published.commended.reference}
    row = results[published.winner.reference]
    assert row["challenge"]["id"] == published.announced.pk
    assert row["organisation"] == "Brumtech Analytics Ltd"
    assert (row["status"], row["status_label"], row["status_reason"]) == ("on_track", "On track", "")
    assert (row["starts_on"], row["ends_on"]) == ("2026-01-05", "2027-01-04")
    assert (row["milestones_done"], row["milestones_total"]) == (1, 2)
    assert (row["award_amount"], row["paid"], row["currency"]) == ("50000.00", "10000.00", "GBP")
    assert row["final_summary"] == ""
    assert row["measures"] == [
        {
            "name": "Households kept in their homes",
            "unit": "households",
            "baseline": "0.00",
            "target": "120.00",
            "higher_is_better": True,
            "latest": "42.00",
            "latest_on": "2026-04-05",
        }
    ]
    at_risk = results[published.commended.reference]
    assert (at_risk["status"], at_risk["status_reason"]) == ("at_risk", "Recruitment is slow.")
    assert at_risk["measures"][0]["latest"] is None


def test_nothing_private_reaches_the_api_or_the_csv(client, pilots):
    api = json.dumps(client.get("/api/v1/pilots/").json(), ensure_ascii=False)
    download = client.get("/data/pilots.csv").content.decode("utf-8-sig")
    for text in (api, download):
        for secret in (*PILOT_SECRETS, *SECRETS, "Too Soon", "812.50"):
            assert secret not in text, secret


def test_filters_by_status_and_challenge(client, pilots):
    published, _, _ = pilots
    assert [row["status"] for row in rows(client, status="at_risk")] == ["at_risk"]
    assert len(rows(client, status=["at_risk", "on_track"])) == 2
    assert len(rows(client, challenge=published.announced.pk)) == 2
    assert rows(client, challenge=published.old.pk) == []
    assert {line["status"] for line in csv_lines(client, status="on_track")} == {"on_track"}


def test_bad_filters_get_a_400_saying_why(client, pilots):
    response = client.get("/api/v1/pilots/", {"status": "open", "challenge": "abc", "theme": "housing"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["status"] == (
        "Unknown pilot status 'open'. Use one of: not_started, on_track, at_risk, complete, stopped."
    )
    assert errors["challenge"] == "Challenge 'abc' is not a challenge id. Give the challenge's id, a whole number."
    assert errors["theme"] == "These rows cannot be filtered by theme. Filter them by status, challenge."
    assert client.get("/data/pilots.csv", {"status": "nope"}).status_code == 400
    assert client.get("/api/v1/pilots/", {"page": "9"}).status_code == 404


def test_the_csv_has_one_line_per_public_measure_with_the_apis_values(client, pilots):
    api = {row["reference"]: row for row in rows(client)}
    lines = csv_lines(client)
    assert len(lines) == 2
    for line in lines:
        row = api[line["reference"]]
        measure = row["measures"][0]
        assert line["challenge_id"] == str(row["challenge"]["id"])
        assert (line["status"], line["award_amount"], line["paid"]) == (row["status"], row["award_amount"], row["paid"])
        assert (line["measure_name"], line["measure_target"]) == (measure["name"], measure["target"])
        assert line["measure_latest"] == (measure["latest"] or "")


def test_a_pilot_without_a_public_measure_still_has_a_line(client, pilots):
    _, _, commended = pilots
    commended.measures.all().delete()
    lines = csv_lines(client, status="at_risk")
    assert len(lines) == 1
    assert (lines[0]["measure_name"], lines[0]["organisation"]) == ("", "Kindred Futures CIC")


def counts(client) -> dict[str, int]:
    Decision.objects.filter(outcome="winner").update(amount=Decimal("1000"))
    found = {}
    for url in ("/api/v1/pilots/?page_size=100", "/data/pilots.csv", "/data/360giving.json", "/data/360giving.csv"):
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        found[url] = len(queries.captured_queries)
    return found


def test_query_count_is_the_same_for_one_pilot_and_five(client, published, sponsor_index, sponsor, manager):
    make_pilot(published.winner)
    with_one = counts(client)
    for n in range(4):
        challenge = closed_challenge(sponsor_index, sponsor, title=f"Challenge {n}", slug=f"challenge-{n}")
        proposal = decide(challenge, manager, organisation=f"Winner {n} Ltd", title=f"Idea {n}", outcome="winner")
        announce(challenge, manager)
        make_pilot(proposal)
    with_five = counts(client)
    assert client.get("/api/v1/pilots/").json()["count"] == 5
    assert len(client.get("/data/360giving.json").json()["grants"]) == 6
    assert with_five == with_one
