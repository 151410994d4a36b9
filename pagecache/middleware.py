"""Whole-page cache for anonymous visitors.

It sits before the session, authentication and CSRF middleware, so a hit costs at most one cache round trip
(none when this process served the page recently: pagecache/local.py) and no database query. Only requests
that cannot be anyone's in particular are served from it or stored in it: GET, no session or messages cookie,
no Authorization header. Only responses that are the same for every such
visitor are stored: 200, no cookie set, no CSRF token rendered (a form's token belongs to one browser), not
marked private or no-store. Nothing is kept past ``Cache-Control: max-age`` or past the next moment a
challenge changes status (``PAGE_CACHE_NEXT_CHANGE``), so no page reads "Open" after a deadline.
"""

import logging

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_max_age
from django.utils.module_loading import import_string

from .keys import cached_page, page_key, store_page
from .local import LocalPages

logger = logging.getLogger(__name__)

HEADER = "X-Page-Cache"
PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")


class PageCacheMiddleware:
    def __init__(self, get_response):
        if not settings.PAGE_CACHE_SECONDS:
            raise MiddlewareNotUsed
        self.get_response = get_response
        self.seconds = settings.PAGE_CACHE_SECONDS
        self.next_change = import_string(settings.PAGE_CACHE_NEXT_CHANGE)
        self.bypass_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self.local = (
            LocalPages(entries=settings.PAGE_CACHE_LOCAL_ENTRIES, recheck_seconds=settings.PAGE_CACHE_LOCAL_SECONDS)
            if settings.PAGE_CACHE_LOCAL_SECONDS
            else None
        )

    def __call__(self, request):
        if not self._anonymous_get(request):
            return self.get_response(request)
        key = page_key(request)
        try:
            stored = self.local.get(key) if self.local else None
            if stored is not None:
                return _rebuild(stored)
            stored, generation, expires_at = cached_page(key)
        except Exception:
            logger.warning("Page cache unreachable; serving %s uncached.", request.path, exc_info=True)
            return self.get_response(request)
        if stored is not None:
            if self.local:
                self.local.put(key, stored, expires_at=expires_at, generation=generation)
            return _rebuild(stored)
        response = self.get_response(request)
        seconds = self._lifetime(request, response)
        if seconds:
            parts = _freeze(response)
            try:
                expires_at = store_page(key, generation, parts, seconds)
            except Exception:
                logger.warning("Could not store %s in the page cache.", request.path, exc_info=True)
            else:
                if self.local:
                    self.local.put(key, parts, expires_at=expires_at, generation=generation)
            response[HEADER] = "miss"
        return response

    def _anonymous_get(self, request) -> bool:
        return (
            request.method == "GET"
            and "HTTP_AUTHORIZATION" not in request.META
            and not any(name in request.COOKIES for name in self.bypass_cookies)
        )

    def _lifetime(self, request, response) -> int:
        """Seconds to keep this response, or 0 when it must not be shared."""
        if response.status_code != 200 or response.streaming or response.cookies:
            return 0
        if request.META.get("CSRF_COOKIE_USED"):
            return 0
        cache_control = response.get("Cache-Control", "")
        if any(directive in cache_control for directive in PRIVATE_DIRECTIVES):
            return 0
        limits = [self.seconds]
        max_age = get_max_age(response)
        if max_age is not None:
            limits.append(max_age)
        next_change = self.next_change()
        if next_change is not None:
            limits.append(int((next_change - timezone.now()).total_seconds()))
        return max(min(limits), 0)


def _freeze(response) -> tuple:
    if hasattr(response, "render") and not response.is_rendered:
        response.render()
    return response.status_code, list(response.items()), response.content


def _rebuild(stored) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    response[HEADER] = "hit"
    return response
