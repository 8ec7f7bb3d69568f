"""Cached aggregates, dropped by the services that change them (not by time alone).

One version number in the cache names every aggregate's key; the handlers registered in
``apps.InsightsConfig.ready`` on participation's registries bump it after the commit of any
write that changes a public figure (an idea, a support, a status change, a hide, a person). The
day is part of the key too, since "overdue now" moves at midnight with no write at all. A long
timeout only frees memory; freshness comes from the version (see ``cached`` for how a burst of
writes is absorbed).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.connection import ConnectionProxy

VERSION_KEY = "insights:version"
TIMEOUT = 24 * 3600
LOCK_SECONDS = 300  # a computation that dies leaves the lock for at most this long
T = TypeVar("T")
# settings.CACHES["insights"]: its own store, so other pages' entries never push these out.
cache: Any = ConnectionProxy(caches, "insights")


def version() -> int:
    value = cache.get(VERSION_KEY)
    if value is None:
        # A fresh cache (or an evicted key): start a new series rather than reuse old entries.
        value = int(timezone.now().timestamp() * 1000)
        cache.add(VERSION_KEY, value, None)
        value = cache.get(VERSION_KEY, value)
    return int(value)


def bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there yet: any new value invalidates
        version()


def bump_on_commit(*_args: Any) -> None:
    """A registry handler: drop the aggregates once the change is committed (a rolled-back
    change leaves them as they are)."""
    transaction.on_commit(bump)


def cached(name: str, compute: Callable[[], T]) -> T:
    """The aggregate ``name`` as of the current data version, computed at most once at a time.

    When the version has moved on (a write was committed), the first request recomputes while
    every other one gets the previous value instead of piling up on the same computation (at
    100,000 ideas the overall word cloud takes seconds). Under a steady stream of writes, a value
    younger than ``INSIGHTS_MIN_REFRESH_SECONDS`` (default 30) is served as it is, so the pages
    are never recomputed more than about twice a minute; once writes pause, the next request
    brings the exact figures."""
    today = timezone.localdate().isoformat()
    key = f"insights:{version()}:{today}:{name}"
    value = cache.get(key)
    if value is not None:
        return value
    last_key, lock_key = f"insights:last:{today}:{name}", f"insights:lock:{name}"
    last = cache.get(last_key)
    if last is not None:
        computed_at, previous = last
        fresh = time.time() - computed_at < settings.INSIGHTS_MIN_REFRESH_SECONDS
        if fresh or not cache.add(lock_key, 1, LOCK_SECONDS):
            return previous
    try:
        value = compute()
    finally:
        if last is not None:
            cache.delete(lock_key)
    cache.set(key, value, TIMEOUT)
    cache.set(last_key, (time.time(), value), TIMEOUT)
    return value
