"""A judge declares conflicts with whole organisations up front, sees everything declared so far, and says which
of a challenge's themes they know."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from judging.models import Assignment, Conflict, PanelMember
from tests.factories import ThemeFactory
from tests.factories.judging import conflict
from tests.factories.organisations import make_organisation

pytestmark = pytest.mark.django_db


def soup(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def options(response) -> list[str]:
    return [option.get_text(strip=True) for option in soup(response).find("select").find_all("option")]


def error_summary(response) -> list[tuple[str, str]]:
    summary = soup(response).find(class_="govuk-error-summary")
    return [(link["href"], link.get_text(strip=True)) for link in summary.find_all("a")] if summary else []


def declared(response) -> list[str]:
    table = soup(response).find("table")
    return [" ".join(row.get_text(" ", strip=True).split()) for row in table.tbody.find_all("tr")] if table else []


@pytest.fixture
def judge(client, scene):
    client.force_login(scene.judges[0])
    return scene.judges[0]


def test_every_organisation_can_be_chosen_by_name(client, scene, judge):
    make_organisation(name="Aardvark Civic Ltd")

    response = client.get(reverse("judging:conflicts"))

    assert response.status_code == 200
    names = options(response)
    assert names[0] == "Choose an organisation"
    assert names[1:] == sorted(names[1:])
    assert {"Aardvark Civic Ltd", scene.proposal.organisation.name, scene.other_proposal.organisation.name} <= set(
        names
    )
    assert "You have not declared any conflicts of interest." in soup(response).get_text()


def test_both_answers_are_needed_and_what_was_typed_is_kept(client, scene, judge):
    response = client.post(reverse("judging:conflicts"), {"organisation": "", "reason": "I was a director there"})

    assert response.status_code == 400
    assert error_summary(response) == [
        ("#id_organisation", "Choose the organisation you have a conflict of interest with")
    ]
    assert soup(response).find("textarea", attrs={"name": "reason"}).get_text().strip() == "I was a director there"

    organisation = scene.proposal.organisation
    response = client.post(reverse("judging:conflicts"), {"organisation": organisation.pk, "reason": ""})

    assert error_summary(response) == [("#id_reason", "Describe your conflict of interest with the organisation")]
    assert soup(response).find("option", selected=True).get_text(strip=True) == organisation.name
    assert not Conflict.objects.filter(judge=judge).exists()


def test_declaring_a_conflict_with_an_organisation_withdraws_its_proposals(client, scene, judge):
    organisation = scene.proposal.organisation

    response = client.post(
        reverse("judging:conflicts"), {"organisation": organisation.pk, "reason": "I advise their board"}
    )

    assert response.status_code == 302
    assert Conflict.objects.get(judge=judge, organisation=organisation).reason == "I advise their board"
    assert not Assignment.objects.filter(pk=scene.review.assignment_id).exists()
    page = client.get(response.url)
    assert f"Your conflict of interest with {organisation.name} has been recorded." in page.content.decode()
    assert declared(page)[0].startswith(f"{organisation.name} I advise their board")
    assert organisation.name not in options(page)
    assert scene.proposal.title not in client.get(reverse("judging:dashboard")).content.decode()


def test_proposal_conflicts_are_listed_by_reference_and_title(client, scene, judge):
    conflict(judge, proposal=scene.other_proposal, reason="Former colleague")

    rows = declared(client.get(reverse("judging:conflicts")))

    assert rows[0].startswith(
        f"Proposal {scene.other_proposal.reference}: {scene.other_proposal.title} Former colleague"
    )


def test_a_judge_sets_their_expertise_among_the_challenges_themes(client, scene, judge):
    housing, data = ThemeFactory(name="Housing", slug="housing"), ThemeFactory(name="Open data", slug="open-data")
    unrelated = ThemeFactory(name="Transport", slug="transport")
    scene.challenge.themes.set([housing, data])
    scene.challenge.save()  # a ParentalManyToManyField is written when the page is saved
    url = reverse("judging:expertise", args=[scene.challenge.pk])

    page = client.get(url)
    labels = [label.get_text(strip=True) for label in soup(page).main.find_all("label")]
    assert labels == ["Housing", "Open data"]

    response = client.post(url, {"themes": [data.pk]})

    assert response.status_code == 302
    member = PanelMember.objects.get(challenge=scene.challenge, judge=judge)
    assert list(member.expertise.all()) == [data]
    assert "Your expertise for" in client.get(response.url).content.decode()
    page = soup(client.get(url))
    assert [box["value"] for box in page.find_all("input", checked=True)] == [str(data.pk)]

    refused = client.post(url, {"themes": [unrelated.pk]})
    assert refused.status_code == 400
    assert error_summary(refused) == [("#id_themes", "Choose themes from the list")]
    assert list(member.expertise.all()) == [data]

    cleared = client.post(url, {})
    assert cleared.status_code == 302
    assert not member.expertise.exists()
