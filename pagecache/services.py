"""Purging the page cache when what anonymous visitors see has changed."""

import logging

from django.conf import settings
from django.db import transaction

from .keys import new_generation

logger = logging.getLogger(__name__)


def page_cache_purge() -> None:
    """Make every cached page stale at once, after the current transaction commits (so nobody re-caches the
    old content in between). A purge that cannot reach the cache is logged: the pages then expire on their own
    within PAGE_CACHE_SECONDS."""
    if settings.PAGE_CACHE_SECONDS:
        transaction.on_commit(_purge)


def _purge() -> None:
    try:
        new_generation()
    except Exception:
        logger.warning("Could not purge the page cache; cached pages expire on their own.", exc_info=True)
