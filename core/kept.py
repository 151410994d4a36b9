"""Results that are the same for every visitor, worked out once per process and kept until what they depend on
changes: the navigation, breadcrumbs, routes, a challenge's rendered content, card markup, the listing's order.

What they depend on is the published site: pages, sponsors, themes, view restrictions, sites, announcements.
Every write to those starts a new *generation* (``new_generation``, called by ``pagecache.signals``), a clock
reading stored in the shared cache (Redis in production), so a change made by one process reaches every other:
each request reads the generation once, and a process drops everything it kept when the generation moves on.
A result that also depends on the time (a status, "closes in 3 days") says until when it holds (``until``).

When the shared cache cannot be read, or ``KEPT_RESULTS`` is off, nothing is kept: every result is worked out
afresh, as if uncached.
"""

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.utils import timezone

GENERATION_KEY = "kept:generation"
MAX_ENTRIES = 5000
"""Per process, for all kinds together: the least recently used go first (a challenge's content is a few KB)."""

_UNREAD = object()
_state = threading.local()


class _Kept:
    def __init__(self):
        self.generation = None
        self.entries: OrderedDict[Hashable, tuple[Any, datetime | None, datetime | None]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, generation, key):
        with self.lock:
            if generation != self.generation:
                return None
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, generation, key, entry) -> None:
        with self.lock:
            if self.generation != generation:
                # Generations are only ever compared for equality (clocks of different hosts may disagree): a slow
                # request storing under an older one empties the store, and the next request starts it again.
                self.entries.clear()
                self.generation = generation
            self.entries[key] = entry
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()
            self.generation = None


_kept = _Kept()


def _read_generation():
    try:
        generation = cache.get(GENERATION_KEY)
        if generation is None:
            # add() so that processes starting at once agree on one generation; a clock reading, so a key lost to
            # eviction or a restart never brings back an older generation.
            cache.add(GENERATION_KEY, time.time_ns(), timeout=None)
            generation = cache.get(GENERATION_KEY)
    except Exception:
        return None
    return generation


def enabled() -> bool:
    return settings.KEPT_RESULTS


def current_generation():
    """The generation, read once per request (every time outside a request); None when the cache is down or
    nothing is to be kept (``KEPT_RESULTS`` off)."""
    if not settings.KEPT_RESULTS:
        return None
    found = getattr(_state, "generation", None)
    if found is None:
        return _read_generation()
    if found is _UNREAD:
        found = _state.generation = _read_generation()
    return found


def kept(key: Hashable, compute: Callable[[], Any], *, until: Callable[[Any], datetime | None] | None = None):
    """``compute()``, or what it returned before in this generation. ``until(value)`` may give the moment the
    value stops holding (a status changes); it is worked out again from then, or if the clock goes back."""
    generation = current_generation()
    if generation is None:
        return compute()
    now = timezone.now() if until else None
    found = _kept.get(generation, key)
    if found is not None:
        value, computed_at, expires = found
        if now is None or (computed_at <= now and (expires is None or now < expires)):
            return value
    value = compute()
    _kept.put(generation, key, (value, now, until(value) if until else None))
    return value


def kept_many(keys: list[Hashable], compute_missing: Callable[[list[Hashable]], dict]) -> dict:
    """``kept`` for many keys at once: ``compute_missing(keys)`` returns a dict for the keys not kept yet (one
    query for all of them, say); keys it leaves out are missing from the answer."""
    generation = current_generation()
    if generation is None:
        return compute_missing(list(keys))
    found, missing = {}, []
    for key in keys:
        entry = _kept.get(generation, key)
        if entry is None:
            missing.append(key)
        else:
            found[key] = entry[0]
    if missing:
        computed = compute_missing(missing)
        for key, value in computed.items():
            _kept.put(generation, key, (value, None, None))
        found.update(computed)
    return found


def new_generation() -> None:
    """Everything kept is stale: now (so this process and tests see it at once) and again once the current
    transaction commits (so no process keeps what it read before the change was visible)."""
    _bump()
    transaction.on_commit(_bump)


def forget() -> None:
    """Drop what this process keeps and start a new generation (tests: data rolled back makes no signal)."""
    _kept.clear()
    _bump()


def _bump() -> None:
    # Nothing was kept while the cache was down either, and a restarted cache starts a new generation.
    with contextlib.suppress(Exception):
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)
    if getattr(_state, "generation", None) is not None:
        _state.generation = _UNREAD


def _request_started(**kwargs) -> None:
    _state.generation = _UNREAD


def _request_finished(**kwargs) -> None:
    _state.generation = None


request_started.connect(_request_started, dispatch_uid="core.kept.request_started")
request_finished.connect(_request_finished, dispatch_uid="core.kept.request_finished")
