"""The bots' part of a person's export and erasure (:mod:`forum.participation.privacy`): their
conversations, with the chat history and any idea being written."""

from __future__ import annotations

from typing import Any

from forum.participation import privacy
from forum.participation.models import Person

from . import states
from .models import Conversation


def export(person: Person) -> dict[str, Any]:
    return {
        "conversaciones": [
            {
                "canal": c.channel,
                "id": c.external_id,
                "estado": str(states.LABELS.get(c.state, c.state)),
                "ultimo_mensaje": c.last_inbound_at.isoformat() if c.last_inbound_at else None,
                "mensajes_guardados": c.messages.count(),
                # An idea being written (kept during onboarding or the topic question).
                "borrador": (c.data or {}).get("held") or (c.data or {}).get("draft") or None,
            }
            for c in Conversation.objects.filter(person=person)
        ],
    }


def erase(person: Person) -> None:
    """The chat history goes and each conversation starts over: it keeps only the chat id,
    as before consent, so writing again asks for consent from scratch."""
    for conv in Conversation.objects.select_for_update().filter(person=person):
        conv.messages.all().delete()
        conv.person = None
        conv.state = states.NEW
        conv.data = {}
        conv.last_inbound_at = None
        conv.save(update_fields=["person", "state", "data", "last_inbound_at", "updated_at"])


def register() -> None:
    privacy.register("bots", sections=("conversaciones",), export=export, erase=erase)
