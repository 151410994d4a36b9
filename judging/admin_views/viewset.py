"""One Wagtail admin viewset for judging; its pages live in screening.py and results.py."""

from django.urls import path
from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from challenges.selectors import challenges_user_can_manage

from . import results, screening
from .base import URL_NAMESPACE
from .index import JudgingIndexView


class JudgingViewSet(ViewSet):
    name = URL_NAMESPACE
    url_prefix = "judging"
    icon = "tasks"
    menu_label = "Judging"
    menu_order = 240
    add_to_admin_menu = True

    @cached_property
    def menu_item_class(self):
        class JudgingMenuItem(MenuItem):
            def is_shown(self, request):
                return challenges_user_can_manage(request.user).exists()

        return JudgingMenuItem

    def get_urlpatterns(self):
        index = path("", JudgingIndexView.as_view(), name="index")
        return [index, *screening.urlpatterns, *results.urlpatterns]
