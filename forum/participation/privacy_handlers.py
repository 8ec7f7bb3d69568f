"""Participation's part of a person's export and erasure (:mod:`.privacy`): the person, the
account, channel identities, ideas, co-authorships, supports and council memberships; and the
roles and status changes that keep an account from erasing itself."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from . import privacy, services
from .models import Idea, IdeaCoauthor, Membership, Person, StatusChange, Support

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def export(person: Person) -> dict[str, Any]:
    ideas = Idea.objects.filter(author=person).order_by("created_at")
    supports = Support.objects.filter(person=person).select_related("idea").order_by("created_at")
    user = person.user
    return {
        "persona": {
            "nombre": person.display_name,
            "correo": person.email,
            "idioma": person.language,
            "region": person.region.name if person.region is not None else None,
            "organizacion": person.organisation.name if person.organisation else None,
            "categoria_actor": person.get_actor_category_display() or None,
            "avisos_por_correo": person.email_notifications,
            "consentimiento": person.consent_at.isoformat() if person.consent_at else None,
            "creada": person.created_at.isoformat() if person.created_at else None,
        },
        "cuenta": (
            {
                "usuario": user.get_username(),
                "correo": user.email,
                "creada": user.date_joined.isoformat(),
                "ultimo_ingreso": user.last_login.isoformat() if user.last_login else None,
            }
            if user is not None
            else None
        ),
        "identidades": [{"canal": i.channel, "id": i.external_id} for i in person.identities.all()],
        "ideas": [
            {
                "codigo": i.formatted_code,
                "titulo": i.title,
                # The label in the active language (the bot renders in the person's):
                # «Recibida» / «Received», not the internal code.
                "estado": i.get_status_display(),
                "canal": i.channel,
                "recibida": i.created_at.isoformat(),
            }
            for i in ideas
        ],
        "coautorias": [
            {"codigo": c.idea.formatted_code, "titulo": c.idea.title}
            for c in IdeaCoauthor.objects.filter(person=person).select_related("idea")
        ],
        "apoyos": [
            {
                "codigo": s.idea.formatted_code,
                "titulo": s.idea.title,
                "fecha": s.created_at.isoformat(),
            }
            for s in supports
        ],
        "consejos": [
            {
                "consejo": m.council.name,
                "rol": m.get_role_display(),
                "organizacion": m.organisation.name if m.organisation else None,
                "inicio": m.term_start.isoformat(),
                "fin": m.term_end.isoformat() if m.term_end else None,
            }
            for m in Membership.objects.filter(person=person).select_related(
                "council", "organisation"
            )
        ],
    }


def keeps_account(user: User) -> bool:
    """Staff, a role given through groups or permissions, a current council membership, or a
    status change they made."""
    today = timezone.localdate()
    return (
        user.is_staff
        or user.is_superuser
        or user.groups.exists()
        or user.user_permissions.exists()
        or Membership.objects.filter(person__user=user, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .exists()
        or StatusChange.objects.filter(actor=user).exists()
    )


def register() -> None:
    privacy.register(
        "participation",
        sections=("persona", "cuenta", "identidades", "ideas", "coautorias", "apoyos", "consejos"),
        export=export,
        erase=services.person_anonymise,
        keeps_account=keeps_account,
    )
