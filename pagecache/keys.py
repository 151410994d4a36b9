"""Cache keys for whole pages, and the generation that makes a purge one write.

Each stored page carries the generation that was current when it was stored; a purge starts a new generation,
and a page from an older one counts as a miss. The page and the current generation are read in one round trip
(``get_many``). Generations are clock readings, so a generation key lost to eviction or a restart comes back
as a new reading, never as an old generation whose pages might still be stored.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import caches

GENERATION_KEY = "pagecache:generation"


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def page_key(request) -> str:
    url = request.build_absolute_uri()
    return "pagecache:page:" + hashlib.sha256(url.encode("utf-8", "surrogateescape")).hexdigest()


def cached_page(key: str):
    """Return (the stored response parts or None, the current generation, when the stored page expires)."""
    cache = page_cache()
    found = cache.get_many([key, GENERATION_KEY])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # add() so that processes starting at once agree on one generation.
        cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
        return None, cache.get(GENERATION_KEY), None
    stored = found.get(key)
    if stored is None or stored[0] != generation:
        return None, generation, None
    return stored[2], generation, stored[1]


def store_page(key: str, generation: int, parts: tuple, seconds: int) -> float:
    """Store the page for ``seconds``; return the moment it expires."""
    expires_at = time.time() + seconds
    page_cache().set(key, (generation, expires_at, parts), seconds)
    return expires_at


def new_generation() -> None:
    page_cache().set(GENERATION_KEY, time.time_ns(), timeout=None)
