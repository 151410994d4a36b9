"""Screening: every proposal a challenge has received, filtered by status, moved on in bulk (staff, Wagtail admin).
A move to moderation while reviews are not submitted first lists them and asks "Send to moderation anyway?"."""

from collections import defaultdict

from django.shortcuts import redirect
from django.views.generic import TemplateView
from wagtail.admin import messages

from submissions.models import ProposalStatus
from submissions.workflow import RECEIVED

from ..forms import BulkMoveForm
from ..selectors.admin_pages import moves_from, received, screening_rows, status_counts
from ..services.screening import proposals_move
from .base import ChallengeManagerMixin

S = ProposalStatus


def refusal_messages(refused) -> list[str]:
    """One message per reason, naming the proposals it stopped unless the reason already names them."""
    by_reason = defaultdict(list)
    for proposal, reason in refused:
        by_reason[reason].append(proposal.reference)
    return [
        f"Not moved: {reason}" if any(ref in reason for ref in refs) else f"Not moved: {', '.join(refs)}. {reason}"
        for reason, refs in by_reason.items()
    ]


class ProposalsView(ChallengeManagerMixin, TemplateView):
    """GET lists and filters; POST moves the selected proposals with one bulk transition."""

    template_name = "judging/admin/proposals.html"
    page_title = "Screening"
    tab = "proposals"

    def bulk_form(self, data=None) -> BulkMoveForm:
        return BulkMoveForm(data, received=received(self.challenge, self.stage), targets=moves_from(S))

    def current_status(self) -> str:
        status = self.request.GET.get("status", "")
        if status and status not in RECEIVED:
            messages.warning(self.request, f"There is no status “{status}”, so every proposal is shown.")
            return ""
        return status

    def get_context_data(self, form=None, **kwargs):
        form = form or self.bulk_form()
        status = self.current_status()
        counts = status_counts(self.challenge, self.stage)
        selected = {int(pk) for pk in (form["proposals"].value() or []) if str(pk).isdigit()}
        return super().get_context_data(
            form=form,
            rows=screening_rows(self.challenge, status, self.stage),
            current_status=status,
            current_label=S(status).label.lower() if status else "",
            filters=[(s.value, s.label, counts.get(s, 0)) for s in RECEIVED],
            total=sum(counts.values()),
            targets=moves_from(counts),
            selected=selected,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = self.bulk_form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        to = S(data["to"])
        result = proposals_move(
            proposals=list(data["proposals"]),
            to=to,
            by=request.user,
            note=data["note"],
            acknowledged=data["acknowledged"],
        )
        if result.held:
            # Nothing moved: the page lists the reviews not submitted, with "Send to moderation anyway".
            return self.render_to_response(
                self.get_context_data(form=form, held=result.held, acknowledged=result.acknowledged)
            )
        if result.moved:
            messages.success(request, f"{len(result.moved)} moved to {to.label.lower()}.")
        for message in refusal_messages(result.refused):
            messages.error(request, message)
        if not result.moved:
            # Nothing changed: show the form again with the selection and the note as they were.
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(request.get_full_path())
