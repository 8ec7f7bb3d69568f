"""The cached aggregates: dropped by a committed write, a burst of writes absorbed."""

from __future__ import annotations

import pytest

from forum.insights import cache

pytestmark = pytest.mark.django_db


def test_a_new_version_is_computed_once_and_then_served(settings):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    assert cache.cached("x", compute) == 1
    assert cache.cached("x", compute) == 1
    cache.bump()
    assert cache.cached("x", compute) == 2
    assert len(calls) == 2


def test_under_a_stream_of_writes_recent_figures_are_served(settings):
    settings.INSIGHTS_MIN_REFRESH_SECONDS = 30
    assert cache.cached("y", lambda: "first") == "first"
    cache.bump()
    # Computed less than 30 s ago: served as it is, not recomputed on every write.
    assert cache.cached("y", lambda: "second") == "first"
    settings.INSIGHTS_MIN_REFRESH_SECONDS = 0
    assert cache.cached("y", lambda: "second") == "second"


def test_while_one_request_recomputes_the_others_get_the_previous_value(settings):
    assert cache.cached("z", lambda: "old") == "old"
    cache.bump()
    cache.cache.add("insights:lock:z", 1, 60)  # another request is computing
    assert cache.cached("z", lambda: "new") == "old"
    cache.cache.delete("insights:lock:z")
    assert cache.cached("z", lambda: "new") == "new"
