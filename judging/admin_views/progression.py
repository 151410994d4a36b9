"""The end of a stage (staff, Wagtail admin): take proposals forward to the next stage, or not, with feedback,
and release that feedback."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.generic import TemplateView

from submissions.progression import progression_bulk, stage_feedback_send

from ..forms import ProgressionForm
from ..selectors.confidence import places_planned
from ..selectors.progression import progressable, progression_rows, progressions_from
from .base import ChallengeManagerMixin
from .screening import refusal_messages


class ProgressionView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/progression.html"
    page_title = "Progression"
    tab = "progression"

    @property
    def next_stage(self):
        return self.challenge.stage_after(self.stage)

    def progression_form(self, data=None) -> ProgressionForm | None:
        if self.next_stage is None:
            return None
        return ProgressionForm(data, candidates=progressable(self.challenge, self.stage), next_stage=self.next_stage)

    def get_context_data(self, form=None, **kwargs):
        form = form or self.progression_form()
        rows = progression_rows(self.challenge, self.stage) if self.next_stage else []
        selected = {str(pk) for pk in (form["proposals"].value() or [])} if form is not None else set()
        decided = progressions_from(self.stage)
        return super().get_context_data(
            form=form,
            rows=[
                {"row": row, "checked": str(row.proposal.pk) in selected, "feedback": form.own_feedback(row.proposal)}
                for row in rows
            ]
            if form is not None
            else [],
            next_stage=self.next_stage,
            places=places_planned(self.stage),
            decided=decided,
            unsent=sum(1 for p in decided if p.outcome == "not_taken_forward" and not p.feedback_sent_at),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if "send_feedback" in request.POST:
            sent = stage_feedback_send(stage=self.stage, by=request.user)
            messages.success(request, f"Feedback emailed: {sent} email{'' if sent == 1 else 's'} queued.")
            return redirect(request.get_full_path())
        form = self.progression_form(request.POST)
        if form is None or not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        forward = form.cleaned_data["decision"] == ProgressionForm.TAKE_FORWARD
        proposals = list(form.cleaned_data["proposals"])
        result = progression_bulk(
            proposals=proposals,
            take_forward=forward,
            by=request.user,
            feedback=form.cleaned_data["feedback"],
            feedback_of={proposal.pk: form.own_feedback(proposal) for proposal in proposals},
        )
        moved = result.moved
        if moved:
            where = f"taken forward to {self.next_stage.name}" if forward else "not taken forward"
            messages.success(request, f"{len(moved)} {where}: {', '.join(p.reference for p in moved)}.")
        for message in refusal_messages(result.refused):
            messages.error(request, message)
        if not moved:
            return self.render_to_response(self.get_context_data(form=form), status=400)
        return redirect(request.get_full_path())
