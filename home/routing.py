"""Finding the site and the page a request asks for once per generation (``core.kept``), not on every request.

Wagtail looks up the site (a query), its root page and that page's specific row (two more), then walks the path
(``HomePage.route``: two more) on every request. Here the site for a host and port, and the page at each path,
are kept: a request then reads the page it asks for, one query by primary key, and checks that the page is
still live at that address. A page moved or unpublished since (before its change reached this process) fails
that check, and Wagtail routes the request itself, as it does every path that leads nowhere.
"""

from django.http import Http404
from django.http.request import split_domain_port
from wagtail.models import Site
from wagtail.url_routing import RouteResult
from wagtail.views import serve as wagtail_serve

from core.kept import enabled, kept

from .models import every_page_routes_by_default


def kept_site(request) -> Site | None:
    """``Site.find_for_request``, without its query once this process has seen the host."""
    if not hasattr(request, "_wagtail_site"):
        hostname, port = split_domain_port(request._get_raw_host())[0], request.get_port()
        request._wagtail_site = kept(("site", hostname, port), lambda: Site._find_for_request(request))
    return request._wagtail_site


def kept_route(request, path: str) -> RouteResult | None:
    """The page at ``path``, read by its key; None when Wagtail must route the request itself."""
    if not every_page_routes_by_default():
        return None
    site = kept_site(request)
    if site is None:
        return None
    components = tuple(component for component in path.split("/") if component)
    target = kept(("route", site.pk, components), lambda: _route_target(request, site, components))
    if target is None:
        return None
    model, pk, url_path = target
    page = (
        model.objects.select_related(*getattr(model, "route_select_related", ()))
        .filter(pk=pk, live=True, url_path=url_path)
        .first()
    )
    return RouteResult(page) if page is not None else None


def _route_target(request, site: Site, components: tuple[str, ...]):
    try:
        page, args, kwargs = site.root_page.localized.specific.route(request, list(components))
    except Http404:
        return None
    if args or kwargs:
        return None
    return type(page), page.pk, page.url_path


class KeptRouteMiddleware:
    """Hands Wagtail's page view the site and the page, found as above (Wagtail reads both from the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_serve and enabled() and not hasattr(request, "_wagtail_route_for_request"):
            route = kept_route(request, view_kwargs.get("path", view_args[0] if view_args else ""))
            if route is not None:
                request._wagtail_route_for_request = route
        return None
