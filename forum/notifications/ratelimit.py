"""Send-rate limits per channel and per address, as a channel spec declares them.

Pure Python (no Django): a clock is injected so tests need no sleeps. Limits hold per worker
process; with several workers, give each a share of the platform's limit (docs/notifications.md).
"""

from __future__ import annotations

import time
from collections.abc import Callable


class RateLimiter:
    """Token buckets keyed by channel (``rate_per_second``) and by (channel, address)
    (``per_address_interval``).

    The overall bucket holds ``burst`` tokens (1 by default: sends are spaced evenly, so no
    one-second window ever holds more than ``rate`` sends). A channel can also be paused, e.g.
    after a 429 flood-control answer, so nothing goes out on it before the pause ends.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, burst: float = 1.0) -> None:
        self._clock = clock
        self._burst = burst
        self._tokens: dict[str, float] = {}
        self._updated: dict[str, float] = {}
        self._paused_until: dict[str, float] = {}
        self._next_address: dict[tuple[str, str], float] = {}

    # ------------------------------------------------------------ queries

    def channel_wait(self, channel: str, rate: float | None) -> float:
        """Seconds until one more send on ``channel`` is allowed (0 = now)."""
        now = self._clock()
        wait = max(0.0, self._paused_until.get(channel, 0.0) - now)
        if rate:
            tokens = self._refill(channel, rate, now)
            if tokens < 1.0:
                wait = max(wait, (1.0 - tokens) / rate)
        return wait

    def address_wait(self, channel: str, address: str, interval: float | None) -> float:
        """Seconds until ``address`` may receive again on ``channel``."""
        if not interval:
            return 0.0
        return max(0.0, self._next_address.get((channel, address), 0.0) - self._clock())

    # ------------------------------------------------------------ updates

    def consume(
        self, channel: str, address: str, *, rate: float | None, interval: float | None
    ) -> None:
        """Record one send (call right before sending)."""
        now = self._clock()
        if rate:
            self._tokens[channel] = self._refill(channel, rate, now) - 1.0
        if interval:
            self._next_address[(channel, address)] = now + interval
            if len(self._next_address) > 10_000:
                self._prune(now)

    def finished(self, channel: str, address: str, *, interval: float | None) -> None:
        """Record that a send to ``address`` completed: the platform may have counted it at any
        moment between start and completion, so the next one waits a full interval from now."""
        if interval:
            key = (channel, address)
            self._next_address[key] = max(
                self._next_address.get(key, 0.0), self._clock() + interval
            )

    def pause(self, channel: str, seconds: float) -> None:
        """Nothing on ``channel`` for ``seconds`` (the platform asked us to slow down)."""
        until = self._clock() + max(0.0, seconds)
        self._paused_until[channel] = max(self._paused_until.get(channel, 0.0), until)

    # ------------------------------------------------------------ internals

    def _refill(self, channel: str, rate: float, now: float) -> float:
        tokens = self._tokens.get(channel, self._burst)
        last = self._updated.get(channel, now)
        tokens = min(self._burst, tokens + (now - last) * rate)
        self._tokens[channel] = tokens
        self._updated[channel] = now
        return tokens

    def _prune(self, now: float) -> None:
        for key in [k for k, t in self._next_address.items() if t <= now]:
            del self._next_address[key]
