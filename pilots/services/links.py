"""Absolute links to the pilot pages, for the emails the services send."""

from django.conf import settings
from django.urls import reverse


def page_link(name: str, args: list, fragment: str = "") -> str:
    """The named page's absolute address, with ``#fragment`` if given."""
    path = reverse(name, args=args) + (f"#{fragment}" if fragment else "")
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
