from wagtail import hooks

from .admin_views import PilotsViewSet


@hooks.register("register_admin_viewset")
def register_pilots_viewset():
    return PilotsViewSet()
