from django.conf import settings
from django.utils.functional import SimpleLazyObject

from challenges.models import ChallengeIndexPage
from challenges.querysets import in_private_section
from core.kept import kept
from judging.permissions import can_use_judging_pages

from .models import StandardPage
from .routing import kept_site


def _sits_on_a_panel(request) -> bool:
    """Whether to offer the judges' pages in the navigation: one query, and only for signed-in people."""
    return can_use_judging_pages(request.user)[0] if request.user.is_authenticated else False


def _navigation(request):
    """The site-wide challenge listing and the footer's pages: the same for every visitor to a site, so kept per
    generation (``core.kept``); worked out, each from its own small page type table, only when pages change."""
    site = kept_site(request)
    return kept(("navigation", site.pk if site else None), lambda: _navigation_links(request))


def _navigation_links(request):
    listing = ChallengeIndexPage.objects.live().filter(sponsor__isnull=True).order_by("path").first()
    footer_pages = StandardPage.objects.live().filter(depth=3).exclude(in_private_section()).order_by("path")
    return {
        "challenges_url": listing.get_url(request) if listing else None,
        "footer_pages": [(page.title, page.get_url(request)) for page in footer_pages.only("title", "url_path")],
    }


def site_chrome(request):
    """Header, footer and phase banner values every public page shows; looked up only if a template asks."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_phase": settings.SITE_PHASE,
        "feedback_email": settings.SITE_FEEDBACK_EMAIL,
        "site_navigation": SimpleLazyObject(lambda: _navigation(request)),
        "sits_on_a_panel": SimpleLazyObject(lambda: _sits_on_a_panel(request)),
    }
