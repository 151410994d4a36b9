"""Writes for judging: panels, conflicts and assignments. Each checks its rule and records an event."""

from django.db import transaction
from django.db.models import Q

from submissions.models import Proposal, ProposalEvent, ProposalStatus

from .assignment import AssignmentImpossible, plan_assignments
from .models import Assignment, Conflict, PanelMember, Review

# Proposals a panel reviews. Screening (eligible / ineligible) narrows this when the workflow grows.
ASSIGNABLE_STATUSES = (ProposalStatus.SUBMITTED,)


def panel_add(*, challenge, judge, by, expertise=()) -> PanelMember:
    member, _ = PanelMember.objects.get_or_create(challenge=challenge, judge=judge)
    if expertise:
        member.expertise.set(expertise)
    return member


def conflict_declare(*, judge, reason: str, by, organisation=None, proposal=None) -> Conflict:
    """Record a conflict and withdraw any assignment it touches, so a conflicted pair is never assigned."""
    conflict = Conflict(judge=judge, organisation=organisation, proposal=proposal, reason=reason.strip())
    conflict.full_clean()
    with transaction.atomic():
        conflict.save()
        touched = Assignment.objects.filter(judge=judge).filter(
            Q(proposal=proposal) if proposal else Q(proposal__organisation=organisation)
        )
        for assignment in touched.select_related("proposal"):
            ProposalEvent.objects.create(
                proposal=assignment.proposal, actor=by, verb="unassigned", note="Judge declared a conflict of interest"
            )
        touched.delete()
    return conflict


def conflicted_pairs(*, proposals: list[Proposal], judge_ids: list[int]) -> set[tuple[int, int]]:
    organisation_of = {proposal.pk: proposal.organisation_id for proposal in proposals}
    pairs = set()
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


@transaction.atomic
def assignments_auto(*, challenge, by) -> list[Assignment]:
    """Give every assignable proposal ``challenge.judges_per_proposal`` judges from the panel, balanced.

    Existing assignments stay. Raises ``AssignmentImpossible`` with a message a manager can act on.
    """
    proposals = list(
        Proposal.objects.filter(challenge=challenge, status__in=ASSIGNABLE_STATUSES).select_related("organisation")
    )
    members = list(PanelMember.objects.filter(challenge=challenge).prefetch_related("expertise"))
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
    ProposalEvent.objects.bulk_create(
        [
            ProposalEvent(proposal_id=a.proposal_id, actor=by, verb="assigned", note=f"Judge {a.judge_id}")
            for a in created
        ]
    )
    return created


__all__ = ["AssignmentImpossible", "assignments_auto", "conflict_declare", "panel_add"]
