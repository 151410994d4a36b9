"""The challenge's audit log, newest first: read-only, so staff can show who did what, when and why."""

from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.urls import path
from django.views.generic import TemplateView
from wagtail.admin import messages

from audit.models import Event
from audit.selectors import events_for_challenge
from submissions.models import Proposal, ProposalStatus

from .base import ChallengeManagerMixin

PER_PAGE = 50
STATUS_LABELS = dict(ProposalStatus.choices)


class AuditLogView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/audit.html"
    page_title = "Audit log"
    tab = "audit"

    def get_context_data(self, **kwargs):
        verbs = list(
            Event.objects.filter(challenge=self.challenge).values_list("verb", flat=True).distinct().order_by("verb")
        )
        verb = self.request.GET.get("verb", "")
        if verb and verb not in verbs:
            messages.warning(self.request, f"Nothing in this log is “{verb}”, so every event is shown.")
            verb = ""
        reference = Proposal.objects.filter(pk=OuterRef("proposal_id")).values("reference")[:1]
        events = events_for_challenge(self.challenge).annotate(proposal_reference=Subquery(reference))
        if verb:
            events = events.filter(verb=verb)
        page = Paginator(events, PER_PAGE).get_page(self.request.GET.get("p"))
        for event in page:
            event.from_label = STATUS_LABELS.get(event.from_status, event.from_status)
            event.to_label = STATUS_LABELS.get(event.to_status, event.to_status)
        return super().get_context_data(
            page_obj=page,
            items=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            verbs=verbs,
            current_verb=verb,
            **kwargs,
        )


urlpatterns = [path("<int:challenge_id>/audit/", AuditLogView.as_view(), name="audit")]
