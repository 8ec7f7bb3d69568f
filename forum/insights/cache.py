"""Cached aggregates, dropped by the services that change them (not by time alone).

One version number in the cache names every aggregate's key; the handlers registered in
``apps.InsightsConfig.ready`` on participation's registries bump it after the commit of any
write that changes a public figure (an idea, a support, a status change, a hide, a person). The
day is part of the key too, since "overdue now" moves at midnight with no write at all. A long
timeout only frees memory; freshness comes from the version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "insights:version"
TIMEOUT = 24 * 3600
T = TypeVar("T")


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
    key = f"insights:{version()}:{timezone.localdate().isoformat()}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
