from django import template
from django.urls import reverse

from core.kept import kept
from home.routing import kept_site

register = template.Library()


@register.filter
def is_section(path: str, prefix: str) -> bool:
    """The home page is current only on an exact match; any other section also owns the pages below it."""
    if not path or not prefix:
        return False
    return path == prefix if prefix == "/" else path.startswith(prefix)


@register.simple_tag(takes_context=True)
def breadcrumb_links(context, page) -> list[tuple[str, str]]:
    """The page's ancestors below the root as (label, address), the home page as "Home": the same for every
    visitor, so kept per generation (``core.kept``) instead of read from the tree on every request."""
    request = context.get("request")
    if page is None or page.pk is None or getattr(request, "is_preview", False):
        return _breadcrumb_links(page, request) if page is not None else []
    site = kept_site(request) if request is not None else None
    key = ("breadcrumbs", page.pk, page.path, site.pk if site else None)
    return kept(key, lambda: _breadcrumb_links(page, request))


def _breadcrumb_links(page, request) -> list[tuple[str, str]]:
    ancestors = page.get_ancestors().filter(depth__gt=1).only("title", "url_path", "depth", "path")
    return [("Home" if ancestor.depth == 2 else ancestor.title, ancestor.get_url(request)) for ancestor in ancestors]


@register.simple_tag(takes_context=True)
def nav_section(context) -> tuple[bool, ...]:
    """Which of an anonymous visitor's navigation items is current: all the header depends on, besides the site
    and its navigation (kept per generation)."""
    request, navigation = context.get("request"), context.get("site_navigation")
    prefixes = ("/", navigation["challenges_url"] if navigation else None, reverse("archive:search"),
                reverse("account_login"))  # fmt: skip
    path = request.path if request is not None else ""
    return tuple(is_section(path, prefix) for prefix in prefixes)


@register.tag
def keep(parser, token):
    """``{% keep "name" value ... %}…{% endkeep %}``: the enclosed markup, rendered once per site, generation and
    values (``core.kept``). Only for markup that depends on nothing else: not the user, not the page."""
    values = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, values)


class KeepNode(template.Node):
    def __init__(self, nodelist, values):
        self.nodelist, self.values = nodelist, values

    def render(self, context):
        request = context.get("request")
        if request is None or getattr(request, "is_preview", False):
            return self.nodelist.render(context)
        site = kept_site(request)
        key = ("fragment", site.pk if site else None, *(value.resolve(context) for value in self.values))
        return kept(key, lambda: self.nodelist.render(context))
