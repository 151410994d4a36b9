"""The JSON API: what a challenge and an outcome look like, and that nothing private ever appears."""

import json

import pytest

from .conftest import SECRETS

pytestmark = pytest.mark.django_db

CHALLENGES = "/api/v1/challenges/"
OUTCOMES = "/api/v1/outcomes/"


def get_json(client, url, status=200, **params):
    response = client.get(url, params)
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def titles(body) -> list[str]:
    return [row["title"] for row in body["results"]]


def test_the_challenge_list_shows_every_public_challenge_newest_first(client, published):
    body = get_json(client, CHALLENGES)
    assert body["count"] == 3
    assert titles(body) == ["Healthy ageing at home", "Prevent homelessness with data", "Better housing repairs"]
    assert (body["next"], body["previous"]) == (None, None)


def test_a_challenge_has_its_public_fields_and_published_winners(client, published):
    row = get_json(client, f"{CHALLENGES}{published.announced.pk}/")
    assert row["id"] == published.announced.pk
    assert row["url"] == f"http://testserver{published.announced.url}"
    assert row["summary"] == published.announced.summary
    assert row["sponsor"] == {"name": "West Midlands Combined Authority", "slug": "wmca"}
    assert row["themes"] == [
        {"name": "Homelessness", "slug": "homelessness"},
        {"name": "Open data", "slug": "open-data"},
    ]
    assert row["status"] == "winners_announced"
    assert (row["funding_available"], row["currency"]) == ("50000.00", "GBP")
    assert row["announced_at"] and row["opens_at"].endswith(("+00:00", "+01:00"))
    assert [(w["organisation"], w["title"], w["award"]) for w in row["winners"]] == [
        ("Brumtech Analytics Ltd", "Early Help Finder", "winner"),
        ("Kindred Futures CIC", "Home Truths", "highly_commended"),
        # No consent to publish its own words: the award is on the record under a neutral title.
        ("Quiet Ltd", "Highly commended in “Prevent homelessness with data”", "highly_commended"),
    ]
    assert row["winners"][0]["reference"] == published.winner.reference
    assert row["winners"][0]["url"] == f"http://testserver/archive/winners/{published.winner.pk}/"


def test_an_open_challenge_has_no_winners_and_its_status(client, published):
    row = get_json(client, f"{CHALLENGES}{published.open.pk}/")
    assert (row["status"], row["winners"], row["announced_at"]) == ("open", [], None)


def test_outcomes_are_every_announced_award_newest_announcement_first(client, published):
    body = get_json(client, OUTCOMES)
    assert [(row["organisation"], row["award"]) for row in body["results"]] == [
        ("Brumtech Analytics Ltd", "winner"),
        ("Kindred Futures CIC", "highly_commended"),
        ("Quiet Ltd", "highly_commended"),
        ("Fixit Co-operative", "winner"),
    ]
    unconsented = body["results"][2]
    assert (unconsented["title"], unconsented["public_summary"], unconsented["public_rationale"]) == (
        "Highly commended in “Prevent homelessness with data”",
        "",
        "Why Quiet Ltd won.",
    )
    first = body["results"][0]
    assert first == {
        "reference": published.winner.reference,
        "title": "Early Help Finder",
        "organisation": "Brumtech Analytics Ltd",
        "award": "winner",
        "public_summary": "Rent-arrears signals, explained to caseworkers.",
        "public_rationale": "Why Early Help Finder won.",
        "url": f"http://testserver/archive/winners/{published.winner.pk}/",
        "challenge": {
            "id": published.announced.pk,
            "title": "Prevent homelessness with data",
            "url": f"http://testserver{published.announced.url}",
        },
        "announced_at": first["announced_at"],
    }
    assert body["results"][3]["announced_at"] == "2021-04-12T10:00:00+01:00"


@pytest.mark.parametrize("url", [CHALLENGES, OUTCOMES, "/api/v1/challenges/?page_size=100"])
def test_nothing_private_ever_appears(client, published, url):
    text = json.dumps(client.get(url).json())
    for secret in SECRETS:
        assert secret not in text, secret
    for private in ("score", "feedback", "judge", "email", "consent"):
        assert private not in text.lower(), private


def test_a_challenge_that_is_not_public_is_a_json_404(client, published, sponsor_index):
    hidden = sponsor_index.get_children().specific().filter(title__in=["Draft challenge", "Private challenge"])
    unpublished = published.announced.__class__.objects.get(slug="taken-down")
    for challenge in [*hidden, unpublished]:
        body = get_json(client, f"{CHALLENGES}{challenge.pk}/", status=404)
        assert body == {"errors": {"id": f"There is no published challenge with id {challenge.pk}."}}
    for missing in ("999999", "9" * 30):
        assert get_json(client, f"{CHALLENGES}{missing}/", status=404)["errors"]["id"].endswith(f"id {missing}.")


def test_an_announced_challenge_lists_winners_only_after_the_announcement(client, listing, sponsor_index, sponsor):
    from tests.factories.judging import closed_challenge, make_manager

    from .conftest import announce, decide

    manager = make_manager(sponsor)
    challenge = closed_challenge(sponsor_index, sponsor, title="Awaiting announcement")
    decide(challenge, manager, organisation="Soon Ltd", title="Soon Winner", outcome="winner")
    assert get_json(client, f"{CHALLENGES}{challenge.pk}/")["winners"] == []
    assert get_json(client, OUTCOMES)["count"] == 0

    announce(challenge, manager)
    assert [w["title"] for w in get_json(client, f"{CHALLENGES}{challenge.pk}/")["winners"]] == ["Soon Winner"]
    assert titles(get_json(client, OUTCOMES)) == ["Soon Winner"]


def test_only_get_is_allowed(client, published):
    for url in (
        CHALLENGES,
        OUTCOMES,
        f"{CHALLENGES}{published.open.pk}/",
        "/data/challenges.csv",
        "/feeds/winners.atom",
    ):
        assert client.post(url).status_code == 405


def test_responses_are_public_and_cacheable(client, published):
    response = client.get(CHALLENGES)
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
