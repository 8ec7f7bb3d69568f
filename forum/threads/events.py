"""Real-time event shapes of threads.

Group events (channel layer, group ``thread.<id>``) carry ids only; the consumer reads the post
through a selector and sends the client its current, rendered-safe state. See docs/realtime.md.
"""

from __future__ import annotations

from forum.core.events import publish_on_commit

POST_CREATED = "post.created"
POST_EDITED = "post.edited"
POST_DELETED = "post.deleted"
POST_HIDDEN = "post.hidden"
POST_RESTORED = "post.restored"

POST_EVENTS = (POST_CREATED, POST_EDITED, POST_DELETED, POST_HIDDEN, POST_RESTORED)


def thread_group(thread_id: int) -> str:
    return f"thread.{thread_id}"


def publish_post_event(event_type: str, *, thread_id: int, post_id: int) -> None:
    """Announce a change of post ``post_id`` to everyone with the thread open, after commit."""
    assert event_type in POST_EVENTS, event_type
    publish_on_commit(
        thread_group(thread_id),
        {
            "type": event_type,
            "thread_id": thread_id,
            "post_id": post_id,
        },
    )
