"""One Wagtail admin viewset for judging: the "Judging" menu item, and every route of ``judging/admin_urls.py``."""

from django.utils.functional import cached_property
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from challenges.selectors import request_manages_any_challenge

from .. import admin_urls
from .base import URL_NAMESPACE


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
                return request_manages_any_challenge(request)

        return JudgingMenuItem

    def get_urlpatterns(self):
        return admin_urls.urlpatterns
