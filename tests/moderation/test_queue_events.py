"""The moderators' live events survive the channel layer's trip and reach the browser whole."""

from __future__ import annotations

import json

import pytest

from forum.moderation import events

BUILT = [
    events.idea_merged(canonical_id=3, merged_ids=[4, 5]),
    events.idea_unmerged(idea_id=4, canonical_id=3),
    events.content_hidden(target_type="threads.post", target_id=91),
    events.content_restored(target_type="threads.post", target_id=91),
    events.content_reported(target_type="participation.idea", target_id=4),
]


@pytest.mark.parametrize("event", BUILT, ids=lambda e: e["type"])
def test_each_event_round_trips_through_json(event):
    assert json.loads(json.dumps(event)) == event
    assert event["type"] in events.FORWARDED_TYPES
    assert events.to_client(event) == event  # every field is one the page receives


def test_every_forwarded_type_has_a_constructor():
    built = {e["type"] for e in BUILT} | {"idea.created", "idea.status_changed"}
    assert built == events.FORWARDED_TYPES
