"""Token buckets for platform limits, with a fake clock (no sleeping, no timing)."""

from __future__ import annotations

import pytest

from forum.notifications.ratelimit import RateLimiter


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def _send_all(limiter, clock, n, rate):
    """Send n messages as fast as the limiter allows; return their times."""
    times = []
    for _ in range(n):
        clock.now += limiter.channel_wait("telegram", rate)
        limiter.consume("telegram", "chat", rate=rate, interval=None)
        times.append(clock.now)
    return times


def test_never_more_than_rate_in_any_second():
    clock = Clock()
    times = _send_all(RateLimiter(clock=clock), clock, 200, rate=30)
    for i, t in enumerate(times):
        in_window = [u for u in times[i:] if u < t + 1.0]
        assert len(in_window) <= 30
    assert times[-1] - times[0] == pytest.approx(199 / 30)


def test_per_address_interval_counts_from_the_end_of_a_send():
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    assert limiter.address_wait("telegram", "42", 1.0) == 0
    limiter.consume("telegram", "42", rate=None, interval=1.0)
    assert limiter.address_wait("telegram", "42", 1.0) == pytest.approx(1.0)
    assert limiter.address_wait("telegram", "43", 1.0) == 0  # other chats are free
    clock.now += 0.7  # the HTTP call took 0.7 s
    limiter.finished("telegram", "42", interval=1.0)
    assert limiter.address_wait("telegram", "42", 1.0) == pytest.approx(1.0)
    clock.now += 1.0
    assert limiter.address_wait("telegram", "42", 1.0) == 0


def test_pause_holds_the_whole_channel():
    clock = Clock()
    limiter = RateLimiter(clock=clock)
    limiter.pause("telegram", 12)
    assert limiter.channel_wait("telegram", None) == pytest.approx(12)
    assert limiter.channel_wait("whatsapp", None) == 0
    clock.now += 12
    assert limiter.channel_wait("telegram", 30) == 0


def test_no_limits_declared_means_no_waiting():
    limiter = RateLimiter(clock=Clock())
    for _ in range(100):
        assert limiter.channel_wait("email", None) == 0
        assert limiter.address_wait("email", "a@b.cl", None) == 0
        limiter.consume("email", "a@b.cl", rate=None, interval=None)
