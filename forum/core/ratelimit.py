"""The one rate limiter. Every limit in the project is "at most so many per so long, per key";
what differs is where the count lives:

- :class:`Limiter`, in this process's memory, for paces checked on every message, where a
  network round trip per message would cost more than the send: the outbox worker (a rate per
  channel, an interval per address), the bot senders' extra chunks, live-thread sockets. It is
  GCRA, the token bucket written as one timestamp per key: ``rate`` events per second on
  average, ``burst`` at once. :class:`SendLimiter` puts it in the words of outgoing messages
  (channel, address, pause).
- :class:`CacheWindow`, in Django's cache (Redis when ``REDIS_URL`` is set), for counts every
  process must share: failed logins, password-reset mails. A key's window starts at its first
  hit and lasts ``seconds``; the time it ends is stored beside the count, so a refusal can say
  how long is left.
- :func:`moving_window_wait`, for counts the database already holds as rows (ideas sent
  through a bot): the arithmetic of a moving window over their times.

Clocks are injectable (``clock``), so tests move time instead of sleeping.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.cache import BaseCache, caches

Clock = Callable[[], float]

# ---------------------------------------------------------------- in process


@dataclass(frozen=True)
class Rate:
    """One event every ``interval`` seconds on average, up to ``burst`` of them at once."""

    interval: float
    burst: float = 1.0

    @property
    def interval_ns(self) -> int:
        return _ns_up(self.interval)

    @property
    def tolerance_ns(self) -> int:
        # How far ahead of "now" a key's schedule may run and still let one more event in.
        return round((self.burst - 1.0) * self.interval_ns)


def _ns_up(seconds: float) -> int:
    """Whole nanoseconds, rounded up (1/30 s is 33,333,334 ns), so that thirty sends spaced by
    it never fit in one second: the schedule is kept in integers, where nothing drifts."""
    return math.ceil(round(seconds * 1e9, 3))


def per_second(rate: float | None, *, burst: float = 1.0) -> Rate | None:
    """``rate`` events per second (None or 0: no limit)."""
    return Rate(1.0 / rate, burst) if rate and rate > 0 else None


def every(seconds: float | None) -> Rate | None:
    """One event per ``seconds`` (None or 0: no limit)."""
    return Rate(seconds) if seconds and seconds > 0 else None


class Limiter:
    """Per-key rates held in this process (thread-safe; no I/O, so usable from async code).

    Each key keeps the time its schedule has reached (GCRA's "theoretical arrival time"): an
    event is allowed when that time is no more than the rate's tolerance ahead of now, and each
    event moves it on by one interval. A key whose time has passed is the same as a new key, so
    such keys are dropped once there are more than ``max_keys``. A key can also be *held*
    (nothing until a given time) whatever its rate: a platform asked us to wait, say.
    """

    def __init__(self, *, clock: Clock = time.monotonic, max_keys: int = 10_000) -> None:
        self._clock = clock
        self._max_keys = max_keys
        # Nanoseconds on ``clock``, as integers (float sums of 1/30 s drift below the limit).
        self._at: dict[Hashable, int] = {}
        self._held: dict[Hashable, int] = {}
        self._lock = threading.Lock()

    def wait(self, key: Hashable, rate: Rate | None) -> float:
        """Seconds until ``key`` may have one more event (0: now). Records nothing."""
        with self._lock:
            return self._wait(key, rate, self._now()) / 1e9

    def take(self, key: Hashable, rate: Rate | None) -> bool:
        """Record one event and return True if allowed now; else record nothing, return False."""
        with self._lock:
            now = self._now()
            if self._wait(key, rate, now) > 0:
                return False
            self._record(key, rate, now)
            self._prune(now)
            return True

    def consume(self, key: Hashable, rate: Rate | None) -> None:
        """Record one event now, allowed or not (the caller waited already, or must go anyway:
        the next events then wait longer)."""
        with self._lock:
            now = self._now()
            self._record(key, rate, now)
            self._prune(now)

    def reserve(self, *limits: tuple[Hashable, Rate | None]) -> float:
        """Book the first moment every one of ``limits`` allows an event, record it there, and
        return the seconds until then: the caller sleeps that long and goes. Two threads
        reserving at once get different moments."""
        with self._lock:
            now = self._now()
            delay = max((self._wait(key, rate, now) for key, rate in limits), default=0)
            for key, rate in limits:
                self._record(key, rate, now + delay)
            self._prune(now)
            return delay / 1e9

    def hold(self, key: Hashable, seconds: float) -> None:
        """Nothing on ``key`` for the next ``seconds`` (a hold already longer stays)."""
        with self._lock:
            now = self._now()
            until = now + _ns_up(max(0.0, seconds))
            self._held[key] = max(self._held.get(key, until), until)
            self._prune(now)

    # ------------------------------------------------------------ internals (lock held)

    def _now(self) -> int:
        return round(self._clock() * 1e9)

    def _wait(self, key: Hashable, rate: Rate | None, now: int) -> int:
        wait = self._held.get(key, now) - now
        if rate is not None:
            wait = max(wait, self._at.get(key, now) - rate.tolerance_ns - now)
        return max(0, wait)

    def _record(self, key: Hashable, rate: Rate | None, at: int) -> None:
        if rate is None:
            return
        self._at[key] = max(self._at.get(key, at), at) + rate.interval_ns

    def _prune(self, now: int) -> None:
        if len(self._at) + len(self._held) <= self._max_keys:
            return
        for table in (self._at, self._held):
            for key in [k for k, t in table.items() if t <= now]:
                del table[key]


class SendLimiter:
    """Platform sending limits on a :class:`Limiter`: at most ``rate`` sends per second on a
    channel (a bucket of ``burst``, 1 by default: sends are spaced evenly, so no one-second
    window holds more than ``rate``), one send per ``interval`` seconds to the same address, and
    pauses of a whole channel (a 429 flood-control answer). A limit of None is no limit.

    Limits hold per process; with several workers, give each a share of the platform's limit
    (docs/notifications.md)."""

    def __init__(
        self, *, clock: Clock = time.monotonic, burst: float = 1.0, max_keys: int = 10_000
    ) -> None:
        self.limiter = Limiter(clock=clock, max_keys=max_keys)
        self.burst = burst

    def _limits(
        self, channel: str, address: str, rate: float | None, interval: float | None
    ) -> list[tuple[Hashable, Rate | None]]:
        return [
            (channel, per_second(rate, burst=self.burst)),
            ((channel, address), every(interval)),
        ]

    def channel_wait(self, channel: str, rate: float | None) -> float:
        """Seconds until one more send on ``channel`` is allowed (0 = now)."""
        return self.limiter.wait(channel, per_second(rate, burst=self.burst))

    def address_wait(self, channel: str, address: str, interval: float | None) -> float:
        """Seconds until ``address`` may receive again on ``channel``."""
        if not interval:
            return 0.0
        return self.limiter.wait((channel, address), every(interval))

    def consume(
        self, channel: str, address: str, *, rate: float | None, interval: float | None
    ) -> None:
        """Record one send (call right before sending)."""
        for key, limit in self._limits(channel, address, rate, interval):
            self.limiter.consume(key, limit)

    def pace(
        self, channel: str, address: str, *, rate: float | None, interval: float | None
    ) -> float:
        """Book the next send to ``address`` on ``channel`` and return the seconds to sleep
        before it (threads sending at once each get a moment of their own)."""
        return self.limiter.reserve(*self._limits(channel, address, rate, interval))

    def finished(self, channel: str, address: str, *, interval: float | None) -> None:
        """Record that a send to ``address`` completed: the platform may have counted it at any
        moment between start and completion, so the next one waits a full interval from now."""
        if interval:
            self.limiter.hold((channel, address), interval)

    def pause(self, channel: str, seconds: float) -> None:
        """Nothing on ``channel`` for ``seconds`` (the platform asked us to slow down)."""
        self.limiter.hold(channel, seconds)


# ---------------------------------------------------------------- shared through the cache


class CacheWindow:
    """Counts per key in a Django cache, each in a window of ``seconds`` that starts at the
    key's first hit: processes sharing the cache (Redis) share the counts.

    Keys are ``<prefix>:<key>``, with the window's end at ``<prefix>:<key>:until``. Counting is
    ``add`` then ``incr``, both atomic in Redis, so two processes counting at once lose nothing.
    """

    def __init__(
        self,
        prefix: str,
        *,
        seconds: int,
        cache: BaseCache | None = None,
        clock: Clock = time.time,
    ) -> None:
        self.prefix = prefix
        self.seconds = seconds
        self.cache = cache if cache is not None else caches["default"]
        self._clock = clock

    def _key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def hit(self, key: str) -> int:
        """Count one for ``key``; returns its count in the current window, this one included."""
        full = self._key(key)
        if self.cache.add(full, 1, self.seconds):
            self._start(full)
            return 1
        try:
            return self.cache.incr(full)
        except ValueError:  # the window ended between add() and incr()
            self.cache.set(full, 1, self.seconds)
            self._start(full)
            return 1

    def _start(self, full: str) -> None:
        self.cache.set(f"{full}:until", self._clock() + self.seconds, self.seconds)

    def wait(self, limits: Mapping[str, int]) -> float:
        """Seconds until every key of ``limits`` (key → most hits allowed in its window; 0 or
        less: no limit) is below its limit again; 0 when all are now. One cache round trip.

        A refusal is never shorter than a second: the cache's expiry counts whole seconds."""
        checked = {self._key(k): limit for k, limit in limits.items() if limit > 0}
        if not checked:
            return 0.0
        values = self.cache.get_many([*checked, *(f"{k}:until" for k in checked)])
        now = self._clock()
        wait = 0.0
        for full, limit in checked.items():
            if int(values.get(full) or 0) >= limit:
                until = values.get(f"{full}:until") or now + self.seconds
                wait = max(wait, until - now, 1.0)
        return wait

    def clear(self, *keys: str) -> None:
        """Forget the counts of ``keys`` (their next hit starts a new window)."""
        fulls = [self._key(k) for k in keys]
        self.cache.delete_many([*fulls, *(f"{k}:until" for k in fulls)])


# ---------------------------------------------------------------- counts kept as rows


def moving_window_wait(
    times: Iterable[float], *, limit: int, seconds: float, now: float
) -> float | None:
    """Seconds until one more event fits in a window of ``seconds`` that ends now and holds at
    most ``limit`` events (0: none at all), given the times of earlier events; None when one
    fits now. The wait ends when the oldest events that must leave the window have left it."""
    recent: Sequence[float] = sorted(t for t in times if t >= now - seconds)
    if len(recent) < limit:
        return None
    if limit <= 0:
        return float(seconds)
    # Under the limit again once all but limit - 1 of them have left the window.
    return max(0.0, recent[len(recent) - limit] + seconds - now)
