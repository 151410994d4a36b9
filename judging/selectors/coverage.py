"""The assignments grid: which judge reviews which proposal and how far each review has got, from four queries
whatever its size (proposals, seats, assignments with their reviews, conflicts)."""

from dataclasses import dataclass, field

from django.db.models import Count

from submissions.models import Proposal
from submissions.workflow import ASSIGNABLE_BY_HAND

from ..labels import SUBMITTED, review_state
from ..models import Assignment, PanelMember
from .conflicts import conflicted_pairs

CONFLICT, NOT_ASSIGNED = "Conflict", "Not assigned"
"""A cell without an assignment; an assigned cell shows ``labels.review_state``."""


@dataclass
class Cell:
    judge: object
    state: str
    assignment_id: int | None = None
    conflicted: bool = False

    @property
    def removable(self) -> bool:
        """An assignment can be taken off a judge until their review is submitted."""
        return self.assignment_id is not None and self.state != SUBMITTED


@dataclass
class Row:
    proposal: Proposal
    cells: list[Cell] = field(default_factory=list)
    assigned: int = 0
    submitted: int = 0
    short_by: int = 0


@dataclass
class Column:
    judge: object
    assigned: int = 0
    submitted: int = 0


def coverage_grid(challenge, stage) -> tuple[list[Row], list[Column]]:
    """One stage's proposals (rows) against that stage's panel (columns)."""
    proposals = list(
        Proposal.objects.filter(challenge=challenge, stage=stage, status__in=ASSIGNABLE_BY_HAND)
        .select_related("organisation")
        .order_by("reference")
    )
    judges = [
        member.judge
        for member in PanelMember.objects.filter(stage=stage)
        .select_related("judge")
        .order_by("judge__first_name", "judge__last_name", "judge__email")
    ]
    judge_ids = [judge.pk for judge in judges]
    assignments = {
        (a.proposal_id, a.judge_id): a
        for a in Assignment.objects.filter(proposal__in=proposals, stage=stage, judge_id__in=judge_ids)
        .select_related("review")
        .annotate(marks=Count("review__scores"))
    }
    conflicts = conflicted_pairs(proposals=proposals, judge_ids=judge_ids) if proposals and judges else set()
    columns = {judge.pk: Column(judge) for judge in judges}
    rows = []
    for proposal in proposals:
        row = Row(proposal)
        for judge in judges:
            pair = (proposal.pk, judge.pk)
            assignment = assignments.get(pair)
            state = _state(assignment) if assignment else (CONFLICT if pair in conflicts else NOT_ASSIGNED)
            row.cells.append(Cell(judge, state, assignment.pk if assignment else None, pair in conflicts))
            if assignment:
                row.assigned += 1
                columns[judge.pk].assigned += 1
            if state == SUBMITTED:
                row.submitted += 1
                columns[judge.pk].submitted += 1
        row.short_by = max(stage.judges_per_proposal - row.assigned, 0)
        rows.append(row)
    return rows, list(columns.values())


def _state(assignment: Assignment) -> str:
    return review_state(getattr(assignment, "review", None), bool(assignment.marks))


def assignment_of(challenge, assignment_id: int) -> Assignment | None:
    return (
        Assignment.objects.select_related("proposal__challenge", "judge")
        .filter(pk=assignment_id, proposal__challenge=challenge)
        .first()
    )
