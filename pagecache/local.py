"""A small per-process copy of the pages a process has served, in front of Redis.

A Redis hit is one network round trip, and at thousands of requests a second that round trip is most of what a
hit costs. Each process keeps up to ``PAGE_CACHE_LOCAL_ENTRIES`` pages, each no longer than Redis keeps it
(so never past a deadline), and reads the current generation from Redis at most every
``PAGE_CACHE_LOCAL_SECONDS``: a purge reaches every process within that interval.
"""

import threading
import time
from collections import OrderedDict

from .keys import GENERATION_KEY, page_cache


class LocalPages:
    def __init__(self, *, entries: int, recheck_seconds: float):
        self.entries = entries
        self.recheck_seconds = recheck_seconds
        self.pages: OrderedDict[str, tuple[float, tuple]] = OrderedDict()
        self.generation = None
        self.checked_at = float("-inf")
        self.lock = threading.Lock()

    def get(self, key: str):
        self._follow_generation()
        with self.lock:
            found = self.pages.get(key)
            if found is None:
                return None
            expires_at, parts = found
            if expires_at <= time.time():
                del self.pages[key]
                return None
            self.pages.move_to_end(key)
            return parts

    def put(self, key: str, parts: tuple, *, expires_at: float, generation) -> None:
        with self.lock:
            if generation is None or (self.generation is not None and generation < self.generation):
                return
            if generation != self.generation:
                self.pages.clear()
                self.generation = generation
            self.pages[key] = (expires_at, parts)
            self.pages.move_to_end(key)
            while len(self.pages) > self.entries:
                self.pages.popitem(last=False)

    def _follow_generation(self) -> None:
        now = time.monotonic()
        if now - self.checked_at < self.recheck_seconds:
            return
        self.checked_at = now
        generation = page_cache().get(GENERATION_KEY)
        with self.lock:
            if generation != self.generation:
                self.pages.clear()
                self.generation = generation
