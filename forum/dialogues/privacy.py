"""Dialogues' part of a person's export and erasure (:mod:`forum.participation.privacy`): the
tables they were seated at, their check-ins, dot votes, closing words and survey answers.

Erasure deletes the seats (a name on a table sheet) and keeps the counted rows without the
person: a dialogue's attendance, votes, word cloud and rating stay what they were, with nobody
behind them; a survey comment, free text, is deleted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forum.participation import privacy
from forum.participation.models import Person

from . import services
from .models import CheckIn, ClosingWord, PhaseChange, Seat, SurveyAnswer, Vote

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def export(person: Person) -> dict[str, Any]:
    return {
        "dialogos": {
            "mesas": [
                {"dialogo": s.dialogue.slug, "mesa": s.table.number}
                for s in Seat.objects.filter(person=person)
                .select_related("dialogue", "table")
                .order_by("id")
            ],
            "asistencias": [
                {"dialogo": c.dialogue.slug, "como": c.method, "fecha": c.created_at.isoformat()}
                for c in CheckIn.objects.filter(person=person)
                .select_related("dialogue")
                .order_by("id")
            ],
            "votos": [
                {"dialogo": v.dialogue.slug, "idea": v.idea.tracking_code}
                for v in Vote.objects.filter(person=person)
                .select_related("dialogue", "idea")
                .order_by("id")
            ],
            "palabras": [
                {"dialogo": w.dialogue.slug, "palabra": w.word}
                for w in ClosingWord.objects.filter(person=person)
                .select_related("dialogue")
                .order_by("id")
            ],
            "encuestas": [
                {"dialogo": a.dialogue.slug, "evaluacion": a.rating, "comentario": a.comment}
                for a in SurveyAnswer.objects.filter(person=person)
                .select_related("dialogue")
                .order_by("id")
            ],
        }
    }


def keeps_account(user: User) -> bool:
    """The dialogue's phase history names who moved it."""
    return PhaseChange.objects.filter(actor=user).exists()


def register() -> None:
    privacy.register(
        "dialogues",
        sections=("dialogos",),
        export=export,
        erase=services.person_erase_dialogues,
        keeps_account=keeps_account,
    )
