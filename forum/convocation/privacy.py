"""Convocation's part of a person's export and erasure (:mod:`forum.participation.privacy`): the
organisations they are the contact of, and the invitations they received. Erasure removes both,
so an erased person is never invited again (the organisation's seat stays on the list)."""

from __future__ import annotations

from typing import Any

from forum.participation import privacy
from forum.participation.models import Person

from .models import Contact, Delegation, Invitation


def export(person: Person) -> dict[str, Any]:
    return {
        "convocatorias": {
            "contacto_de": [
                {"organizacion": c.organisation.name, "cargo": c.role}
                for c in Contact.objects.filter(person=person).select_related("organisation")
            ],
            "invitaciones": [
                {
                    "organizacion": i.seat.organisation.name,
                    "fecha": i.seat.proposal.date.isoformat(),
                    "respuesta": i.answer,
                    "asistio": i.attended_at.isoformat() if i.attended_at else None,
                }
                for i in Invitation.objects.filter(person=person).select_related(
                    "seat__organisation", "seat__proposal"
                )
            ],
        }
    }


def contact_erase_all(*, person: Person) -> None:
    """Runs inside the erasure's transaction. A delegation that named them keeps no trace of
    their name or contact."""
    Delegation.objects.filter(contact__person=person).update(name="", email="", phone="")
    Contact.objects.filter(person=person).delete()
    Invitation.objects.filter(person=person).delete()


def register() -> None:
    privacy.register(
        "convocation", sections=("convocatorias",), export=export, erase=contact_erase_all
    )
