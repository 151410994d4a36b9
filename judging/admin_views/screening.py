"""Screening: every proposal a challenge has received, filtered by status, moved on in bulk (staff, Wagtail admin).

This module also gathers the URLs of the panel, assignments and audit log pages (``panel.py``,
``coverage.py``, ``audit_log.py``), which the judging viewset mounts.
"""

from collections import defaultdict

from django import forms
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin import messages

from submissions.models import Proposal, ProposalStatus
from submissions.workflow import RECEIVED, next_statuses, proposal_transition_bulk

from ..models import Outcome, ReviewStatus
from . import audit_log, coverage, panel
from .base import ChallengeManagerMixin

S = ProposalStatus


# Outcomes are left to the decisions page, which records the feedback and rationale that go with them.
SCREENING_MOVES = frozenset(to for status in S for to in next_statuses(status)) - set(Outcome.values)


def moves_from(statuses) -> list[S]:
    """The moves a manager may make here from any of ``statuses``, in the workflow's order."""
    reachable = {to for status in statuses for to in next_statuses(status)} & SCREENING_MOVES
    return [status for status in S if status in reachable]


def received(challenge):
    """Proposals that were submitted at some point. A draft, or a draft withdrawn before it was ever submitted
    (no reference), is not the manager's business."""
    return Proposal.objects.filter(challenge=challenge, status__in=RECEIVED, reference__isnull=False)


class BulkMoveForm(forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        queryset=Proposal.objects.none(),
        error_messages={
            "required": "Select at least one proposal to move.",
            "invalid_choice": "One of the proposals you selected is not in this challenge.",
            "invalid_pk_value": "One of the proposals you selected is not in this challenge.",
        },
    )
    to = forms.ChoiceField(
        label="Move the selected proposals to",
        error_messages={
            "required": "Choose the status to move the selected proposals to.",
            "invalid_choice": "Choose one of the statuses listed.",
        },
    )
    note = forms.CharField(
        label="Note (the supplier is told the reason a proposal is ineligible)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, challenge, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = received(challenge)
        self.fields["to"].choices = [("", "Choose a status")] + [(s.value, s.label) for s in moves_from(S)]


def screening_rows(challenge, status: str = ""):
    """The listing: each proposal with its organisation and how many judges have it and have reviewed it."""
    rows = (
        received(challenge)
        .select_related("organisation")
        .annotate(
            judges_assigned=Count("assignments", distinct=True),
            reviews_submitted=Count(
                "assignments", filter=Q(assignments__review__status=ReviewStatus.SUBMITTED), distinct=True
            ),
        )
        .order_by("reference")
    )
    return rows.filter(status=status) if status else rows


def status_counts(challenge) -> dict[str, int]:
    counts = received(challenge).values("status").annotate(n=Count("pk")).order_by()
    return {row["status"]: row["n"] for row in counts}


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

    def current_status(self) -> str:
        status = self.request.GET.get("status", "")
        if status and status not in RECEIVED:
            messages.warning(self.request, f"There is no status “{status}”, so every proposal is shown.")
            return ""
        return status

    def get_context_data(self, form=None, **kwargs):
        form = form or BulkMoveForm(challenge=self.challenge)
        status = self.current_status()
        counts = status_counts(self.challenge)
        selected = {int(pk) for pk in (form["proposals"].value() or []) if str(pk).isdigit()}
        return super().get_context_data(
            form=form,
            rows=screening_rows(self.challenge, status),
            current_status=status,
            current_label=S(status).label.lower() if status else "",
            filters=[(s.value, s.label, counts.get(s, 0)) for s in RECEIVED],
            total=sum(counts.values()),
            targets=moves_from(counts),
            selected=selected,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = BulkMoveForm(request.POST, challenge=self.challenge)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        to = S(form.cleaned_data["to"])
        result = proposal_transition_bulk(
            proposals=list(form.cleaned_data["proposals"]), to=to, by=request.user, note=form.cleaned_data["note"]
        )
        if result.moved:
            messages.success(request, f"{len(result.moved)} moved to {to.label.lower()}.")
        for message in refusal_messages(result.refused):
            messages.error(request, message)
        if not result.moved:
            # Nothing changed: show the form again with the selection and the note as they were.
            return self.render_to_response(self.get_context_data(form=form))
        return redirect(request.get_full_path())


urlpatterns: list = [
    path("<int:challenge_id>/proposals/", ProposalsView.as_view(), name="proposals"),
    *panel.urlpatterns,
    *coverage.urlpatterns,
    *audit_log.urlpatterns,
]
