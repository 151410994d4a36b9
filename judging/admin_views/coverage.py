"""Assignments: which judge reviews which proposal, how far each review has got, and the controls that change it.

The grid is built from four queries whatever its size (proposals, seats, assignments with their reviews,
conflicts), so the page stays quick for a large challenge.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.urls import path
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from submissions.models import Proposal, ProposalStatus
from submissions.workflow import ASSIGNABLE_BY_HAND

from ..models import Assignment, PanelMember, ReviewStatus
from ..services import AssignmentImpossible, assignment_add, assignment_remove, assignments_auto, conflicted_pairs
from .base import ChallengeManagerMixin, admin_url

S = ProposalStatus
# The proposals a panel may be assigned to (judging.services.assignment_add): screened eligible, or under review.

CONFLICT, NOT_ASSIGNED, NOT_STARTED, DRAFT, SUBMITTED = "Conflict", "Not assigned", "Not started", "Draft", "Submitted"


@dataclass
class Cell:
    judge: object
    state: str
    assignment_id: int | None = None
    conflicted: bool = False


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


def coverage_grid(challenge) -> tuple[list[Row], list[Column]]:
    proposals = list(
        Proposal.objects.filter(challenge=challenge, status__in=ASSIGNABLE_BY_HAND)
        .select_related("organisation")
        .order_by("reference")
    )
    judges = [
        member.judge
        for member in PanelMember.objects.filter(challenge=challenge)
        .select_related("judge")
        .order_by("judge__first_name", "judge__last_name", "judge__email")
    ]
    judge_ids = [judge.pk for judge in judges]
    assignments = {
        (a.proposal_id, a.judge_id): a
        for a in Assignment.objects.filter(proposal__in=proposals, judge_id__in=judge_ids)
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
        row.short_by = max(challenge.judges_per_proposal - row.assigned, 0)
        rows.append(row)
    return rows, list(columns.values())


def _state(assignment: Assignment) -> str:
    review = getattr(assignment, "review", None)
    if review is not None and review.status == ReviewStatus.SUBMITTED:
        return SUBMITTED
    return DRAFT if assignment.marks else NOT_STARTED


class AssignForm(forms.Form):
    """Choices come from the grid already loaded, so the form adds no queries to the page."""

    proposal = forms.TypedChoiceField(
        label="Proposal",
        coerce=int,
        error_messages={"required": "Choose a proposal.", "invalid_choice": "Choose one of the proposals listed."},
    )
    judge = forms.TypedChoiceField(
        label="Judge",
        coerce=int,
        error_messages={"required": "Choose a judge.", "invalid_choice": "Choose one of the panel's judges."},
    )

    def __init__(self, *args, rows: list[Row], columns: list[Column], **kwargs):
        super().__init__(*args, **kwargs)
        self.proposals = {row.proposal.pk: row.proposal for row in rows}
        self.judges = {column.judge.pk: column.judge for column in columns}
        self.fields["proposal"].choices = [("", "Choose a proposal")] + [
            (p.pk, f"{p.reference}: {p.title}") for p in self.proposals.values()
        ]
        self.fields["judge"].choices = [("", "Choose a judge")] + [(j.pk, str(j)) for j in self.judges.values()]


class CoverageView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/coverage.html"
    page_title = "Assignments"
    tab = "coverage"

    def get_context_data(self, form=None, **kwargs):
        rows, columns = coverage_grid(self.challenge)
        return super().get_context_data(
            rows=rows,
            columns=columns,
            form=form or AssignForm(rows=rows, columns=columns),
            **kwargs,
        )


class AssignView(CoverageView):
    """Assign one judge by hand; a refusal (conflict, not on the panel, wrong status) is shown on the form."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        rows, columns = coverage_grid(self.challenge)
        form = AssignForm(request.POST, rows=rows, columns=columns)
        if form.is_valid():
            proposal = form.proposals[form.cleaned_data["proposal"]]
            judge = form.judges[form.cleaned_data["judge"]]
            try:
                assignment_add(proposal=proposal, judge=judge, by=request.user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"{judge} assigned to {proposal.reference}.")
                return redirect(admin_url("coverage", self.challenge.pk))
        return self.render_to_response(self.get_context_data(form=form))


class AutoAssignView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            made = assignments_auto(challenge=self.challenge, by=request.user)
        except AssignmentImpossible as error:
            messages.error(request, str(error))
        else:
            if made:
                messages.success(request, f"{len(made)} assignment{'s' if len(made) != 1 else ''} made.")
            else:
                messages.success(request, "No assignments made: every proposal already has its judges.")
        return redirect(admin_url("coverage", self.challenge.pk))


class UnassignView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assignment = get_object_or_404(
            Assignment.objects.select_related("proposal__challenge", "judge"),
            pk=kwargs["assignment_id"],
            proposal__challenge=self.challenge,
        )
        try:
            assignment_remove(assignment=assignment, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{assignment.judge} unassigned from {assignment.proposal.reference}.")
        return redirect(admin_url("coverage", self.challenge.pk))


urlpatterns = [
    path("<int:challenge_id>/assignments/", CoverageView.as_view(), name="coverage"),
    path("<int:challenge_id>/assignments/auto/", AutoAssignView.as_view(), name="assignments_auto"),
    path("<int:challenge_id>/assignments/add/", AssignView.as_view(), name="assignment_add"),
    path(
        "<int:challenge_id>/assignments/<int:assignment_id>/remove/",
        UnassignView.as_view(),
        name="assignment_remove",
    ),
]
