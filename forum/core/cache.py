"""Django's Redis cache that degrades instead of failing when Redis is away.

Pages cache figures (``participation.selectors.cached_count``) and the one rate limiter
(``core.ratelimit.CacheWindow``: failed logins, sign-ups) keeps its counts in the cache. With
the stock ``RedisCache`` a stopped Redis turned every such page and the login POST into a 500
(``redis.exceptions.ConnectionError``). Here every call that cannot reach Redis goes to this
process's own memory instead, with a logged warning (at most one per ``WARN_EVERY`` seconds):
cached figures become cache misses, and counters count per process for the outage, which keeps
a limit (looser by the number of processes) rather than none. When Redis answers again the
next call uses it; what was counted in memory meanwhile is not carried over.

``/salud/`` must still tell the truth: :attr:`ResilientRedisCache.strict` is the same cache
without the fallback, and the probe checks that.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

import redis.exceptions
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

WARN_EVERY = 30.0
UNREACHABLE = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    ConnectionError,
    TimeoutError,
)
_METHODS = (
    "add",
    "get",
    "set",
    "touch",
    "delete",
    "get_many",
    "has_key",
    "incr",
    "set_many",
    "delete_many",
    "clear",
)


class _Strict:
    """The Redis cache's own methods, without the fallback (for the health probe)."""

    def __init__(self, cache: ResilientRedisCache) -> None:
        self._cache = cache

    def __getattr__(self, name: str) -> Any:
        method = getattr(RedisCache, name)
        return lambda *args, **kwargs: method(self._cache, *args, **kwargs)


class ResilientRedisCache(RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._fallback = LocMemCache("fallback", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._warned_at = 0.0
        self._lock = threading.Lock()

    @property
    def strict(self) -> _Strict:
        return _Strict(self)

    def _degraded(self, name: str, error: BaseException) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._warned_at < WARN_EVERY:
                return
            self._warned_at = now
        logger.warning(
            "cache: Redis unreachable (%s: %s) in %s; using this process's memory until it "
            "answers again",
            type(error).__name__,
            error,
            name,
        )


def _resilient(name: str):
    method = getattr(RedisCache, name)
    fallback = getattr(LocMemCache, name)

    def call(self: ResilientRedisCache, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as error:
            self._degraded(name, error)
            return fallback(self._fallback, *args, **kwargs)

    call.__name__ = name
    call.__doc__ = method.__doc__
    return call


for _name in _METHODS:
    setattr(ResilientRedisCache, _name, _resilient(_name))
