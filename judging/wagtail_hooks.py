from wagtail import hooks

from .admin_views.viewset import JudgingViewSet


@hooks.register("register_admin_viewset")
def register_judging_viewset():
    return JudgingViewSet()
