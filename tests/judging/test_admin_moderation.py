"""Sending proposals to moderation from the screening page while some of their reviews are not submitted: the
manager is told which reviews (the judge and how far the review has got) and moves them only by saying so."""

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse

from audit.models import Event
from judging.labels import NOT_STARTED
from submissions.models import ProposalStatus as S
from tests.factories.judging import assign, make_judge, score, seat
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db

ANYWAY = "Send to moderation anyway"


def url(scene) -> str:
    return reverse("judging_admin:proposals", args=(scene.challenge.pk,))


def judge(scene, first: str, last: str):
    person = make_judge(email=f"{first.lower()}@panel.example", first_name=first, last_name=last)
    seat(scene.challenge, person)
    return person


@pytest.fixture
def panel(scene):
    return {
        "alex": judge(scene, "Alex", "Smith"),
        "priya": judge(scene, "Priya", "Patel"),
        "sam": judge(scene, "Sam", "Jones"),
    }


@pytest.fixture
def half_reviewed(scene, panel):
    """In assessment: Sam has submitted, Alex has saved a draft, Priya has not started."""
    proposal = make_proposal(scene.challenge, status=S.IN_ASSESSMENT, title="Rent arrears early warning")
    score(assign(proposal, panel["sam"]), 4, 4)
    score(assign(proposal, panel["alex"]), 3, 2, submit=False)
    assign(proposal, panel["priya"])
    return proposal


@pytest.fixture
def fully_reviewed(scene, panel):
    proposal = make_proposal(scene.challenge, status=S.IN_ASSESSMENT, title="Hostel vacancy map")
    score(assign(proposal, panel["sam"]), 2, 3)
    score(assign(proposal, panel["priya"]), 3, 3)
    return proposal


def page_of(response) -> BeautifulSoup:
    return BeautifulSoup(response.content, "html.parser")


def warning(response) -> list[str]:
    """The lines of the "not every review is submitted" warning, spaces collapsed; [] when there is none."""
    box = page_of(response).find(id="unsubmitted-reviews")
    return [" ".join(item.get_text().split()) for item in box.find_all("li")] if box else []


def press_anyway(client, scene, response):
    """Press "Send to moderation anyway" on the page: the form's ticked proposals, chosen status and note as the
    page shows them, with the button's own name and value."""
    button = page_of(response).find("button", string=ANYWAY)
    form = button.find_parent("form")
    data = {
        "proposals": [box["value"] for box in form.find_all("input", attrs={"name": "proposals", "checked": True})],
        "to": form.find("select", attrs={"name": "to"}).find("option", selected=True)["value"],
        "note": form.find("textarea", attrs={"name": "note"}).get_text().strip(),
        button["name"]: button["value"],
    }
    assert form["action"] == ""  # the form posts back to the page it is on
    return client.post(url(scene), data)


def move(client, scene, *proposals, **extra):
    return client.post(url(scene), {"proposals": [p.pk for p in proposals], "to": "moderation", **extra})


def test_unsubmitted_reviews_are_named_and_nothing_moves_until_the_manager_says_so(
    manager_client, scene, half_reviewed
):
    response = move(manager_client, scene, half_reviewed)

    assert response.status_code == 200
    assert warning(response) == [
        f"{half_reviewed.reference} Rent arrears early warning: 2 reviews are not submitted: "
        f"Alex Smith (draft), Priya Patel ({NOT_STARTED.lower()})."
    ]
    text = " ".join(page_of(response).get_text().split())
    assert "Nothing has been moved yet. Send to moderation anyway, or wait for the judges to submit." in text
    assert f'id="select-{half_reviewed.pk}" checked' in response.content.decode()
    assert '<option value="moderation" selected>' in response.content.decode()
    half_reviewed.refresh_from_db()
    assert half_reviewed.status == S.IN_ASSESSMENT
    assert not Event.objects.filter(verb="sent to moderation").exists()

    confirmed = press_anyway(manager_client, scene, response)

    assert confirmed.status_code == 302
    half_reviewed.refresh_from_db()
    assert half_reviewed.status == S.MODERATION
    assert Event.objects.filter(verb="sent to moderation", proposal_id=half_reviewed.pk).count() == 1
    after = manager_client.get(confirmed.url)
    assert "1 moved to moderation." in after.content.decode()
    assert warning(after) == []


def test_with_every_review_submitted_the_move_happens_straight_away(manager_client, scene, fully_reviewed):
    response = move(manager_client, scene, fully_reviewed)

    assert response.status_code == 302
    fully_reviewed.refresh_from_db()
    assert fully_reviewed.status == S.MODERATION
    page = manager_client.get(response.url)
    assert "1 moved to moderation." in page.content.decode()
    assert ANYWAY not in page.content.decode()


def test_a_bulk_move_names_only_the_proposals_still_waiting_and_holds_them_all(
    manager_client, scene, half_reviewed, fully_reviewed, panel
):
    only_one = make_proposal(scene.challenge, status=S.IN_ASSESSMENT, title="Tenancy app")
    assign(only_one, panel["sam"])

    response = move(manager_client, scene, half_reviewed, fully_reviewed, only_one)

    assert warning(response) == [
        f"{half_reviewed.reference} Rent arrears early warning: 2 reviews are not submitted: "
        "Alex Smith (draft), Priya Patel (not started).",
        f"{only_one.reference} Tenancy app: 1 review is not submitted: Sam Jones (not started).",
    ]
    links = [a["href"] for a in page_of(response).find(id="unsubmitted-reviews").find_all("a")]
    assert links == [
        reverse("judging_admin:proposal", args=(scene.challenge.pk, proposal.pk))
        for proposal in (half_reviewed, only_one)
    ]
    for proposal in (half_reviewed, fully_reviewed, only_one):
        proposal.refresh_from_db()
        assert proposal.status == S.IN_ASSESSMENT

    assert press_anyway(manager_client, scene, response).status_code == 302
    for proposal in (half_reviewed, fully_reviewed, only_one):
        proposal.refresh_from_db()
        assert proposal.status == S.MODERATION


def test_saying_so_covers_only_the_reviews_the_manager_was_shown(manager_client, scene, half_reviewed, panel):
    shown = move(manager_client, scene, half_reviewed)
    late = judge(scene, "Bea", "Okafor")
    assign(half_reviewed, late)

    again = press_anyway(manager_client, scene, shown)

    assert again.status_code == 200
    assert warning(again) == [
        f"{half_reviewed.reference} Rent arrears early warning: 3 reviews are not submitted: "
        "Alex Smith (draft), Bea Okafor (not started), Priya Patel (not started)."
    ]
    half_reviewed.refresh_from_db()
    assert half_reviewed.status == S.IN_ASSESSMENT
    assert press_anyway(manager_client, scene, again).status_code == 302
    half_reviewed.refresh_from_db()
    assert half_reviewed.status == S.MODERATION


def test_a_forged_acknowledgement_acknowledges_nothing(manager_client, scene, half_reviewed):
    response = move(manager_client, scene, half_reviewed, acknowledged="all, of them")

    assert response.status_code == 200
    assert len(warning(response)) == 1
    half_reviewed.refresh_from_db()
    assert half_reviewed.status == S.IN_ASSESSMENT


def test_other_moves_are_never_held(manager_client, scene):
    """Moving eligible proposals into assessment does not wait for reviews (they have none yet)."""
    eligible = make_proposal(scene.challenge, status=S.ELIGIBLE)
    response = manager_client.post(url(scene), {"proposals": [eligible.pk], "to": "in_assessment"})
    assert response.status_code == 302
    eligible.refresh_from_db()
    assert eligible.status == S.IN_ASSESSMENT
