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
from ..selectors.stages import judging_stage

URL_NAMESPACE = "judging_admin"


def admin_url(name: str, *args) -> str:
    """A judging admin URL by its name; a name with its own namespace (``pilots_admin:pilots``) is used as it is."""
    return reverse(name if ":" in name else f"{URL_NAMESPACE}:{name}", args=args)


class ChallengeManagerMixin(WagtailAdminTemplateMixin):
    """Loads ``self.challenge`` from ``challenge_id`` and refuses anyone who may not manage it (403); and
    ``self.stage``, the stage the page is about: ``?stage=<id>``, else the one being judged now."""

    header_icon = "tasks"
    tab = ""

    def dispatch(self, request, *args, **kwargs):
        self.challenge = managed_challenge(kwargs["challenge_id"])
        if self.challenge is None:
            raise Http404("No challenge here.")
        allowed, reason = can_manage(request.user, self.challenge)
        if not allowed:
            raise PermissionDenied(reason)
        self.stages = self.challenge.stage_list
        self.stage = judging_stage(
            self.challenge, request.GET.get("stage") or request.POST.get("stage"), stages=self.stages
        )
        if self.stage is None:
            raise Http404("This challenge has no such stage.")
        return super().dispatch(request, *args, **kwargs)

    @property
    def stage_query(self) -> str:
        """``?stage=<id>`` for links that stay on this page's stage; "" for a one-stage challenge."""
        return f"?stage={self.stage.pk}" if len(self.stages) > 1 else ""

    def get_page_subtitle(self):
        return self.challenge.title

    @cached_property
    def tabs(self) -> list[dict]:
        has_pitch = any(stage.is_pitch for stage in self.stages)
        return [
            {"url": admin_url(name, self.challenge.pk) + self.stage_query, "label": label, "current": name == self.tab}
            for name, label in TABS
            if has_pitch or name != "pitch_index"
        ]

    @cached_property
    def stage_links(self) -> list[dict]:
        """One link per stage to this same page for that stage; none for a one-stage challenge."""
        stages = self.stages
        if len(stages) < 2:
            return []
        here = self.request.path
        return [
            {
                "url": f"{here}?stage={stage.pk}",
                "label": f"{number}. {stage.name}",
                "current": stage.pk == self.stage.pk,
            }
            for number, stage in enumerate(stages, 1)
        ]

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": admin_url("index"), "label": "Judging"},
            {"url": admin_url("proposals", self.challenge.pk), "label": self.challenge.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            challenge=self.challenge, stage=self.stage, stage_links=self.stage_links, tabs=self.tabs, **kwargs
        )
