"""Absolute links to the pilot pages, for the emails the services send."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def page_link(name: str, args: list, fragment: str = "") -> str:
    """The named page's absolute address. Until the pilot pages (``pilots:…``, ``pilots_admin:…``) are in the
    URLconf, the email links to the site's home page: a report must still be submitted and reviewed, rather than
    the whole action failing on the link in its notification."""
    try:
        path = reverse(name, args=args) + (f"#{fragment}" if fragment else "")
    except NoReverseMatch:
        path = "/"
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
