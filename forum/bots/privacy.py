"""The bots' part of a person's export and erasure (:mod:`forum.participation.privacy`): their
conversations, with the chat history and any idea being written."""

from __future__ import annotations

from typing import Any

from forum.participation import privacy
from forum.participation.models import Person

from . import services, states
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


def register() -> None:
    privacy.register(
        "bots",
        sections=("conversaciones",),
        export=export,
        erase=services.conversation_forget_person,
    )
