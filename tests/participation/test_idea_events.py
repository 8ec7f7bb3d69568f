"""The participation app's live events survive the channel layer's trip (JSON-shaped dicts)."""

from __future__ import annotations

import json

from forum.participation import events
from forum.participation.lifecycle import IdeaStatus


def test_each_event_round_trips_through_json():
    built = [
        events.idea_created(idea_id=7),
        events.idea_status_changed(idea_id=7, status=IdeaStatus.ROUTED),
    ]
    assert built == [
        {"type": "idea.created", "idea_id": 7},
        {"type": "idea.status_changed", "idea_id": 7, "status": "routed"},
    ]
    for event in built:
        assert json.loads(json.dumps(event)) == event
    assert type(built[1]["status"]) is str  # the plain value, not the enum
