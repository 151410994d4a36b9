"""Decisions and the announcement: outcomes walk the workflow, and announcing tells every supplier once."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from wagtail.models import Revision

from audit.models import Event
from challenges.lifecycle import ChallengeStatus
from challenges.models import ChallengePage
from judging.models import Decision
from judging.selectors.decisions import announcement_blockers
from judging.services.decisions import challenge_announce, decision_record
from judging.tasks import announce_due
from submissions.models import ProposalStatus as S
from submissions.workflow import proposal_transition
from tests.factories import MembershipFactory, UserFactory
from tests.factories.submissions import make_proposal


@pytest.fixture
def moderated(scene):
    for proposal in (scene.proposal, scene.other_proposal):
        proposal_transition(proposal=proposal, to=S.MODERATION, by=scene.manager)
    return scene


def test_a_winner_walks_through_shortlisted_and_needs_a_public_rationale(moderated):
    scene = moderated
    with pytest.raises(ValidationError) as error:
        decision_record(
            proposal=scene.proposal, outcome="winner", feedback="Great", public_rationale="", by=scene.manager
        )
    assert error.value.message_dict == {
        "public_rationale": ["Give the public rationale for this award: it is published with the winners."]
    }
    scene.proposal.refresh_from_db()
    assert scene.proposal.status == S.MODERATION

    decision_record(
        proposal=scene.proposal,
        outcome="winner",
        feedback="Strong, costed plan.",
        public_rationale="The clearest route to fewer evictions.",
        by=scene.manager,
    )
    scene.proposal.refresh_from_db()
    assert scene.proposal.status == S.WINNER
    verbs = list(Event.objects.filter(proposal_id=scene.proposal.pk).values_list("verb", flat=True))
    assert verbs[-3:] == ["shortlisted", "chosen as a winner", "decision recorded"]


def test_a_decision_can_change_until_the_announcement(moderated):
    scene = moderated
    decision_record(proposal=scene.proposal, outcome="not_selected", feedback="Too costly.", by=scene.manager)
    decision_record(
        proposal=scene.proposal,
        outcome="highly_commended",
        feedback="Costly, but promising.",
        public_rationale="A promising approach.",
        by=scene.manager,
    )
    decision = Decision.objects.get(proposal=scene.proposal)
    assert (decision.outcome, decision.feedback) == ("highly_commended", "Costly, but promising.")
    scene.proposal.refresh_from_db()
    assert scene.proposal.status == S.HIGHLY_COMMENDED


def test_feedback_is_required_and_only_managers_decide(moderated):
    scene = moderated
    with pytest.raises(ValidationError, match="Write the feedback"):
        decision_record(proposal=scene.proposal, outcome="not_selected", feedback=" ", by=scene.manager)
    for person in (scene.judges[0], scene.supplier, scene.other_manager):
        with pytest.raises(PermissionDenied):
            decision_record(proposal=scene.proposal, outcome="not_selected", feedback="No", by=person)
    assert not Decision.objects.exists()


def test_a_proposal_still_being_assessed_cannot_be_decided(scene):
    with pytest.raises(ValidationError, match="in moderation or shortlisted"):
        decision_record(proposal=scene.proposal, outcome="not_selected", feedback="No", by=scene.manager)


def decide_all(scene):
    decision_record(
        proposal=scene.proposal,
        outcome="winner",
        feedback="Well evidenced.",
        public_rationale="Fewer evictions, measurably.",
        by=scene.manager,
    )
    decision_record(proposal=scene.other_proposal, outcome="not_selected", feedback="Unclear costs.", by=scene.manager)


def test_announcing_waits_for_every_decision(moderated):
    scene = moderated
    screened_out = make_proposal(scene.challenge, status=S.SUBMITTED, title="Late idea")
    first, second = scene.proposal, scene.other_proposal
    assert [str(blocker) for blocker in announcement_blockers(scene.challenge)] == [
        f"Screen this proposal on the Screening tab: {screened_out.reference} Late idea.",
        f"Decide these 2 proposals on the Decisions tab: {first.reference} {first.title}, "
        f"{second.reference} {second.title}.",
    ]
    decide_all(scene)
    proposal_transition(proposal=screened_out, to=S.INELIGIBLE, by=scene.manager, note="Outside the region")
    assert announcement_blockers(scene.challenge) == []
    with pytest.raises(PermissionDenied):
        challenge_announce(challenge=scene.challenge, by=scene.other_manager)


def test_announcing_emails_every_supplier_once_and_moves_the_challenge_on(
    moderated, django_capture_on_commit_callbacks
):
    scene = moderated
    colleague = UserFactory(email="grace@brumtech.example")
    MembershipFactory(organisation=scene.proposal.organisation, user=colleague)
    screened_out = make_proposal(scene.challenge, status=S.SUBMITTED)
    proposal_transition(proposal=screened_out, to=S.INELIGIBLE, by=scene.manager, note="Outside the region")
    withdrawn = make_proposal(scene.challenge, status=S.SUBMITTED)
    withdrawn.status = S.WITHDRAWN
    withdrawn.save()
    decide_all(scene)

    with django_capture_on_commit_callbacks(execute=True):
        queued = challenge_announce(challenge=scene.challenge, by=scene.manager)
    with django_capture_on_commit_callbacks(execute=True):
        assert challenge_announce(challenge=scene.challenge, by=scene.manager) == 0

    assert queued == 4
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 4
    assert set(by_recipient) == {
        scene.supplier.email,
        colleague.email,
        screened_out.organisation.memberships.get().user.email,
        scene.other_proposal.organisation.memberships.get().user.email,
    }
    assert (
        "winner" in by_recipient[scene.supplier.email].body
        and "Well evidenced." in by_recipient[scene.supplier.email].body
    )
    ineligible_mail = by_recipient[screened_out.organisation.memberships.get().user.email]
    assert "not eligible" in ineligible_mail.body and "Outside the region" in ineligible_mail.body
    for message in mail.outbox:
        assert scene.judges[0].email not in message.body

    challenge = ChallengePage.objects.get(pk=scene.challenge.pk)
    assert challenge.announced_at is not None
    assert challenge.status == ChallengeStatus.WINNERS_ANNOUNCED
    assert challenge.announce_at <= timezone.now()
    assert Decision.objects.filter(announced_at__isnull=True).count() == 0
    assert Event.objects.filter(challenge=challenge, verb="winners announced").count() == 1
    with pytest.raises(ValidationError, match="can no longer change"):
        decision_record(proposal=scene.other_proposal, outcome="not_selected", feedback="x", by=scene.manager)


def test_republishing_an_older_revision_keeps_the_announcement(moderated):
    scene = moderated
    revision = scene.challenge.save_revision()
    decide_all(scene)
    challenge_announce(challenge=scene.challenge, by=scene.manager)
    live = ChallengePage.objects.get(pk=scene.challenge.pk)
    announced = live.announced_at

    Revision.objects.get(pk=revision.pk).publish()  # as the admin does: the revision read afresh

    live = ChallengePage.objects.get(pk=scene.challenge.pk)
    assert live.announced_at == announced
    assert live.status == ChallengeStatus.WINNERS_ANNOUNCED


def test_the_beat_announces_when_the_time_comes_and_leaves_undecided_challenges(moderated, caplog):
    scene = moderated
    ChallengePage.objects.filter(pk=scene.challenge.pk).update(announce_at=timezone.now() - timedelta(minutes=1))
    assert announce_due() == []
    assert "not announced at the set time" in caplog.text
    decide_all(scene)
    assert announce_due() == [scene.challenge.pk]
    assert announce_due() == []
    event = Event.objects.get(verb="winners announced")
    assert event.actor is None and "Announced at the set time" in event.note


@override_settings(PAGE_CACHE_SECONDS=300)
def test_announcing_purges_the_cached_challenge_page(moderated, client, django_capture_on_commit_callbacks):
    scene = moderated
    url = scene.challenge.url
    client.get(url)
    assert client.get(url)["X-Page-Cache"] == "hit"
    decide_all(scene)

    with django_capture_on_commit_callbacks(execute=True):
        challenge_announce(challenge=scene.challenge, by=scene.manager)

    after = client.get(url)
    assert after["X-Page-Cache"] == "miss"
    assert "Winners announced" in after.content.decode()
