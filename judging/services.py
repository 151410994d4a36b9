"""Writes for judging panels, conflicts and assignments. Each checks its rule and records an audit event.

Reviews and scores are in ``reviews.py``, decisions and the announcement in ``decisions.py``, panel
invitations in ``invitations.py``.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.permissions import require
from accounts.selectors import members_since
from accounts.two_factor import JUDGES_GROUP_NAME
from audit.models import Event
from audit.services import event_record, events_record
from challenges.selectors import challenge_managers
from notifications.services import notify
from submissions.models import Proposal, ProposalStatus
from submissions.workflow import ASSIGNABLE, ASSIGNABLE_BY_HAND, proposal_transition

from .assignment import AssignmentImpossible, plan_assignments
from .models import Assignment, Conflict, PanelMember, Review, ReviewStatus
from .permissions import (
    MEMBER_OF_THE_SUPPLIER,
    belonged_while_prepared,
    can_manage,
    can_open_assignment,
    conflict_reason,
)


def judge_label(judge) -> str:
    """How the audit log names a judge: staff read it, so the full name and address."""
    name = judge.get_full_name() if hasattr(judge, "get_full_name") else ""
    return f"{name} <{judge.email}>" if name else judge.email


@transaction.atomic
def panel_add(*, challenge, judge, by, expertise=()) -> PanelMember:
    """Seat a judge on the panel (through an accepted invitation) and in the Judges group, which makes
    two-factor sign-in compulsory for them."""
    member, created = PanelMember.objects.get_or_create(challenge=challenge, judge=judge)
    if expertise:
        member.expertise.set(expertise)
    judges, _ = Group.objects.get_or_create(name=JUDGES_GROUP_NAME)
    judge.groups.add(judges)
    if created:
        event_record(actor=by, verb="joined the panel", challenge=challenge, subject=judge_label(judge))
    return member


@transaction.atomic
def panel_expertise_set(*, member: PanelMember, themes, by) -> PanelMember:
    """A judge declares which of the challenge's themes they know best; assignment prefers them there."""
    if by.pk != member.judge_id:
        require(can_manage(by, member.challenge))
    member.expertise.set(themes)
    return member


@transaction.atomic
def panel_remove(*, member: PanelMember, by) -> None:
    """Take a judge off the panel. Their unsubmitted reviews go; submitted ones stay on the record and count."""
    require(can_manage(by, member.challenge))
    unfinished = Assignment.objects.filter(proposal__challenge=member.challenge, judge=member.judge).exclude(
        review__status=ReviewStatus.SUBMITTED
    )
    for assignment in unfinished.select_related("proposal"):
        event_record(
            actor=by,
            verb="unassigned",
            proposal=assignment.proposal,
            subject=judge_label(member.judge),
            note="Judge removed from the panel",
        )
    unfinished.delete()
    event_record(actor=by, verb="removed from the panel", challenge=member.challenge, subject=judge_label(member.judge))
    member.delete()


def conflict_declare(*, judge, reason: str, by, organisation=None, proposal=None) -> Conflict:
    """Record a conflict and withdraw any assignment it touches, so a conflicted pair is never assigned or seen.

    Judges declare their own; a manager may record one on a judge's behalf for a challenge they manage.
    """
    if by.pk != judge.pk:
        if proposal is None:
            raise PermissionDenied("Judges declare their own conflicts with organisations.")
        require(can_manage(by, proposal.challenge))
    conflict = Conflict(judge=judge, organisation=organisation, proposal=proposal, reason=reason.strip())
    conflict.full_clean()
    with transaction.atomic():
        conflict.save()
        touched = Assignment.objects.filter(judge=judge).filter(
            Q(proposal=proposal) if proposal else Q(proposal__organisation=organisation)
        )
        subject = judge_label(judge)
        if proposal is not None:
            event_record(actor=by, verb="declared a conflict", proposal=proposal, subject=subject, note=conflict.reason)
        else:
            challenges = PanelMember.objects.filter(judge=judge).values_list("challenge_id", flat=True)
            events_record(
                [
                    Event(
                        challenge_id=challenge_id,
                        actor=by,
                        verb="declared a conflict",
                        subject=f"{subject} with {organisation.name}",
                        note=conflict.reason,
                    )
                    for challenge_id in challenges
                ]
            )
        for assignment in touched.select_related("proposal", "review"):
            review = getattr(assignment, "review", None)
            note = "Judge declared a conflict of interest"
            if review is not None and review.status == ReviewStatus.SUBMITTED:
                total = f"{review.total:.1f}" if review.total is not None else "no total"
                note += f"; their submitted review ({total}) is withdrawn and no longer counts"
            event_record(actor=by, verb="unassigned", proposal=assignment.proposal, subject=subject, note=note)
        touched.delete()
    return conflict


def conflicted_pairs(*, proposals: list[Proposal], judge_ids: list[int]) -> set[tuple[int, int]]:
    """Every (proposal id, judge id) that may not be assigned: declared conflicts and membership of the supplier."""
    organisation_of = {proposal.pk: proposal.organisation_id for proposal in proposals}
    memberships = members_since(user_ids=judge_ids, organisation_ids=set(organisation_of.values()))
    pairs = {
        (proposal.pk, judge_id)
        for proposal in proposals
        for (organisation_id, judge_id), left_at in memberships.items()
        if organisation_id == proposal.organisation_id and belonged_while_prepared(left_at, proposal)
    }
    for conflict in Conflict.objects.filter(judge_id__in=judge_ids):
        if conflict.proposal_id:
            pairs.add((conflict.proposal_id, conflict.judge_id))
        else:
            pairs.update(
                (proposal_id, conflict.judge_id)
                for proposal_id, organisation_id in organisation_of.items()
                if organisation_id == conflict.organisation_id
            )
    return pairs


def _start_assessment(proposals: list[Proposal], by) -> None:
    for proposal in proposals:
        if proposal.status == ProposalStatus.ELIGIBLE:
            proposal_transition(proposal=proposal, to=ProposalStatus.IN_ASSESSMENT, by=by)


@transaction.atomic
def assignments_auto(*, challenge, by) -> list[Assignment]:
    """Give every eligible or in-assessment proposal ``challenge.judges_per_proposal`` judges, balanced, and
    move the eligible ones into assessment.

    Existing assignments stay. Raises ``AssignmentImpossible`` with a message a manager can act on.
    """
    require(can_manage(by, challenge))
    proposals = list(
        Proposal.objects.filter(challenge=challenge, status__in=ASSIGNABLE).select_related("organisation", "challenge")
    )
    members = list(
        PanelMember.objects.filter(challenge=challenge).select_related("judge").prefetch_related("expertise")
    )
    judge_ids = [member.judge_id for member in members]
    existing = set(
        Assignment.objects.filter(proposal__in=proposals, judge_id__in=judge_ids).values_list("proposal_id", "judge_id")
    )
    themes = set(challenge.themes.values_list("pk", flat=True))
    expertise = {
        (proposal.pk, member.judge_id): True
        for member in members
        if themes & {theme.pk for theme in member.expertise.all()}
        for proposal in proposals
    }
    plan = plan_assignments(
        proposals=[proposal.pk for proposal in proposals],
        judges=judge_ids,
        k=challenge.judges_per_proposal,
        conflicts=conflicted_pairs(proposals=proposals, judge_ids=judge_ids),
        existing=existing,
        expertise=expertise,
        labels={proposal.pk: proposal.reference or f"proposal {proposal.pk}" for proposal in proposals},
    )
    created = Assignment.objects.bulk_create(
        [Assignment(proposal_id=proposal_id, judge_id=judge_id) for proposal_id, judge_id in plan.new_pairs(existing)]
    )
    Review.objects.bulk_create([Review(assignment=assignment) for assignment in created])
    labels = {member.judge_id: judge_label(member.judge) for member in members}
    events_record(
        [
            Event(
                challenge_id=challenge.pk,
                proposal_id=a.proposal_id,
                actor=by,
                verb="assigned",
                subject=labels[a.judge_id],
                note="Automatic assignment",
            )
            for a in created
        ]
    )
    _start_assessment(proposals, by)
    return created


@transaction.atomic
def assignment_add(*, proposal: Proposal, judge, by) -> Assignment:
    """Assign one judge by hand. The same rules as automatic assignment: on the panel, not conflicted."""
    require(can_manage(by, proposal.challenge))
    if proposal.status not in ASSIGNABLE_BY_HAND:
        raise ValidationError(
            f"{proposal.reference} is {proposal.get_status_display().lower()}: only eligible proposals and those "
            "being assessed or moderated can be assigned."
        )
    if not PanelMember.objects.filter(challenge_id=proposal.challenge_id, judge=judge).exists():
        raise ValidationError(f"{judge.email} is not on this challenge's panel.")
    reason = conflict_reason(judge, proposal)
    if reason == MEMBER_OF_THE_SUPPLIER:
        raise ValidationError(
            f"{judge.email} is, or was while it was prepared, a member of the organisation that made "
            f"{proposal.reference}, so they cannot judge it."
        )
    if reason:
        raise ValidationError(f"{judge.email} has declared a conflict of interest with {proposal.reference}.")
    assignment, created = Assignment.objects.get_or_create(proposal=proposal, judge=judge)
    if created:
        Review.objects.create(assignment=assignment)
        event_record(actor=by, verb="assigned", proposal=proposal, subject=judge_label(judge), note="Assigned by hand")
        _start_assessment([proposal], by)
    return assignment


@transaction.atomic
def assignment_remove(*, assignment: Assignment, by, reason: str = "") -> None:
    """Unassign a judge. A submitted review is on the record: reopen it rather than delete it."""
    proposal = assignment.proposal
    require(can_manage(by, proposal.challenge))
    review = Review.objects.filter(assignment=assignment).first()
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        raise ValidationError(
            f"{assignment.judge.email} has submitted a review of {proposal.reference}, so it stays on the record."
        )
    event_record(actor=by, verb="unassigned", proposal=proposal, subject=judge_label(assignment.judge), note=reason)
    assignment.delete()


@transaction.atomic
def assignments_withdraw_for_new_member(*, membership) -> list[Assignment]:
    """Someone joined an organisation: take them off every proposal of it they were assigned to judge, record
    why, and tell each challenge's managers, who need to assign another judge. Submitted reviews go too: they
    were written by someone now inside the supplier."""
    judge, organisation = membership.user, membership.organisation
    touched = list(
        Assignment.objects.filter(judge=judge, proposal__organisation=organisation).select_related(
            "proposal__challenge__sponsor", "review"
        )
    )
    subject = judge_label(judge)
    for assignment in touched:
        proposal = assignment.proposal
        note = f"Judge joined {organisation.name}, the organisation that made this proposal: a conflict of interest"
        review = getattr(assignment, "review", None)
        if review is not None and review.status == ReviewStatus.SUBMITTED:
            note += "; their submitted review is withdrawn and no longer counts"
        event_record(actor=judge, verb="unassigned", proposal=proposal, subject=subject, note=note)
        for manager in challenge_managers(proposal.challenge):
            notify(
                to=manager.email,
                template="judging/email/assignment_withdrawn",
                context={
                    "judge": subject,
                    "reference": proposal.reference or "",
                    "challenge": proposal.challenge.title,
                    "had_submitted": bool(review and review.status == ReviewStatus.SUBMITTED),
                },
                key=f"assignment-withdrawn:{assignment.pk}:{manager.pk}",
            )
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in touched]).delete()
    return touched


@transaction.atomic
def assignment_confirm_no_conflict(*, assignment: Assignment, by) -> Assignment:
    """The judge, shown the title (and organisation, unless blind), says they have no conflict with it."""
    require(can_open_assignment(by, assignment))
    if assignment.no_conflict_confirmed_at is None:
        assignment.no_conflict_confirmed_at = timezone.now()
        assignment.save(update_fields=["no_conflict_confirmed_at"])
        event_record(actor=by, verb="confirmed no conflict", proposal=assignment.proposal, subject=judge_label(by))
    return assignment


__all__ = [
    "ASSIGNABLE",
    "AssignmentImpossible",
    "assignment_add",
    "assignment_confirm_no_conflict",
    "assignment_remove",
    "assignments_auto",
    "assignments_withdraw_for_new_member",
    "conflict_declare",
    "panel_add",
    "panel_remove",
]
