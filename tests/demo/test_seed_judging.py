"""The demo's judging: a panel that can sign in, a challenge mid-judging with every review state and both kinds
of conflict, and a challenge whose winners are announced, with the outcome emails in the outbox."""

from io import StringIO

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from accounts.models import User
from accounts.two_factor import JUDGES_GROUP_NAME
from audit.models import Event
from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from judging.agreement import reading
from judging.models import (
    Assignment,
    Conflict,
    Decision,
    PanelMember,
    ProposalConfidence,
    Review,
    ReviewStatus,
    Score,
    StageConfidence,
)
from notifications.models import Notification
from submissions.models import Proposal, ProposalStatus, ProposalVersion
from submissions.workflow import AWARDS

pytestmark = pytest.mark.django_db

JUDGES = [f"judge{n}@urban-challenge.example" for n in (1, 2, 3)]


def text(response) -> str:
    return " ".join(response.content.decode().split())


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_judges_can_sign_in_with_two_factor_and_sit_on_both_panels(client):
    output = seed()
    judged = ChallengePage.objects.get(slug="digital-skills-for-every-resident")
    announced = ChallengePage.objects.get(slug="open-data-better-bus-journeys")
    for email in JUDGES:
        judge = User.objects.get(email=email)
        assert f"{email} / urban-challenge-demo (two-factor recovery code " in output
        assert Authenticator.objects.filter(user=judge, type=Authenticator.Type.TOTP).exists()
        assert EmailAddress.objects.get(user=judge, email=email).verified
        assert judge.groups.filter(name=JUDGES_GROUP_NAME).exists()
        # Also on staged challenges' panels (tests/demo/test_seed_stages.py).
        assert {judged.pk, announced.pk} <= set(
            PanelMember.objects.filter(judge=judge).values_list("challenge", flat=True)
        )
    assert client.login(username=JUDGES[0], password="urban-challenge-demo")


def test_a_challenge_being_judged_shows_every_review_state_and_both_conflicts():
    seed()
    judged = ChallengePage.objects.get(slug="digital-skills-for-every-resident")
    assert judged.status == ChallengeStatus.JUDGING and judged.announced_at is None
    proposals = Proposal.objects.filter(challenge=judged)
    assert proposals.filter(status=ProposalStatus.IN_ASSESSMENT).count() == 4
    assert all(proposal.versions.count() == 1 and proposal.submitted_at < judged.closes_at for proposal in proposals)
    ineligible = proposals.get(status=ProposalStatus.INELIGIBLE)
    assert "6 weeks" in Event.objects.get(proposal_id=ineligible.pk, to_status=ProposalStatus.INELIGIBLE).note

    assignments = Assignment.objects.filter(proposal__challenge=judged)
    assert all(
        count == 2 for count in (assignments.filter(proposal=p).count() for p in proposals.exclude(pk=ineligible.pk))
    )
    reviews = Review.objects.filter(assignment__in=assignments)
    pending = assignments.filter(no_conflict_confirmed_at__isnull=True)
    assert pending.exists() and not Score.objects.filter(review__assignment__in=pending).exists()
    confirmed_drafts = reviews.filter(status=ReviewStatus.DRAFT, assignment__no_conflict_confirmed_at__isnull=False)
    assert confirmed_drafts.filter(scores__isnull=True).exists(), "a review not started"
    assert confirmed_drafts.filter(scores__isnull=False).exists(), "a draft with scores"
    submitted = reviews.filter(status=ReviewStatus.SUBMITTED)
    assert submitted.exists() and all(review.total is not None for review in submitted)
    assert Event.objects.filter(challenge=judged, verb="review submitted").count() == submitted.count()

    organisation_conflict = Conflict.objects.get(organisation__isnull=False)
    proposal_conflict = Conflict.objects.get(proposal__isnull=False)
    assert proposal_conflict.proposal.challenge_id == judged.pk
    assert organisation_conflict.organisation.proposals.filter(challenge=judged).exists()
    assert not assignments.filter(judge=proposal_conflict.judge, proposal=proposal_conflict.proposal).exists()
    assert not Assignment.objects.filter(
        judge=organisation_conflict.judge, proposal__organisation=organisation_conflict.organisation
    ).exists()
    assert Event.objects.filter(verb="declared a conflict", challenge=judged).count() == 2
    assert Event.objects.filter(verb="assigned", challenge=judged).count() == assignments.count()


def test_a_challenge_with_winners_announced_and_the_outcome_emails_queued(client):
    seed()
    announced = ChallengePage.objects.get(slug="open-data-better-bus-journeys")
    assert announced.announced_at is not None
    assert announced.status == ChallengeStatus.WINNERS_ANNOUNCED
    assert Event.objects.filter(challenge=announced, verb="winners announced").count() == 1
    winner = Proposal.objects.get(challenge=announced, status=ProposalStatus.WINNER)
    assert winner.consent_to_publish and winner.decision.public_rationale
    assert {d.outcome for d in Decision.objects.filter(proposal__challenge=announced)} == {
        "winner",
        "highly_commended",
        "not_selected",
    }
    assert Decision.objects.filter(proposal__challenge=announced, announced_at__isnull=True).count() == 0
    not_selected = Proposal.objects.get(challenge=announced, status=ProposalStatus.NOT_SELECTED)
    assert not_selected.decision.feedback and not not_selected.decision.public_rationale
    assert Review.objects.filter(assignment__proposal=winner, status=ReviewStatus.SUBMITTED).count() == 2

    owner = winner.organisation.memberships.get(role="owner").user
    email = Notification.objects.get(
        template="judging/email/outcome", to_email=owner.email, subject__contains=winner.reference
    )
    assert winner.reference in email.subject and "winners" in email.body_text

    page = " ".join(client.get(announced.url).content.decode().split())
    assert winner.title in page and winner.public_summary in page and escape(winner.decision.public_rationale) in page
    assert not_selected.title not in page

    client.force_login(owner)
    task_list = client.get(reverse("submissions:task_list", args=[winner.pk])).content.decode()
    assert 'govuk-tag--green">Winner<' in task_list and winner.decision.feedback in task_list


def test_the_announced_challenge_shows_how_sure_its_panel_was_and_why_it_decided_its_close_calls(client):
    seed()
    announced = ChallengePage.objects.get(slug="open-data-better-bus-journeys")
    stage = announced.first_stage
    decisions = Decision.objects.filter(proposal__challenge=announced).select_related("proposal")
    assert stage.places == decisions.filter(outcome__in=AWARDS).count() == 2

    figures = StageConfidence.objects.get(stage=stage)
    assert figures.computed_at is not None and not figures.out_of_date
    assert figures.places == 2 and figures.judges == 3 and figures.reviews == 6
    assert reading(figures.alpha) == "moderately"
    assert 1 <= figures.close_calls <= 2
    close = set(ProposalConfidence.objects.filter(stage=stage, close_call=True).values_list("proposal", flat=True))
    assert len(close) == figures.close_calls
    reasoned = [decision for decision in decisions if decision.uncertainty_reason]
    assert reasoned, "a decision on a close call records why the panel decided as it did"
    assert {decision.proposal_id for decision in reasoned} <= close
    judge_names = [name for user in User.objects.filter(email__in=JUDGES) for name in (user.first_name, user.last_name)]
    for decision in reasoned:
        assert len(decision.uncertainty_reason.split()) >= 12
        assert not any(name in decision.uncertainty_reason for name in judge_names)
        assert Event.objects.filter(
            proposal_id=decision.proposal_id, verb="decision recorded", note__contains=decision.uncertainty_reason
        ).exists()

    page = text(client.get(announced.url))
    assert "How the panel decided" in page
    assert f"The judges agree moderately (Krippendorff's alpha {figures.alpha:.2f})" in page
    proposals = "1 proposal" if figures.close_calls == 1 else f"{figures.close_calls} proposals"
    assert f"{proposals} whose place among the 2 awards" in page
    assert not any(name in page for name in judge_names)

    client.force_login(User.objects.get(email=f"manager@{announced.sponsor.slug}.example"))
    results = text(client.get(reverse("judging_admin:results", args=[announced.pk])))
    assert "Decision confidence" in results and "The judges agree moderately" in results
    discuss = (
        "1 close call: discuss it" if figures.close_calls == 1 else f"{figures.close_calls} close calls: discuss them"
    )
    assert f"{discuss} before deciding." in results
    listed = text(client.get(reverse("judging_admin:decisions", args=[announced.pk])))
    assert "Close call: discuss" in listed
    reason = reasoned[0]
    shown = text(client.get(reverse("judging_admin:proposal", args=[announced.pk, reason.proposal_id])))
    assert escape(reason.uncertainty_reason) in shown and "Close call." in shown


def snapshot() -> dict:
    models = (User, Proposal, ProposalVersion, PanelMember, Conflict, Assignment, Review, Score, Decision, Event)
    counts = {model.__name__: model.objects.count() for model in models}
    counts["outbox"] = Notification.objects.count()
    counts["reviews by status"] = sorted(Review.objects.values_list("status", flat=True))
    counts["unconfirmed"] = Assignment.objects.filter(no_conflict_confirmed_at__isnull=True).count()
    counts["proposals by status"] = sorted(Proposal.objects.values_list("status", flat=True))
    counts["chances"] = sorted(ProposalConfidence.objects.values_list("proposal_id", "chance", "close_call"))
    counts["uncertainty reasons"] = sorted(Decision.objects.values_list("proposal_id", "uncertainty_reason"))
    return counts


def test_seeding_again_changes_nothing_in_judging():
    seed()
    first = snapshot()
    announced_at = ChallengePage.objects.get(slug="open-data-better-bus-journeys").announced_at
    seed()
    assert snapshot() == first
    assert ChallengePage.objects.get(slug="open-data-better-bus-journeys").announced_at == announced_at
