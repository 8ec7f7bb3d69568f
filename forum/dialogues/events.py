"""Real-time event shapes of a dialogue's live session (the projector page).

Group ``dialogue.<id>``; events carry the dialogue id only. The projector consumer coalesces
them (a room voting sends dozens a second) and reads the current ranking and words once per
change for all the projectors of the dialogue through
``selectors.live.session_snapshot``.
"""

from __future__ import annotations

from typing import Any

from forum.core.events import publish_on_commit

SESSION_CHANGED = "session.changed"


def dialogue_group(dialogue_id: int) -> str:
    return f"dialogue.{dialogue_id}"


def session_changed(*, dialogue_id: int) -> dict[str, Any]:
    """Something the projector shows changed: a check-in, a vote, a word, a table's idea."""
    return {"type": SESSION_CHANGED, "dialogue_id": dialogue_id}


def publish_session_changed(*, dialogue_id: int) -> None:
    publish_on_commit(dialogue_group(dialogue_id), session_changed(dialogue_id=dialogue_id))
