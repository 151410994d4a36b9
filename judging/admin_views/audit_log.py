"""The challenge's audit log, newest first: read-only, so staff can show who did what, when and why."""

from django.views.generic import TemplateView
from wagtail.admin import messages

from ..selectors.admin_pages import audit_page, audit_verbs
from .base import ChallengeManagerMixin


class AuditLogView(ChallengeManagerMixin, TemplateView):
    template_name = "judging/admin/audit.html"
    page_title = "Audit log"
    tab = "audit"

    def get_context_data(self, **kwargs):
        verbs = audit_verbs(self.challenge)
        verb = self.request.GET.get("verb", "")
        if verb and verb not in verbs:
            messages.warning(self.request, f"Nothing in this log is “{verb}”, so every event is shown.")
            verb = ""
        page = audit_page(self.challenge, verb=verb, page_number=self.request.GET.get("p"))
        return super().get_context_data(
            page_obj=page,
            items=page,
            elided_page_range=page.paginator.get_elided_page_range(page.number),
            verbs=verbs,
            current_verb=verb,
            **kwargs,
        )
