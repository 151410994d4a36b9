from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_isolation import page_chooser_queryset
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


hooks.register("construct_page_chooser_queryset", page_chooser_queryset)
