"""Real-time event shapes of threads.

Group events (channel layer, group ``thread.<id>``) carry ids only; the consumer reads the post
through a selector and sends the client its current, rendered-safe state. See docs/realtime.md.
"""

from __future__ import annotations

from typing import Any

from forum.core.events import publish_on_commit

POST_CREATED = "post.created"
POST_EDITED = "post.edited"
POST_DELETED = "post.deleted"
POST_HIDDEN = "post.hidden"
POST_RESTORED = "post.restored"

POST_EVENTS = (POST_CREATED, POST_EDITED, POST_DELETED, POST_HIDDEN, POST_RESTORED)


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def post_event(event_type: str, *, thread_id: int, post_id: int) -> dict[str, Any]:
    """A post was created, edited, deleted, hidden or restored (``event_type``: POST_EVENTS)."""
    if event_type not in POST_EVENTS:
        raise ValueError(f"not a post event: {event_type!r}")
    return {"type": event_type, "thread_id": thread_id, "post_id": post_id}


def publish_post_event(event_type: str, *, thread_id: int, post_id: int) -> None:
    """Announce a change of post ``post_id`` to everyone with the thread open, after commit."""
    publish_on_commit(
        thread_group(thread_id), post_event(event_type, thread_id=thread_id, post_id=post_id)
    )
