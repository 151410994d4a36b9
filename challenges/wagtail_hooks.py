from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Sponsor, Theme


class SponsorViewSet(SnippetViewSet):
    model = Sponsor
    icon = "site"
    list_display = ["name", "kind", "website"]
    search_fields = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug"]
    search_fields = ["name"]


class ChallengeSetupGroup(SnippetViewSetGroup):
    menu_label = "Sponsors and themes"
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (SponsorViewSet, ThemeViewSet)


register_snippet(ChallengeSetupGroup)
