"""Awards carry money: never more than the challenge's funding (the service says so on the field, the database
refuses it anyway), never before due diligence is done, and a decision against the ranking records why."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from challenges.funding import FundingLedger, funding_awards_set
from challenges.models import ChallengePage
from judging.models import Decision, DueDiligenceItem, Review
from judging.selectors.public import challenge_public_awards
from judging.services.decisions import decision_record
from judging.services.due_diligence import due_diligence_checklist
from submissions.models import ProposalStatus
from tests.factories.judging import score

pytestmark = pytest.mark.django_db
S = ProposalStatus


def cleared(proposal):
    """Due diligence done for ``proposal``: every item passed."""
    due_diligence_checklist(proposal=proposal)
    DueDiligenceItem.objects.filter(proposal=proposal).update(status="passed", note="Checked.")


def award(scene, proposal, amount, *, rationale="The clearest plan.", **extra):
    """A winner's decision with the money given, as a manager records it."""
    return decision_record(
        proposal=proposal,
        outcome="winner",
        feedback="Well done.",
        public_rationale=rationale,
        amount=Decimal(amount),
        by=scene.manager,
        **extra,
    )


def moderated(scene, proposal, *values):
    """Scored by the judge the scene assigned it to, and moved to moderation."""
    score(Review.objects.get(assignment__proposal=proposal), *values)
    proposal.status = S.MODERATION
    proposal.save()
    return proposal


def test_an_award_within_the_funding_is_recorded_and_counted(scene):
    moderated(scene, scene.proposal, 5, 5)
    cleared(scene.proposal)
    decision = award(scene, scene.proposal, "10000")
    assert decision.amount == Decimal("10000")
    assert FundingLedger.objects.get(challenge=scene.challenge).awarded == Decimal("10000")


def test_an_award_over_what_is_left_is_refused_on_the_amount_naming_the_figures(scene):
    moderated(scene, scene.proposal, 5, 5)
    moderated(scene, scene.other_proposal, 4, 4)
    cleared(scene.proposal)
    cleared(scene.other_proposal)
    award(scene, scene.proposal, "40000")
    with pytest.raises(ValidationError) as error:
        award(scene, scene.other_proposal, "15000", rationale="Strong too.")
    assert error.value.message_dict["amount"] == [
        "This award of £15,000 is more than the £10,000 left of the challenge's £50,000 funding."
    ]
    assert not Decision.objects.filter(proposal=scene.other_proposal).exists()


def test_the_database_refuses_awards_over_the_funding_whatever_the_service_checked(scene):
    funding_awards_set(challenge=scene.challenge, awarded=Decimal("50000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        FundingLedger.objects.filter(challenge=scene.challenge).update(awarded=Decimal("50000.01"))


def test_an_award_of_money_waits_for_due_diligence_and_names_what_is_open(scene):
    moderated(scene, scene.proposal, 5, 5)
    with pytest.raises(ValidationError) as error:
        award(scene, scene.proposal, "10000")
    message = error.value.message_dict["outcome"][0]
    assert message.startswith("You cannot confirm this award until due diligence is complete:")
    assert "Insurance is not yet checked" in message


def test_awarding_below_a_proposal_not_selected_needs_a_reason_which_is_published(scene, client):
    moderated(scene, scene.proposal, 5, 5)
    moderated(scene, scene.other_proposal, 1, 1)
    decision_record(proposal=scene.proposal, outcome="not_selected", feedback="Close.", by=scene.manager)
    cleared(scene.other_proposal)
    with pytest.raises(ValidationError) as error:
        award(scene, scene.other_proposal, "5000", rationale="Local delivery partner.")
    assert error.value.message_dict["departure_reason"] == [
        f"{scene.other_proposal.reference} is ranked 2, below {scene.proposal.reference}, not selected. "
        "Record why the panel departs from its ranking."
    ]
    decision = award(
        scene,
        scene.other_proposal,
        "5000",
        rationale="Local delivery partner.",
        departure_reason="The higher-ranked proposal could not start within the pilot's window.",
    )
    assert decision.departure_reason.startswith("The higher-ranked")

    ChallengePage.objects.filter(pk=scene.challenge.pk).update(announced_at=timezone.now())
    challenge = ChallengePage.objects.get(pk=scene.challenge.pk)
    (published,) = challenge_public_awards(challenge)
    assert (published.amount, published.departure_reason) == (Decimal("5000"), decision.departure_reason)
    html = client.get(challenge.url).content.decode()
    assert (
        "Why this departs from the panel&#x27;s ranking" in html or "Why this departs from the panel's ranking" in html
    )
    assert "could not start within the pilot" in html
    assert "£5,000" in html
    assert scene.judges[1].email not in html


def test_the_decision_form_keeps_what_was_typed_and_puts_the_message_on_the_amount(scene, manager_client):
    moderated(scene, scene.proposal, 5, 5)
    cleared(scene.proposal)
    url = reverse("judging_admin:proposal", args=[scene.challenge.pk, scene.proposal.pk])
    response = manager_client.post(
        url,
        {
            "outcome": "winner",
            "feedback": "Well done.",
            "public_rationale": "The clearest plan.",
            "amount": "60000",
            "departure_reason": "",
        },
    )
    html = response.content.decode()
    assert "This award of £60,000 is more than the £50,000 left" in html
    assert "The clearest plan." in html
    assert not Decision.objects.filter(proposal=scene.proposal).exists()
