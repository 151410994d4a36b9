from functools import cache

from django.db import models
from django.http import Http404
from django.utils import timezone
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page, get_page_models
from wagtail.search import index
from wagtail.url_routing import RouteResult

from challenges.blocks import StoryBlock
from challenges.cards import render_cards
from challenges.models import ChallengePage
from challenges.querysets import kept_next_status_change
from challenges.selectors import featured_open_challenges, upcoming_challenges
from core.kept import kept
from core.pages import KeptViewRestrictionsMixin

from .blocks import AudienceBlock


class HomePage(KeptViewRestrictionsMixin, Page):
    """The front door: what the platform is, the challenges open now, and how each kind of user takes part."""

    lead = models.TextField(
        max_length=400,
        help_text="One or two sentences under the page title saying what the platform is for.",
    )
    how_it_works = StreamField(
        [("audience", AudienceBlock())],
        blank=True,
        help_text="One panel for each kind of user: suppliers, judges, the public.",
    )
    about = StreamField([("paragraph", blocks.RichTextBlock(features=["bold", "italic", "link"]))], blank=True)

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("how_it_works"), FieldPanel("about")]

    search_fields = Page.search_fields + [index.SearchField("lead")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["challenges.ChallengeIndexPage", "home.StandardPage"]
    max_count = 1

    def route(self, request, path_components):
        """Find the page at the path in one query (then its specific row), not two queries per level.

        Wagtail walks the tree one child at a time, so that each page on the way may route the rest of the
        path itself; no page type here does (``every_page_routes_by_default``), and a page's ``url_path``
        (kept current by Wagtail on moves and slug changes) is exactly that walk's result. As in Wagtail, only
        the page found must be live. If a page type ever routes for itself, the walk is used again."""
        if not path_components or not every_page_routes_by_default():
            return super().route(request, path_components)
        found = (
            Page.objects.filter(
                path__startswith=self.path,
                depth=self.depth + len(path_components),
                slug=path_components[-1],
                url_path=f"{self.url_path}{'/'.join(path_components)}/",
            )
            .order_by()
            .first()
        )
        if found is None or not found.live:
            raise Http404
        return RouteResult(found.specific)

    def get_context(self, request, *args, **kwargs):
        """The challenges open now and coming soon: the same for every visitor until the site changes or one of
        them changes status, so kept (``core.kept``) until then, and their cards with them."""
        context = super().get_context(request, *args, **kwargs)
        now = timezone.now()
        for name, find in (("open_challenges", featured_open_challenges), ("upcoming_challenges", upcoming_challenges)):
            challenges = kept(
                ("home", name), find, until=lambda _: kept_next_status_change(ChallengePage.objects.live())
            )
            context[name] = challenges
            context[f"{name}_cards"] = render_cards(challenges, request=request, now=now)
        return context


class StandardPage(KeptViewRestrictionsMixin, Page):
    """About, accessibility statement, privacy notice and other editorial pages."""

    lead = models.TextField(blank=True, max_length=400)
    body = StreamField(StoryBlock())

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]

    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]


@cache
def every_page_routes_by_default() -> bool:
    return all(model.route in (Page.route, HomePage.route) for model in get_page_models())
