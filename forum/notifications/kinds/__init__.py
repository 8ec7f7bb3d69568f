"""One class per kind of notification: its payload, typed, and its text in the active language.

A producer builds one (``StatusChanged(code=…, to_status=…)``) and hands it to
``services.notification_create_many``, which stores ``to_payload()`` in ``Notification.payload``.
The JSON keys are the ones rows have carried since the first release, so ``from_payload`` reads
the rows already in the database as well as new ones; it never fails on a row (a missing or
mistyped key reads as empty). ``render.render_notification`` finds the class by
``Notification.kind`` in :data:`KINDS`; a kind it does not know renders a generic text
(:class:`UnknownNotice`). How to add a kind: docs/notifications.md.

A package by area (``base.py``: what every kind shares; ``ideas.py``, ``moderation.py``,
``threads.py``, ``dialogues.py``, ``convocation.py``); every public name is re-exported here, so
``from forum.notifications.kinds import Merged`` and ``kinds.KINDS`` read as before.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import Draft, Notice, Payload, RenderContext, UnknownNotice
from .convocation import ContactConsent, Invitation
from .dialogues import DialoguePhase, DialogueResults, DialogueSurvey, dialogue_url
from .ideas import Merged, StatusChanged, Unmerged
from .moderation import Hidden, Restored
from .threads import ThreadPost, ThreadReply

__all__ = [
    "KINDS",
    "ContactConsent",
    "DialoguePhase",
    "DialogueResults",
    "DialogueSurvey",
    "Draft",
    "Hidden",
    "Invitation",
    "Merged",
    "Notice",
    "Payload",
    "RenderContext",
    "Restored",
    "StatusChanged",
    "ThreadPost",
    "ThreadReply",
    "UnknownNotice",
    "Unmerged",
    "dialogue_url",
    "notice_of",
]


KINDS: dict[str, type[Notice]] = {
    cls.kind: cls
    for cls in (
        StatusChanged,
        Merged,
        Unmerged,
        Hidden,
        Restored,
        ThreadPost,
        ThreadReply,
        Invitation,
        ContactConsent,
        DialoguePhase,
        DialogueSurvey,
        DialogueResults,
    )
}


def notice_of(kind: str, payload: Any, *, label: str = "") -> Notice:
    """The typed notice of a stored row; :class:`UnknownNotice` for a kind not in :data:`KINDS`
    (``label``: what to call it)."""
    data = payload if isinstance(payload, Mapping) else {}
    cls = KINDS.get(kind)
    if cls is None:
        return UnknownNotice(label=label or kind, payload=dict(data))
    return cls.from_payload(data)
