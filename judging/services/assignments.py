"""Writes for assignments: the balanced automatic assignment (``judging.assignment`` plans it), assigning and
unassigning by hand, and a judge's confirmation that they have no conflict with a proposal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.permissions import require
from audit.models import Event
from audit.services import event_record, events_record
from submissions.models import Proposal, ProposalStatus
from submissions.workflow import ASSIGNABLE, ASSIGNABLE_BY_HAND, proposal_transition

from ..assignment import AssignmentImpossible, plan_assignments
from ..labels import judge_label
from ..models import Assignment, PanelMember, Review, ReviewStatus
from ..permissions import MEMBER_OF_THE_SUPPLIER, can_manage, can_open_assignment, conflict_reason
from ..selectors.conflicts import conflicted_pairs
from ..selectors.stages import judging_stage

__all__ = ["AssignmentImpossible"]


def _start_assessment(proposals: list[Proposal], by) -> None:
    for proposal in proposals:
        if proposal.status == ProposalStatus.ELIGIBLE:
            proposal_transition(proposal=proposal, to=ProposalStatus.IN_ASSESSMENT, by=by)


@transaction.atomic
def assignments_auto(*, challenge, by, stage=None) -> list[Assignment]:
    """Give every eligible or in-assessment proposal of a stage (the one being judged, unless told) the stage's
    ``judges_per_proposal`` judges from the stage's panel, balanced, and move the eligible ones into assessment.

    Existing assignments stay. Raises ``AssignmentImpossible`` with a message a manager can act on.
    """
    require(can_manage(by, challenge))
    stage = stage or judging_stage(challenge)
    proposals = list(
        Proposal.objects.filter(challenge=challenge, stage=stage, status__in=ASSIGNABLE).select_related(
            "organisation", "challenge", "stage"
        )
    )
    members = list(PanelMember.objects.filter(stage=stage).select_related("judge").prefetch_related("expertise"))
    judge_ids = [member.judge_id for member in members]
    existing = set(
        Assignment.objects.filter(proposal__in=proposals, stage=stage, judge_id__in=judge_ids).values_list(
            "proposal_id", "judge_id"
        )
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
        k=stage.judges_per_proposal,
        conflicts=conflicted_pairs(proposals=proposals, judge_ids=judge_ids),
        existing=existing,
        expertise=expertise,
        labels={proposal.pk: proposal.reference or f"proposal {proposal.pk}" for proposal in proposals},
    )
    created = Assignment.objects.bulk_create(
        [
            Assignment(proposal_id=proposal_id, stage=stage, judge_id=judge_id)
            for proposal_id, judge_id in plan.new_pairs(existing)
        ]
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
    if not PanelMember.objects.filter(stage_id=proposal.stage_id, judge=judge).exists():
        raise ValidationError(f"{judge.email} is not on the panel of {proposal.stage.name}.")
    reason = conflict_reason(judge, proposal)
    if reason == MEMBER_OF_THE_SUPPLIER:
        raise ValidationError(
            f"{judge.email} is, or was while it was prepared, a member of the organisation that made "
            f"{proposal.reference}, so they cannot judge it."
        )
    if reason:
        raise ValidationError(f"{judge.email} has declared a conflict of interest with {proposal.reference}.")
    assignment, created = Assignment.objects.get_or_create(proposal=proposal, stage_id=proposal.stage_id, judge=judge)
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
def assignment_confirm_no_conflict(*, assignment: Assignment, by) -> Assignment:
    """The judge, shown the title (and organisation, unless blind), says they have no conflict with it."""
    require(can_open_assignment(by, assignment))
    if assignment.no_conflict_confirmed_at is None:
        assignment.no_conflict_confirmed_at = timezone.now()
        assignment.save(update_fields=["no_conflict_confirmed_at"])
        event_record(actor=by, verb="confirmed no conflict", proposal=assignment.proposal, subject=judge_label(by))
    return assignment
