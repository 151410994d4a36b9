"""How often one person or organisation may do something that costs the platform or could be abused: send
invitations, upload files. Counted in the shared cache over a sliding window, so the count is the same on every
web process; if the cache is unreachable (see ``config.cache``) nothing is counted and nobody is refused.
"""

import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache


@dataclass(frozen=True)
class Limit:
    """At most ``count`` uses per ``seconds`` for each key (an account's or an organisation's id)."""

    name: str
    count: int
    seconds: int

    def _cache_key(self, key: str) -> str:
        return f"ratelimit:{self.name}:{key}"

    def consume(self, key: str) -> datetime | None:
        """Count one use now and return None, or, when the limit is reached, count nothing and return when the
        oldest use in the window expires (the moment another is allowed)."""
        now = time.time()
        cache_key = self._cache_key(key)
        uses = [moment for moment in cache.get(cache_key, []) if moment > now - self.seconds]
        if len(uses) >= self.count:
            return datetime.fromtimestamp(min(uses) + self.seconds, tz=UTC)
        cache.set(cache_key, [*uses, now], self.seconds)
        return None
