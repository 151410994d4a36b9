"""What stops the announcement, as the announcement page says it: the proposals in the way (reference and title,
each linked to its page) and the one next step for them, linked to the tab where it is done."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from challenges.models import ChallengePage
from core.formatting import format_moment
from judging.selectors.decisions import NAMED, announcement_blockers
from submissions.models import ProposalStatus as S
from tests.factories.submissions import make_proposal

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"judging_admin:{name}", args=args)


def blockers_on(response) -> list[dict]:
    listing = BeautifulSoup(response.content, "html.parser").find(id="blockers")
    return [
        {
            "text": " ".join(item.get_text().split()),
            "links": [(link.get_text(strip=True), link["href"]) for link in item.find_all("a")],
        }
        for item in listing.find_all("li", recursive=False)
    ]


@pytest.fixture
def in_every_state(scene):
    """Besides the scene's two proposals in assessment: one to screen, one to assign, two to decide (moderation
    and shortlisted) and a winner with no recorded decision."""
    make = make_proposal
    return {
        "screen": make(scene.challenge, status=S.SUBMITTED, title="Late idea"),
        "assign": make(scene.challenge, status=S.ELIGIBLE, title="Eligible idea"),
        "moderation": make(scene.challenge, status=S.MODERATION, title="Moderated idea"),
        "shortlisted": make(scene.challenge, status=S.SHORTLISTED, title="Shortlisted idea"),
        "winner": make(scene.challenge, status=S.WINNER, title="Winner without a decision"),
    }


def test_each_blocker_names_its_proposals_and_the_one_next_step_with_a_link(manager_client, scene, in_every_state):
    p = in_every_state
    first, second = scene.proposal, scene.other_proposal
    pk = scene.challenge.pk

    def proposal_link(proposal):
        return (proposal.reference, url("proposal", pk, proposal.pk))

    response = manager_client.get(url("announce", pk))

    assert blockers_on(response) == [
        {
            "text": f"Screen this proposal on the Screening tab: {p['screen'].reference} Late idea",
            "links": [("Screening tab", url("proposals", pk) + "?status=submitted"), proposal_link(p["screen"])],
        },
        {
            "text": f"Assign judges to this proposal on the Assignments tab: {p['assign'].reference} Eligible idea",
            "links": [("Assignments tab", url("coverage", pk)), proposal_link(p["assign"])],
        },
        {
            "text": f"Send these 2 proposals to moderation on the Screening tab: {first.reference} {first.title} "
            f"{second.reference} {second.title}",
            "links": [
                ("Screening tab", url("proposals", pk) + "?status=in_assessment"),
                proposal_link(first),
                proposal_link(second),
            ],
        },
        {
            "text": f"Decide these 2 proposals on the Decisions tab: {p['moderation'].reference} Moderated idea "
            f"{p['shortlisted'].reference} Shortlisted idea",
            "links": [
                ("Decisions tab", url("decisions", pk)),
                proposal_link(p["moderation"]),
                proposal_link(p["shortlisted"]),
            ],
        },
        {
            "text": "Record the decision and public rationale for this award on the Decisions tab: "
            f"{p['winner'].reference} Winner without a decision",
            "links": [("Decisions tab", url("decisions", pk)), proposal_link(p["winner"])],
        },
    ]
    assert b"Announce the winners now</button>" not in response.content
    # The decisions page lists the same blockers.
    assert blockers_on(manager_client.get(url("decisions", pk))) == blockers_on(response)


def test_the_log_and_the_refusal_say_the_same_in_one_line_each(scene, in_every_state):
    lines = [str(blocker) for blocker in announcement_blockers(scene.challenge)]
    assert lines[0] == f"Screen this proposal on the Screening tab: {in_every_state['screen'].reference} Late idea."
    assert lines[-1] == (
        "Record the decision and public rationale for this award on the Decisions tab: "
        f"{in_every_state['winner'].reference} Winner without a decision."
    )


def test_a_long_list_names_the_first_few_and_says_how_many_more(manager_client, scene):
    extra = [make_proposal(scene.challenge, status=S.MODERATION) for _ in range(NAMED + 2)]

    (blocker,) = blockers_on(manager_client.get(url("announce", scene.challenge.pk)))[1:]

    assert blocker["text"].startswith(f"Decide these {NAMED + 2} proposals on the Decisions tab: {extra[0].reference}")
    assert blocker["text"].endswith("and 2 more")
    assert len(blocker["links"]) == 1 + NAMED


def test_an_open_challenge_says_when_it_can_be_announced(scene):
    closes = timezone.now() + timedelta(days=2)
    ChallengePage.objects.filter(pk=scene.challenge.pk).update(closes_at=closes)
    challenge = ChallengePage.objects.get(pk=scene.challenge.pk)

    assert str(announcement_blockers(challenge)[0]) == f"Wait until the challenge closes at {format_moment(closes)}."
