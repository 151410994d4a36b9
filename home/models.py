from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from .blocks import AudienceBlock, StoryBlock


class HomePage(Page):
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

    def get_context(self, request, *args, **kwargs):
        from challenges.selectors import featured_open_challenges, upcoming_challenges

        context = super().get_context(request, *args, **kwargs)
        context["open_challenges"] = featured_open_challenges()
        context["upcoming_challenges"] = upcoming_challenges()
        return context


class StandardPage(Page):
    """About, accessibility statement, privacy notice and other editorial pages."""

    lead = models.TextField(blank=True, max_length=400)
    body = StreamField(StoryBlock())

    content_panels = Page.content_panels + [FieldPanel("lead"), FieldPanel("body")]

    search_fields = Page.search_fields + [index.SearchField("lead"), index.SearchField("body")]

    parent_page_types = ["home.HomePage", "home.StandardPage"]
    subpage_types = ["home.StandardPage"]
