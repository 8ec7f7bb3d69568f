"""Notifications' part of a person's export and erasure (:mod:`forum.participation.privacy`):
their notices, read or not."""

from __future__ import annotations

from typing import Any

from forum.participation import privacy
from forum.participation.models import Person

from . import services
from .models import Notification


def export(person: Person) -> dict[str, Any]:
    return {
        "avisos": [
            {
                "tipo": n.get_kind_display(),
                "idea": n.idea.formatted_code if n.idea else None,
                "fecha": n.created_at.isoformat(),
                "leido": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(person=person).select_related("idea")
        ],
    }


def register() -> None:
    privacy.register(
        "notifications", sections=("avisos",), export=export, erase=services.notification_erase_all
    )
