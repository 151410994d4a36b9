"""Belonging to the organisation that made a proposal is a conflict of interest by itself, declared or not: now, or
at any time since the proposal was started. Such a judge is never assigned, by hand or automatically, cannot open
the proposal's judging pages, and joining the organisation after being assigned takes them off it, on the record,
with the challenge's managers told."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import services as account_services
from accounts.models import FormerMembership, Membership
from audit.models import Event
from judging.models import Assignment, Review
from judging.services.assignments import assignment_add, assignments_auto
from submissions.models import ProposalStatus as S
from tests.factories import InvitationFactory
from tests.factories.submissions import make_proposal
from tests.judging.buttons import press

pytestmark = pytest.mark.django_db


def join(user, organisation):
    """``user`` accepts an owner's emailed invitation to ``organisation``, as on the invitation page."""
    owner = Membership.objects.filter(organisation=organisation, role="owner").first().user
    invitation = InvitationFactory(organisation=organisation, email=user.email, invited_by=owner)
    return account_services.invitation_accept(invitation=invitation, user=user)


def test_joining_the_proposing_organisation_takes_the_judge_off_it_on_the_record_and_tells_the_managers(
    client, scene, django_capture_on_commit_callbacks
):
    judge = scene.judges[0]
    assignment = scene.review.assignment
    with django_capture_on_commit_callbacks(execute=True):
        join(judge, scene.proposal.organisation)

    assert not Assignment.objects.filter(pk=assignment.pk).exists()
    event = Event.objects.get(proposal_id=scene.proposal.pk, verb="unassigned")
    assert event.actor == judge
    assert f"Judge joined {scene.proposal.organisation.name}, the organisation that made this proposal" in event.note
    to_manager = [message for message in mail.outbox if message.to == [scene.manager.email]]
    assert len(to_manager) == 1
    assert to_manager[0].subject == f"A judge of {scene.proposal.reference} has a conflict of interest: assign another"
    assert "Assign another judge" in to_manager[0].body
    # The judge's other work is untouched.
    assert Assignment.objects.filter(judge=scene.judges[1], proposal=scene.other_proposal).exists()

    client.force_login(judge)
    assert client.get(reverse("judging:review", args=[assignment.pk])).status_code == 404


def test_a_judge_who_belongs_to_the_supplier_cannot_open_its_judging_pages(client, scene):
    """The state the finding saw: an assignment made before the judge joined (or before this rule existed)."""
    judge = scene.judges[0]
    Membership.objects.create(organisation=scene.proposal.organisation, user=judge, role="member")
    client.force_login(judge)

    response = client.get(reverse("judging:review", args=[scene.review.assignment.pk]))

    assert response.status_code == 403
    page = response.content.decode()
    assert "a member of the organisation that made it, so you cannot judge it" in page
    assert scene.proposal.title not in page and "Submit review" not in page
    post = press(client, scene.review.assignment.pk, {"action": "submit"})
    assert post.status_code == 403
    assert Review.objects.get(pk=scene.review.pk).status == "draft"


def test_a_member_of_the_supplier_is_never_assigned_by_hand(scene):
    judge = scene.unassigned_judge
    Membership.objects.create(organisation=scene.proposal.organisation, user=judge, role="member")
    with pytest.raises(ValidationError) as error:
        assignment_add(proposal=scene.proposal, judge=judge, by=scene.manager)
    assert error.value.messages == [
        f"{judge.email} is, or was while it was prepared, a member of the organisation that made "
        f"{scene.proposal.reference}, so they cannot judge it."
    ]


def test_automatic_assignment_never_gives_a_proposal_to_a_member_of_its_supplier(scene):
    Assignment.objects.all().delete()
    proposals = [make_proposal(scene.challenge, status=S.ELIGIBLE) for _ in range(3)]
    insider = scene.unassigned_judge
    Membership.objects.create(organisation=proposals[0].organisation, user=insider, role="member")

    assignments_auto(challenge=scene.challenge, by=scene.manager)

    assert not Assignment.objects.filter(judge=insider, proposal=proposals[0]).exists()
    assert Assignment.objects.filter(proposal=proposals[0]).count() == scene.challenge.first_stage.judges_per_proposal


def test_having_left_the_supplier_while_the_proposal_was_prepared_is_still_a_conflict(scene):
    judge = scene.unassigned_judge
    organisation = scene.proposal.organisation
    started = scene.proposal.created_at
    FormerMembership.objects.create(
        organisation=organisation, user=judge, role="member", joined_at=started - timedelta(days=90),
        left_at=started + timedelta(days=1),
    )  # fmt: skip
    with pytest.raises(ValidationError, match="a member of the organisation that made"):
        assignment_add(proposal=scene.proposal, judge=judge, by=scene.manager)

    long_gone = scene.judges[1]
    FormerMembership.objects.create(
        organisation=organisation, user=long_gone, role="member", joined_at=started - timedelta(days=900),
        left_at=started - timedelta(days=300),
    )  # fmt: skip
    assert assignment_add(proposal=scene.proposal, judge=long_gone, by=scene.manager).judge == long_gone


def test_leaving_an_organisation_keeps_the_record_that_the_judge_belonged(scene):
    judge = scene.unassigned_judge
    organisation = scene.proposal.organisation
    membership = Membership.objects.create(organisation=organisation, user=judge, role="member")
    account_services.membership_leave(membership=membership, by=judge)

    former = FormerMembership.objects.get(user=judge, organisation=organisation)
    assert former.joined_at == membership.joined_at
    assert former.left_at >= timezone.now() - timedelta(minutes=1)
    with pytest.raises(ValidationError, match="a member of the organisation that made"):
        assignment_add(proposal=scene.proposal, judge=judge, by=scene.manager)
