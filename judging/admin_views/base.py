"""What every staff judging page in the Wagtail admin shares: the challenge from the URL, the one permission
check (``can_manage``), and the tabs that move between the pages of one challenge's judging."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from ..labels import TABS
from ..permissions import can_manage
from ..selectors.admin_pages import managed_challenge

URL_NAMESPACE = "judging_admin"


def admin_url(name: str, *args) -> str:
    return reverse(f"{URL_NAMESPACE}:{name}", args=args)


class ChallengeManagerMixin(WagtailAdminTemplateMixin):
    """Loads ``self.challenge`` from ``challenge_id`` and refuses anyone who may not manage it (403)."""

    header_icon = "tasks"
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        self.challenge = managed_challenge(kwargs["challenge_id"])
        if self.challenge is None:
            raise Http404("No challenge here.")
        allowed, reason = can_manage(request.user, self.challenge)
        if not allowed:
            raise PermissionDenied(reason)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.challenge.title

    @cached_property
    def tabs(self) -> list[dict]:
        return [
            {"url": admin_url(name, self.challenge.pk), "label": label, "current": name == self.tab}
            for name, label in TABS
        ]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("index"), "label": "Judging"},
            {"url": admin_url("proposals", self.challenge.pk), "label": self.challenge.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(challenge=self.challenge, tabs=self.tabs, **kwargs)
