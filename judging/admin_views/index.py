"""The Judging menu's first page: the challenges this manager runs, with where each one's proposals stand."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from challenges.selectors import challenges_user_can_manage
from submissions.models import ProposalStatus
from submissions.workflow import IN_PLAY, UNDER_REVIEW

S = ProposalStatus


class JudgingIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "judging/admin/index.html"
    page_title = "Judging"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not challenges_user_can_manage(request.user).exists():
            raise PermissionDenied("Only challenge managers can open judging.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        challenges = (
            challenges_user_can_manage(self.request.user)
            .filter(closes_at__isnull=False)
            .annotate(
                received=Count("proposals", filter=Q(proposals__status__in=IN_PLAY)),
                to_screen=Count("proposals", filter=Q(proposals__status=S.SUBMITTED)),
                in_review=Count("proposals", filter=Q(proposals__status__in=UNDER_REVIEW)),
                winners=Count("proposals", filter=Q(proposals__status=S.WINNER)),
            )
            .order_by("-closes_at")
        )
        return super().get_context_data(challenges=challenges, **kwargs)
