from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _navigation(request):
    from challenges.models import ChallengeIndexPage
    from home.models import StandardPage

    listing = ChallengeIndexPage.objects.live().filter(sponsor__isnull=True).first()
    footer_pages = StandardPage.objects.live().public().filter(depth=3).order_by("path")
    return {
        "challenges_url": listing.get_url(request) if listing else None,
        "footer_pages": [(page.title, page.get_url(request)) for page in footer_pages],
    }


def site_chrome(request):
    """Header, footer and phase banner values every public page shows; looked up only if a template asks."""
    return {
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_phase": settings.SITE_PHASE,
        "feedback_email": settings.SITE_FEEDBACK_EMAIL,
        "site_navigation": SimpleLazyObject(lambda: _navigation(request)),
    }
