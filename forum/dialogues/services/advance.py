"""The phase machine: ``dialogue_advance`` and the checks of each step (``phases.py``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.moderation.services import Actor, audit_record
from forum.moderation.services.common import user_of
from forum.notifications import kinds
from forum.notifications.services import notification_create_many
from forum.participation.models import Dialogue, Idea

from .. import phases, selectors
from ..models import (
    CheckIn,
    DialogueSpace,
    GuidingQuestion,
    PhaseChange,
)
from .common import DialogueError, dialogue_space_ensure

# ---------------------------------------------------------------- the phase machine


def advance_refusal(dialogue: Dialogue, to_phase: str) -> str | None:
    """Why ``dialogue`` may not move to ``to_phase`` now (None: it may)."""
    if not phases.is_allowed(dialogue.phase, to_phase):
        return _("Un diálogo en «%(from)s» no puede pasar a «%(to)s».") % {
            "from": Dialogue.Phase(dialogue.phase).label,
            "to": Dialogue.Phase(to_phase).label if to_phase in phases.ORDER else to_phase,
        }
    space = DialogueSpace.objects.filter(dialogue=dialogue).first()
    if to_phase == phases.PLANNING:
        if not (
            dialogue.topics.exists() or GuidingQuestion.objects.filter(dialogue=dialogue).exists()
        ):
            return _("Antes de planificar, fija los temas o las preguntas orientadoras.")
    elif to_phase == phases.REALISATION:
        if space is None or space.agenda_published_at is None:
            return _("Antes de la sesión, publica la agenda.")
        if space.tables_published_at is None:
            return _("Antes de la sesión, arma y publica las mesas.")
    elif to_phase == phases.CELEBRATION:
        if not CheckIn.objects.filter(dialogue=dialogue).exists():
            return _("No hay asistencia registrada: no hay resultados que celebrar.")
        if not Idea.objects.filter(dialogue=dialogue).exists():
            return _("El diálogo no tiene ideas: no hay resultados que celebrar.")
    return None


def dialogue_advance(
    *, dialogue: Dialogue, actor: Actor, to_phase: str | None = None, note: str = ""
) -> PhaseChange:
    """Move the dialogue to its next phase (``phases.ALLOWED``) after the checks of
    :func:`advance_refusal`. Records a :class:`PhaseChange`, an audit row, and a notice in the
    outbox for everyone concerned (``selectors.dialogue_concerned``). Raises DialogueError."""
    with transaction.atomic():
        # Lock the row: two staff pressing «next phase» at once move it once.
        locked = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
        target = to_phase or phases.next_phase(locked.phase) or ""
        refusal = advance_refusal(locked, target)
        if refusal:
            raise DialogueError(refusal, code="illegal_phase")
        from_phase = locked.phase
        # The phase field is participation's record; its one writer is this machine.
        Dialogue.objects.filter(pk=locked.pk).update(phase=target)
        dialogue.phase = target
        dialogue_space_ensure(dialogue=dialogue)
        change = PhaseChange(
            dialogue=dialogue,
            from_phase=from_phase,
            to_phase=target,
            actor=user_of(actor),
            note=clean_plain_text(note)[:300],
        )
        full_clean(change)
        change.save()
        audit_record(
            actor=actor,
            action="dialogue_advance",
            target=dialogue,
            before={"phase": from_phase},
            after={"phase": target},
            reason=note,
        )
        notification_create_many(
            people=selectors.dialogue_concerned(dialogue),
            notice=kinds.DialoguePhase(slug=dialogue.slug, title=dialogue.title, phase=target),
        )
    return change
