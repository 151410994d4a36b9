from wagtail import hooks

from .admin_views import ClarificationViewSet


@hooks.register("register_admin_viewset")
def register_clarification_viewset():
    return ClarificationViewSet()
