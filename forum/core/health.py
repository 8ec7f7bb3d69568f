"""``GET /salud/`` (alias ``/health/``): can this process serve? For load balancers and operators.

``200`` when, each within ``HEALTH_CHECK_TIMEOUT_SECONDS``, the database answers a trivial query,
Django's cache gives back a short-lived key it was given, and the channel layer (channels-redis)
carries a message from a new channel back to it; the in-memory layer lives inside this process
and is only named. ``503`` otherwise, naming the component and the kind of error; the full error
goes to the log, not into this public answer (it can name hosts and database users).

The answer also carries the outbox's and the bots' backlog: counts and ages, no personal data.
A backlog does not make it ``503``: a stopped worker is not a dead web process, and taking every
web process out of the load balancer would not deliver a single notification. ``late`` names the
backlogs older than ``HEALTH_BACKLOG_MAX_AGE_SECONDS``; with ``?strict=1`` a non-empty ``late``
is a ``503`` too, for a monitor that should page someone when the workers stop (docs/deploy.md).

Blocking checks (database, cache) run in threads of their own and the channel layer in a task,
and one that has not answered at the timeout is abandoned, not awaited: a database or Redis that
stops answering (a dropped network, a pool waiting for a connection) never holds the probe, a
request thread or the process's shutdown. At most two checks of a component wait at once; a
third probe meanwhile reports that component failed ("Busy"), which is the truth.

The probe is served without the browser middleware (``forum.core.asgi``): a load balancer sends
its own idea of the Host (often the backend's address, not in ``ALLOWED_HOSTS``) over plain HTTP
(``SECURE_SSL_REDIRECT`` would answer 301). This view reads nothing from the Host.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from channels.layers import BaseChannelLayer, InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

T = TypeVar("T")

_SLOTS = {"database": threading.BoundedSemaphore(2), "cache": threading.BoundedSemaphore(2)}
_BACKENDS = {
    "RedisCache": "redis",
    "ResilientRedisCache": "redis",
    "LocMemCache": "local-memory",
    "InMemoryChannelLayer": "in-memory",
    "RedisPubSubChannelLayer": "redis",
    "RedisChannelLayer": "redis",
}


class Busy(Exception):
    """Earlier checks of this component are still waiting for an answer."""


# ---------------------------------------------------------------- the checks


# ---------------------------------------------------------------- backlogs, from the apps above

# JSON-ready figures of one backlog at ``now`` (counts and ages in seconds, no personal data).
BacklogFigures = Callable[[dt.datetime], dict[str, Any]]


@dataclass(frozen=True)
class Backlog:
    figures: BacklogFigures
    # Which figure is the age, in seconds, of the oldest item still waiting (None when empty).
    oldest: str


_BACKLOGS: dict[str, Backlog] = {}


def register_backlog(name: str, figures: BacklogFigures, *, oldest: str) -> None:
    """An app with work that waits (the outbox, the bots' inbound updates) adds its figures to
    every probe's answer under ``name``; ``oldest`` names the figure that lists the backlog in
    ``late`` once it passes HEALTH_BACKLOG_MAX_AGE_SECONDS. Called from ``AppConfig.ready``."""
    _BACKLOGS[name] = Backlog(figures, oldest)


def age_seconds(now: dt.datetime, since: dt.datetime | None) -> int | None:
    return None if since is None else max(0, int((now - since).total_seconds()))


def _database() -> dict[str, Any]:
    """A trivial query, then the backlog figures, on this thread's own connection."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        now = timezone.now()
        return {name: backlog.figures(now) for name, backlog in _BACKLOGS.items()}
    finally:
        # A thread of its own: "closing" hands a pooled PostgreSQL connection back to the pool.
        connection.close()


def _cache() -> None:
    # Without the fallback to local memory (core.cache): the probe reports Redis itself.
    direct = getattr(cache, "strict", cache)
    key = f"health:{uuid.uuid4().hex}"
    direct.set(key, key, timeout=30)
    try:
        if direct.get(key) != key:
            raise RuntimeError("the value written was not read back")
    finally:
        direct.delete(key)


async def _channel_layer(layer: BaseChannelLayer) -> None:
    channel = await layer.new_channel(prefix="health.")
    try:
        token = uuid.uuid4().hex
        await layer.send(channel, {"type": "health.ping", "token": token})
        message = await layer.receive(channel)
        if message.get("token") != token:
            raise RuntimeError("a different message came back")
    finally:
        await _let_go(layer, channel)


async def _let_go(layer: BaseChannelLayer, channel: str) -> None:
    """Channels has no ``delete_channel()``: channels-redis unsubscribes a channel when a
    ``receive()`` on it is cancelled, as when a consumer disconnects. Do that, or every probe
    would leave a subscription behind in Redis and in this process."""
    receiving = asyncio.ensure_future(layer.receive(channel))
    await asyncio.sleep(0)  # let it start waiting on the channel
    receiving.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await receiving


# ---------------------------------------------------------------- running them


def _in_thread(name: str, check: Callable[[], T]) -> asyncio.Future[T]:
    """``check()`` in a daemon thread, as a future of this loop; or a future already failed
    with :class:`Busy` when two earlier ones have not finished."""
    loop = asyncio.get_running_loop()
    future: asyncio.Future[T] = loop.create_future()
    slots = _SLOTS[name]
    if not slots.acquire(blocking=False):
        future.set_exception(Busy("earlier checks have not answered yet"))
        return future

    def settle(result: Any, error: BaseException | None) -> None:
        if future.done():  # abandoned at the timeout
            return
        if error is None:
            future.set_result(result)
        else:
            future.set_exception(error)

    def run() -> None:
        try:
            outcome: tuple[Any, BaseException | None] = (check(), None)
        except Exception as error:
            outcome = (None, error)
        finally:
            slots.release()
        with contextlib.suppress(RuntimeError):  # the loop is closed: nobody waits any more
            loop.call_soon_threadsafe(settle, *outcome)

    threading.Thread(target=run, name=f"health-{name}", daemon=True).start()
    return future


def _retrieve(task: asyncio.Future[Any]) -> None:
    if not task.cancelled():
        task.exception()  # retrieved: asyncio does not log an abandoned check's error


async def _timed(
    name: str, awaitable: Awaitable[T], limit: float
) -> tuple[dict[str, Any], T | None]:
    """Wait for one check at most ``limit`` seconds: its report, and its result if it had one.
    Not ``asyncio.timeout()``: that would wait for the cancelled check to finish."""
    started = time.monotonic()
    task = asyncio.ensure_future(awaitable)
    done, _pending = await asyncio.wait({task}, timeout=limit)
    report: dict[str, Any] = {"ok": False, "ms": round((time.monotonic() - started) * 1000, 1)}
    if not done:
        task.cancel()
        task.add_done_callback(_retrieve)
        report["error"] = f"timeout ({limit:g} s)"
        logger.warning("health: %s did not answer within %g s", name, limit)
        return report, None
    error = task.exception()
    if error is not None:
        report["error"] = type(error).__name__
        logger.warning("health: %s failed: %s: %s", name, type(error).__name__, error)
        return report, None
    report["ok"] = True
    return report, task.result()


def _backend(dotted_or_class: str) -> str:
    name = dotted_or_class.rsplit(".", 1)[-1]
    return _BACKENDS.get(name, name)


async def report(*, strict: bool = False) -> tuple[int, dict[str, Any]]:
    """The HTTP status and the JSON body of one probe."""
    timeout = settings.HEALTH_CHECK_TIMEOUT_SECONDS
    max_age = settings.HEALTH_BACKLOG_MAX_AGE_SECONDS
    layer = get_channel_layer()
    backends = {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "cache": _backend(settings.CACHES["default"]["BACKEND"]),
        "channel_layer": _backend(type(layer).__name__),
    }
    jobs: dict[str, Awaitable[Any]] = {
        "database": _in_thread("database", _database),
        "cache": _in_thread("cache", _cache),
    }
    if layer is not None and not isinstance(layer, InMemoryChannelLayer):
        jobs["channel_layer"] = _channel_layer(layer)
    outcomes = dict(
        zip(
            jobs,
            await asyncio.gather(*(_timed(name, job, timeout) for name, job in jobs.items())),
            strict=True,
        )
    )
    checks: dict[str, dict[str, Any]] = {
        name: {"backend": backends[name], **outcomes[name][0]} for name in jobs
    }
    if "channel_layer" not in checks:
        # One process's memory: nothing to reach, and nothing shared with the other processes.
        checks["channel_layer"] = {"backend": backends["channel_layer"], "ok": layer is not None}
    figures = outcomes["database"][1] or {}
    backlogs = {name: figures.get(name) for name in _BACKLOGS}
    late = [
        name
        for name, backlog in _BACKLOGS.items()
        if (age := (backlogs[name] or {}).get(backlog.oldest)) is not None and age > max_age
    ]
    failed = [name for name, check in checks.items() if not check["ok"]]
    status = "unavailable" if failed else "late" if strict and late else "ok"
    body = {
        "status": status,
        "failed": failed,
        "checks": checks,
        **backlogs,
        "late": late,
        "late_after_seconds": max_age,
    }
    return (200 if status == "ok" else 503), body


@login_not_required
@require_safe
@never_cache
async def health(request: HttpRequest) -> JsonResponse:
    status, body = await report(strict=request.GET.get("strict", "") in {"1", "true", "yes"})
    response = JsonResponse(body, status=status)
    # The browser middleware (SecurityMiddleware) is skipped on this path.
    response["X-Content-Type-Options"] = "nosniff"
    return response
