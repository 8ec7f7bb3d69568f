"""The one rate limiter (forum/core/ratelimit.py), with a fake clock: no sleeping, no timing."""

from __future__ import annotations

import threading

import pytest
from django.core.cache.backends.locmem import LocMemCache

from forum.core.ratelimit import (
    CacheWindow,
    Limiter,
    Rate,
    SendLimiter,
    every,
    moving_window_wait,
    per_second,
)


class Clock:
    def __init__(self, now: float = 100.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


# ---------------------------------------------------------------- Limiter (in process)


def test_a_burst_is_allowed_then_refused_then_refilled_at_the_rate():
    clock = Clock()
    limiter = Limiter(clock=clock)
    rate = per_second(5, burst=10)
    assert [limiter.take("socket", rate) for _ in range(10)] == [True] * 10
    assert limiter.take("socket", rate) is False
    assert limiter.wait("socket", rate) == pytest.approx(0.2)
    clock.now += 0.2
    assert limiter.take("socket", rate) is True
    assert limiter.take("socket", rate) is False
    clock.now += 2.0  # a whole bucket again, never more
    assert [limiter.take("socket", rate) for _ in range(11)] == [True] * 10 + [False]


def test_a_refused_event_is_not_counted():
    clock = Clock()
    limiter = Limiter(clock=clock)
    rate = every(1.0)
    assert limiter.take("k", rate)
    for _ in range(50):
        assert not limiter.take("k", rate)
    clock.now += 1.0
    assert limiter.take("k", rate)


def test_keys_are_independent():
    clock = Clock()
    limiter = Limiter(clock=clock)
    rate = every(10)
    assert limiter.take("a", rate)
    assert not limiter.take("a", rate)
    assert limiter.take("b", rate)
    assert limiter.wait("c", rate) == 0


def test_no_rate_means_no_limit():
    limiter = Limiter(clock=Clock())
    assert per_second(None) is None
    assert per_second(0) is None
    assert every(0.0) is None
    assert all(limiter.take("k", None) for _ in range(1000))
    assert limiter.wait("k", None) == 0


def test_consume_goes_into_debt_and_later_events_wait_for_it():
    clock = Clock()
    limiter = Limiter(clock=clock)
    rate = per_second(2)
    for _ in range(3):
        limiter.consume("k", rate)
    assert limiter.wait("k", rate) == pytest.approx(1.5)


def test_hold_stops_a_key_for_a_while_whatever_its_rate():
    clock = Clock()
    limiter = Limiter(clock=clock)
    limiter.hold("telegram", 12)
    limiter.hold("telegram", 3)  # a shorter hold does not shorten it
    assert limiter.wait("telegram", None) == pytest.approx(12)
    assert not limiter.take("telegram", per_second(30))
    assert limiter.wait("whatsapp", None) == 0
    clock.now += 12
    assert limiter.take("telegram", per_second(30))


def test_reserve_books_consecutive_moments_on_every_limit_it_names():
    clock = Clock()
    limiter = Limiter(clock=clock)
    overall, per_chat = per_second(10), every(1.0)
    delays = [limiter.reserve(("tg", overall), (("tg", "42"), per_chat)) for _ in range(3)]
    assert delays == pytest.approx([0.0, 1.0, 2.0])  # one per second to chat 42
    # Another chat goes at the overall rate, after the moments already booked.
    assert limiter.reserve(("tg", overall), (("tg", "43"), per_chat)) == pytest.approx(2.1)


def test_threads_reserving_at_once_never_share_a_moment():
    limiter = Limiter(clock=Clock())
    rate = Rate(interval=0.01)
    delays: list[float] = []

    def book() -> None:
        for _ in range(100):
            delays.append(limiter.reserve(("k", rate)))

    threads = [threading.Thread(target=book) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(delays) == pytest.approx([n * 0.01 for n in range(400)])


def test_idle_keys_are_forgotten_without_changing_any_answer():
    clock = Clock()
    limiter = Limiter(clock=clock, max_keys=100)
    rate = every(1.0)
    for n in range(100):
        limiter.take(n, rate)
    clock.now += 0.5
    limiter.take("busy", rate)
    clock.now += 0.6  # the first hundred are free again, "busy" is not
    limiter.take("new", rate)
    assert len(limiter._at) <= 2
    assert limiter.wait("busy", rate) == pytest.approx(0.4)
    assert limiter.take(0, rate)


# ---------------------------------------------------------------- SendLimiter (outbox worker)


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
    times = _send_all(SendLimiter(clock=clock), clock, 200, rate=30)
    for i, t in enumerate(times):
        in_window = [u for u in times[i:] if u < t + 1.0]
        assert len(in_window) <= 30
    assert times[-1] - times[0] == pytest.approx(199 / 30)


def test_per_address_interval_counts_from_the_end_of_a_send():
    clock = Clock()
    limiter = SendLimiter(clock=clock)
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
    limiter = SendLimiter(clock=clock)
    limiter.pause("telegram", 12)
    assert limiter.channel_wait("telegram", None) == pytest.approx(12)
    assert limiter.channel_wait("whatsapp", None) == 0
    clock.now += 12
    assert limiter.channel_wait("telegram", 30) == 0


def test_no_limits_declared_means_no_waiting():
    limiter = SendLimiter(clock=Clock())
    for _ in range(100):
        assert limiter.channel_wait("email", None) == 0
        assert limiter.address_wait("email", "a@b.cl", None) == 0
        limiter.consume("email", "a@b.cl", rate=None, interval=None)


# ---------------------------------------------------------------- CacheWindow (shared)


@pytest.fixture
def cache():
    c = LocMemCache("ratelimit-tests", {})
    yield c
    c.clear()


def test_window_allows_up_to_the_limit_and_reports_the_wait_from_the_first_hit(cache):
    clock = Clock(1_000_000.0)
    window = CacheWindow("t", seconds=900, cache=cache, clock=clock)
    assert window.hit("ana") == 1
    clock.now += 100
    for expected in (2, 3):
        assert window.wait({"ana": 3}) == 0
        assert window.hit("ana") == expected
    # Full: the wait runs from the first hit, not the last.
    assert window.wait({"ana": 3}) == pytest.approx(800)
    clock.now += 799.5
    assert window.wait({"ana": 3}) == 1.0  # never less than a second while refused
    assert window.wait({"ana": 4}) == 0
    assert window.wait({"ana": 0}) == 0  # 0: no limit


def test_window_ends_and_the_count_starts_again(cache):
    clock = Clock(1_000_000.0)
    window = CacheWindow("t", seconds=1, cache=cache, clock=clock)
    window.hit("ana")
    window.hit("ana")
    assert window.wait({"ana": 2}) > 0
    cache.delete("t:ana")  # what the cache's expiry does when the window ends
    assert window.wait({"ana": 2}) == 0
    assert window.hit("ana") == 1


def test_window_keys_are_independent_and_the_longest_wait_is_reported(cache):
    clock = Clock(1_000_000.0)
    window = CacheWindow("t", seconds=600, cache=cache, clock=clock)
    window.hit("user")
    clock.now += 60
    window.hit("addr")
    assert window.wait({"user": 1, "addr": 1}) == pytest.approx(600)
    assert window.wait({"user": 1}) == pytest.approx(540)
    assert window.wait({"other": 1}) == 0
    window.clear("addr")
    assert window.wait({"user": 1, "addr": 1}) == pytest.approx(540)
    assert window.hit("addr") == 1


def test_window_counts_are_shared_by_every_client_of_the_cache(cache):
    clock = Clock(1_000_000.0)
    one = CacheWindow("t", seconds=60, cache=cache, clock=clock)
    two = CacheWindow("t", seconds=60, cache=cache, clock=clock)
    one.hit("ana")
    assert two.hit("ana") == 2
    assert one.wait({"ana": 2}) == pytest.approx(60)
    two.clear("ana")
    assert one.wait({"ana": 2}) == 0


# ---------------------------------------------------------------- moving window over times


def test_moving_window_allows_up_to_the_limit_and_says_when_the_oldest_leaves():
    now = 10_000.0
    assert moving_window_wait([], limit=2, seconds=600, now=now) is None
    assert moving_window_wait([now - 100], limit=2, seconds=600, now=now) is None
    assert moving_window_wait([now - 450, now - 180], limit=2, seconds=600, now=now) == (
        pytest.approx(150)
    )
    # Three in the window, two allowed: the two oldest must leave first.
    three = [now - 120, now - 540, now - 360]
    assert moving_window_wait(three, limit=2, seconds=600, now=now) == pytest.approx(240)
    # Those older than the window do not count.
    assert moving_window_wait([now - 601, now - 10], limit=2, seconds=600, now=now) is None


def test_moving_window_with_limit_zero_refuses_for_a_whole_window():
    assert moving_window_wait([], limit=0, seconds=600, now=0.0) == 600
