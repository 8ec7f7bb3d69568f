"""Real-time event shapes on the moderators' group (``moderation.queue``).

Events carry ids only; the page asks the JSON endpoint for anything it wants to show.

- ``{"type": "idea.created", "idea_id": int}`` (published by ``idea_submit``; built by
  ``participation.events.idea_created``)
- ``{"type": "idea.status_changed", "idea_id": int, "status": str}`` (``idea_transition``;
  ``participation.events.idea_status_changed``)
- ``{"type": "idea.merged", "idea_id": int, "canonical_id": int, "merged_ids": [int]}``
- ``{"type": "idea.unmerged", "idea_id": int, "canonical_id": int}``
- ``{"type": "content.hidden" | "content.restored", "target_type": str, "target_id": int}``
- ``{"type": "content.reported", "target_type": str, "target_id": int}``
"""

from __future__ import annotations

from typing import Any

from forum.participation.events import MODERATION_GROUP  # noqa: F401 - this app's group too

FORWARDED_TYPES = frozenset(
    {
        "idea.created",
        "idea.status_changed",
        "idea.merged",
        "idea.unmerged",
        "content.hidden",
        "content.restored",
        "content.reported",
    }
)
# Keys copied from a channel-layer event into the JSON sent to the browser.
FORWARDED_KEYS = (
    "type",
    "idea_id",
    "canonical_id",
    "merged_ids",
    "status",
    "target_type",
    "target_id",
)


def idea_merged(*, canonical_id: int, merged_ids: list[int]) -> dict[str, Any]:
    return {
        "type": "idea.merged",
        "idea_id": canonical_id,
        "canonical_id": canonical_id,
        "merged_ids": list(merged_ids),
    }


def idea_unmerged(*, idea_id: int, canonical_id: int) -> dict[str, Any]:
    return {"type": "idea.unmerged", "idea_id": idea_id, "canonical_id": canonical_id}


def _content(event_type: str, target_type: str, target_id: int) -> dict[str, Any]:
    return {"type": event_type, "target_type": target_type, "target_id": target_id}


def content_hidden(*, target_type: str, target_id: int) -> dict[str, Any]:
    """``target_type``: the model's ``app_label.model`` (``threads.post``, …)."""
    return _content("content.hidden", target_type, target_id)


def content_restored(*, target_type: str, target_id: int) -> dict[str, Any]:
    return _content("content.restored", target_type, target_id)


def content_reported(*, target_type: str, target_id: int) -> dict[str, Any]:
    return _content("content.reported", target_type, target_id)


def to_client(event: dict[str, Any]) -> dict[str, Any]:
    """The JSON a browser receives: only small, known fields."""
    return {k: event[k] for k in FORWARDED_KEYS if k in event}
