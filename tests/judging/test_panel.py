"""Panels: invitations by signed, expiring link; conflicts keep a judge away; manual assignment follows the rules."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.two_factor import two_factor_required
from audit.models import Event
from judging.models import Assignment, PanelInvitation, PanelMember, Review
from judging.services.assignments import assignment_add, assignment_remove
from judging.services.conflicts import conflict_declare
from judging.services.invitations import (
    InvitationUnavailable,
    panel_invitation_accept,
    panel_invitation_from_token,
    panel_invitation_revoke,
    panel_invitation_token,
    panel_invite,
)
from judging.services.panel import panel_remove
from submissions.models import ProposalStatus as S
from tests.factories import UserFactory
from tests.factories.judging import assign, score
from tests.factories.submissions import make_proposal


def test_inviting_emails_a_signed_link_and_re_inviting_resends_the_same_one(scene, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = panel_invite(challenge=scene.challenge, email=" Grace@Example.org ", by=scene.manager)
    with django_capture_on_commit_callbacks(execute=True):
        again = panel_invite(challenge=scene.challenge, email="grace@example.org", by=scene.manager)
    assert first.pk == again.pk and again.sent_count == 2
    assert PanelInvitation.objects.count() == 1
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["grace@example.org"]
    assert scene.challenge.title in mail.outbox[0].subject
    assert "two-factor" in mail.outbox[0].body
    # The token carries the moment it was signed, so read the one the email holds rather than sign a new one.
    token = re.search(r"/judging/invitations/([^/\s]+)/", mail.outbox[0].body).group(1)
    assert panel_invitation_from_token(token) == first
    assert panel_invitation_from_token(panel_invitation_token(first)) == first
    assert panel_invitation_from_token(token[:-2] + "xx") is None
    assert Event.objects.filter(challenge=scene.challenge, verb="judge invited").count() == 2


def test_only_the_challenges_managers_invite_and_members_are_not_invited_twice(scene):
    with pytest.raises(PermissionDenied):
        panel_invite(challenge=scene.challenge, email="x@example.org", by=scene.other_manager)
    with pytest.raises(ValidationError, match="already on this panel"):
        panel_invite(challenge=scene.challenge, email=scene.judges[0].email, by=scene.manager)


def test_accepting_seats_the_judge_and_makes_two_factor_compulsory(scene):
    invitation = panel_invite(challenge=scene.challenge, email="grace@example.org", by=scene.manager)
    grace = UserFactory(email="grace@example.org", verified=True)
    assert not two_factor_required(grace)

    seat = panel_invitation_accept(invitation=invitation, user=grace)

    assert seat == PanelMember.objects.get(challenge=scene.challenge, judge=grace)
    assert two_factor_required(grace)
    assert panel_invitation_accept(invitation=invitation, user=grace) == seat  # a double click
    assert Event.objects.filter(challenge=scene.challenge, verb="joined the panel").count() == 1


def test_an_invitation_is_refused_to_the_wrong_person_and_after_expiry_or_withdrawal(scene):
    invitation = panel_invite(challenge=scene.challenge, email="grace@example.org", by=scene.manager)
    with pytest.raises(PermissionDenied, match="This invitation was sent to g"):
        panel_invitation_accept(invitation=invitation, user=UserFactory(verified=True))
    unverified = UserFactory(email="grace@example.org")
    with pytest.raises(PermissionDenied, match="Confirm your email address"):
        panel_invitation_accept(invitation=invitation, user=unverified)

    PanelInvitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    with pytest.raises(InvitationUnavailable, match="expired"):
        panel_invitation_accept(invitation=invitation, user=unverified)

    other = panel_invite(challenge=scene.challenge, email="alan@example.org", by=scene.manager)
    panel_invitation_revoke(invitation=other, by=scene.manager)
    with pytest.raises(InvitationUnavailable, match="withdrawn"):
        panel_invitation_accept(invitation=other, user=UserFactory(email="alan@example.org", verified=True))
    assert not PanelMember.objects.filter(judge__email__in=["grace@example.org", "alan@example.org"]).exists()


def test_an_organisation_conflict_withdraws_assignments_and_is_logged_on_each_panel(scene):
    judge = scene.judges[0]
    conflict_declare(judge=judge, organisation=scene.proposal.organisation, reason="Former director", by=judge)
    assert not Assignment.objects.filter(judge=judge, proposal=scene.proposal).exists()
    declared = Event.objects.get(verb="declared a conflict")
    assert declared.challenge == scene.challenge and scene.proposal.organisation.name in declared.subject
    assert Event.objects.get(verb="unassigned").proposal_id == scene.proposal.pk


def test_a_judge_declares_only_their_own_organisation_conflicts(scene):
    with pytest.raises(PermissionDenied):
        conflict_declare(
            judge=scene.judges[0], organisation=scene.proposal.organisation, reason="x", by=scene.judges[1]
        )


def test_manual_assignment_follows_the_panel_and_conflict_rules(scene):
    with pytest.raises(ValidationError, match="declared a conflict of interest"):
        assignment_add(proposal=scene.proposal, judge=scene.conflicted_judge, by=scene.manager)
    with pytest.raises(ValidationError, match="is not on the panel of Proposals"):
        assignment_add(proposal=scene.proposal, judge=scene.other_judge, by=scene.manager)
    with pytest.raises(PermissionDenied):
        assignment_add(proposal=scene.proposal, judge=scene.unassigned_judge, by=scene.other_manager)
    shortlisted = make_proposal(scene.challenge, status=S.SHORTLISTED)
    with pytest.raises(ValidationError, match="shortlisted"):
        assignment_add(proposal=shortlisted, judge=scene.unassigned_judge, by=scene.manager)

    eligible = make_proposal(scene.challenge, status=S.ELIGIBLE)
    assignment = assignment_add(proposal=eligible, judge=scene.unassigned_judge, by=scene.manager)
    assert Review.objects.filter(assignment=assignment).exists()
    eligible.refresh_from_db()
    assert eligible.status == S.IN_ASSESSMENT
    assert assignment_add(proposal=eligible, judge=scene.unassigned_judge, by=scene.manager) == assignment


def test_a_submitted_review_stays_on_the_record(scene):
    score(scene.review, 3, 3)
    with pytest.raises(ValidationError, match="stays on the record"):
        assignment_remove(assignment=scene.review.assignment, by=scene.manager)
    draft = assign(scene.other_proposal, scene.unassigned_judge)
    assignment_remove(assignment=draft.assignment, by=scene.manager, reason="Rebalancing")
    assert not Assignment.objects.filter(pk=draft.assignment_id).exists()
    assert Event.objects.get(verb="unassigned").note == "Rebalancing"


def test_removing_a_judge_keeps_their_submitted_reviews_only(scene):
    score(scene.review, 3, 3)
    unfinished = assign(scene.other_proposal, scene.judges[0])
    panel_remove(member=PanelMember.objects.get(challenge=scene.challenge, judge=scene.judges[0]), by=scene.manager)
    assert Assignment.objects.filter(pk=scene.review.assignment_id).exists()
    assert not Assignment.objects.filter(pk=unfinished.assignment_id).exists()
    assert not PanelMember.objects.filter(challenge=scene.challenge, judge=scene.judges[0]).exists()
