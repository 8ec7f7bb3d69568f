"""A thread's live events survive the channel layer's trip; only post events are built."""

from __future__ import annotations

import json

import pytest

from forum.threads import events


@pytest.mark.parametrize("event_type", events.POST_EVENTS)
def test_each_post_event_round_trips_through_json(event_type):
    event = events.post_event(event_type, thread_id=3, post_id=12)
    assert event == {"type": event_type, "thread_id": 3, "post_id": 12}
    assert json.loads(json.dumps(event)) == event


def test_an_unknown_event_type_is_refused():
    with pytest.raises(ValueError, match="not a post event"):
        events.post_event("post.liked", thread_id=3, post_id=12)
