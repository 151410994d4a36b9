"""Redis as a cache that an outage degrades instead of breaking.

Django's Redis backend raises when Redis is unreachable, and Wagtail reads its site root paths from the cache
on every page, so a stopped Redis would turn the whole site into error pages. Here every cache operation that
cannot reach Redis is logged and answered as a miss (reads) or dropped (writes): pages render from the
database, uncached; sign-in rate limits are not counted until Redis is back. Short socket timeouts keep a
hung Redis from holding requests.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionError, TimeoutError)
WARN_EVERY_SECONDS = 30


def _degrade(answer_when_down):
    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE as error:
                self._warn_unreachable(method.__name__, error)
                return answer_when_down(*args, **kwargs) if callable(answer_when_down) else answer_when_down

        return wrapper

    return decorate


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {
            **params,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1, **params.get("OPTIONS", {})},
        }
        super().__init__(server, params)
        self._last_warning = 0.0

    def _warn_unreachable(self, operation: str, error: Exception) -> None:
        now = time.monotonic()
        if now - self._last_warning >= WARN_EVERY_SECONDS:
            self._last_warning = now
            logger.warning("Redis cache unreachable (%s: %s): carrying on without the cache.", operation, error)

    get = _degrade(_default)(RedisCache.get)
    get_many = _degrade({})(RedisCache.get_many)
    has_key = _degrade(False)(RedisCache.has_key)
    add = _degrade(False)(RedisCache.add)
    set = _degrade(None)(RedisCache.set)
    set_many = _degrade(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    touch = _degrade(False)(RedisCache.touch)
    delete = _degrade(False)(RedisCache.delete)
    delete_many = _degrade(None)(RedisCache.delete_many)
    clear = _degrade(False)(RedisCache.clear)
