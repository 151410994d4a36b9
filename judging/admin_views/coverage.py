"""Assignments: which judge reviews which proposal, how far each review has got, and the controls that change it."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.views.generic import TemplateView, View
from wagtail.admin import messages

from ..forms import AssignForm
from ..selectors.coverage import assignment_of, coverage_grid
from ..services.assignments import AssignmentImpossible, assignment_add, assignment_remove, assignments_auto
from .base import ChallengeManagerMixin, admin_url


class CoverageView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/coverage.html"
    page_title = "Assignments"
    tab = "coverage"

    def get_context_data(self, form=None, **kwargs):
        rows, columns = coverage_grid(self.challenge, self.stage)
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
        rows, columns = coverage_grid(self.challenge, self.stage)
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
                return redirect(admin_url("coverage", self.challenge.pk) + self.stage_query)
        return self.render_to_response(self.get_context_data(form=form))


class AutoAssignView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            made = assignments_auto(challenge=self.challenge, stage=self.stage, by=request.user)
        except AssignmentImpossible as error:
            messages.error(request, str(error))
        else:
            if made:
                messages.success(request, f"{len(made)} assignment{'s' if len(made) != 1 else ''} made.")
            else:
                messages.success(request, "No assignments made: every proposal already has its judges.")
        return redirect(admin_url("coverage", self.challenge.pk) + self.stage_query)


class UnassignView(ChallengeManagerMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        assignment = assignment_of(self.challenge, kwargs["assignment_id"])
        if assignment is None:
            raise Http404("No such assignment.")
        try:
            assignment_remove(assignment=assignment, by=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{assignment.judge} unassigned from {assignment.proposal.reference}.")
        return redirect(admin_url("coverage", self.challenge.pk) + self.stage_query)
