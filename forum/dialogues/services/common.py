"""What every dialogue service shares: the refusal, the dialogue's space and its dates."""

from __future__ import annotations

import datetime as dt
import secrets

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.moderation.services import Actor, audit_record
from forum.participation.models import Dialogue

from ..models import (
    SESSION_CODE_LENGTH,
    DialogueSpace,
    PhasePlan,
)

# Session codes avoid letters and digits people confuse when typing from a projector.
SESSION_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SURVEY_SALT = "forum.dialogues.survey"
ROUTED_IN_RESULTS = 10  # ideas named in the results notice (the page lists them all)


class DialogueError(ValidationError):
    """A refused dialogue action; the message says why. Nothing changed."""


# ---------------------------------------------------------------- the space


def _new_session_code() -> str:
    return "".join(secrets.choice(SESSION_CODE_ALPHABET) for _ in range(SESSION_CODE_LENGTH))


def dialogue_space_ensure(*, dialogue: Dialogue) -> DialogueSpace:
    """The dialogue's space, created with a fresh session code the first time."""
    space = DialogueSpace.objects.filter(dialogue=dialogue).first()
    if space is not None:
        return space
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return DialogueSpace.objects.create(
                    dialogue=dialogue, session_code=_new_session_code()
                )
        except IntegrityError:
            space = DialogueSpace.objects.filter(dialogue=dialogue).first()
            if space is not None:
                return space
    raise DialogueError(_("No se pudo generar un código de sesión; inténtalo de nuevo."))


def dialogue_space_update(
    *,
    actor: Actor,
    dialogue: Dialogue,
    starts_at: dt.datetime | None = None,
    ends_at: dt.datetime | None = None,
    address: str = "",
) -> DialogueSpace:
    """Staff set the session's exact time and address."""
    with transaction.atomic():
        space = dialogue_space_ensure(dialogue=dialogue)
        space.starts_at, space.ends_at = starts_at, ends_at
        space.address = clean_plain_text(address).replace("\n", " ")
        full_clean(space)
        space.save()
        audit_record(
            actor=actor,
            action="dialogue_space_update",
            target=dialogue,
            after={"starts_at": str(starts_at or ""), "address": space.address},
        )
    return space


def phase_plan_set(
    *,
    actor: Actor,
    dialogue: Dialogue,
    phase: str,
    starts_on: dt.date | None,
    ends_on: dt.date | None,
) -> PhasePlan:
    """Staff set the planned dates of one phase (the public timeline)."""
    with transaction.atomic():
        plan = PhasePlan.objects.filter(dialogue=dialogue, phase=phase).first() or PhasePlan(
            dialogue=dialogue, phase=phase
        )
        plan.starts_on, plan.ends_on = starts_on, ends_on
        full_clean(plan)
        plan.save()
    return plan
