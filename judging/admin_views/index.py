"""The Judging menu's first page: the challenges this manager runs, with where each one's proposals stand."""

from django.core.exceptions import PermissionDenied
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from challenges.selectors import manages_any_challenge

from ..selectors.admin_pages import challenges_to_judge


class JudgingIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "judging/admin/index.html"
    page_title = "Judging"
    header_icon = "tasks"

    def dispatch(self, request, *args, **kwargs):
        if not manages_any_challenge(request.user):
            raise PermissionDenied("Only challenge managers can open judging.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(challenges=challenges_to_judge(self.request.user), **kwargs)
