"""Real-time events of the participation app: its group and the events it publishes there.

Events carry ids and small fields only (the moderators' page asks for the rest); every event
this app publishes is built here. The other events of the moderators' group:
``forum/moderation/events.py``.
"""

from __future__ import annotations

from typing import Any

# The moderators' queue (moderation.consumers) listens here; participation publishes the ideas
# that arrive and the statuses that change, moderation its merges and content decisions.
MODERATION_GROUP = "moderation.queue"

IDEA_CREATED = "idea.created"
IDEA_STATUS_CHANGED = "idea.status_changed"


def idea_created(*, idea_id: int) -> dict[str, Any]:
    """An idea arrived (``idea_submit``)."""
    return {"type": IDEA_CREATED, "idea_id": idea_id}


def idea_status_changed(*, idea_id: int, status: str) -> dict[str, Any]:
    """An idea's status changed (``idea_transition``); ``status`` is the new one."""
    return {"type": IDEA_STATUS_CHANGED, "idea_id": idea_id, "status": str(status)}
