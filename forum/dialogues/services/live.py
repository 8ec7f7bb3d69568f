"""The session itself (Realización): check-in, the tables' ideas, dot voting and the closing word.

Every write of the live session goes through these services, whichever door it came in by (the
phone pages, the bot, the facilitator's page). Each runs in one transaction and announces the
change to the projector after commit (``events``); the projector reads the new state
through a selector, so the event carries ids only.

Rules (docs/dialogues.md, «La sesión»):

- only during Realización (the dialogue's phase) can people check in, vote or send their word;
- a person checks in once (a second check-in answers with the first one, it is not an error);
- only people who checked in vote; each has the dialogue's ``dot_budget`` dots
  (``DIALOGUE_DEFAULT_DOTS`` when the dialogue sets none), at most one per idea, and only for
  visible ideas of this dialogue that are not merged away;
- the closing word is one per person; sending another replaces it.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from forum.convocation import services as convocation_services
from forum.core.text import clean_plain_text
from forum.participation import handlers
from forum.participation import services as p_services
from forum.participation.models import Channel, Dialogue, Idea, Person

from ..events import publish_session_changed
from ..models import (
    CLOSING_WORD_MAX_LENGTH,
    CheckIn,
    ClosingWord,
    DialogueSpace,
    Seat,
    Table,
    TableIdea,
    Vote,
)
from ..selectors.live import dot_budget, votable_ideas
from .session import normalise_word

Phase = Dialogue.Phase


class SessionError(p_services.ParticipationError):
    """A session action refused, with a message for the person (nothing was stored)."""


def _require_session(dialogue: Dialogue) -> None:
    if dialogue.phase != Phase.REALISATION:
        raise SessionError(
            _("La sesión de «%(title)s» no está en curso.") % {"title": dialogue.title}
        )


def dialogue_by_session_code(code: str) -> Dialogue | None:
    """The dialogue whose session code is ``code`` (case and spaces ignored), or None."""
    code = "".join((code or "").split()).upper()
    if not code or len(code) > 16 or not code.isalnum():
        return None
    space = DialogueSpace.objects.select_related("dialogue").filter(session_code=code).first()
    return space.dialogue if space is not None else None


def checkin_record(
    *, dialogue: Dialogue, person: Person, method: str, channel: str = Channel.WEB
) -> tuple[CheckIn, bool]:
    """Record that ``person`` is at the session. Returns ``(check_in, created)``; checking in
    twice returns the first check-in. The category and organisation counted are those of the
    person's seat if they have one, else those of their profile."""
    _require_session(dialogue)
    if method not in CheckIn.Method.values:
        raise SessionError(_("Forma de registro desconocida."))
    existing = CheckIn.objects.filter(dialogue=dialogue, person=person).first()
    if existing is not None:
        return existing, False
    seat = Seat.objects.filter(dialogue=dialogue, person=person).first()
    organisation_id = seat.organisation_id if seat else person.organisation_id
    category = (seat.actor_category if seat else "") or person.actor_category
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                dialogue=dialogue,
                person=person,
                organisation_id=organisation_id,
                actor_category=category,
                method=method,
                channel=channel,
            )
            # Their invitation (if the convocation invited them) and its seat count as attended.
            convocation_services.invitation_mark_attended(dialogue=dialogue, person=person)
    except IntegrityError:  # the same person checking in from two phones at once
        return CheckIn.objects.get(dialogue=dialogue, person=person), False
    publish_session_changed(dialogue_id=dialogue.pk)
    return checkin, True


def _checked_in(dialogue: Dialogue, person: Person, *, lock: bool = False) -> CheckIn:
    qs = CheckIn.objects.filter(dialogue=dialogue, person=person)
    if lock:
        qs = qs.select_for_update()
    checkin = qs.first()
    if checkin is None:
        raise SessionError(
            _(
                "Primero registra tu asistencia con el código de la sesión "
                "(está en la pantalla de la sala)."
            )
        )
    return checkin


def vote_cast(*, dialogue: Dialogue, idea: Idea, person: Person, channel: str = Channel.WEB) -> int:
    """Give ``idea`` one of ``person``'s dots. Returns the dots the person has left.

    The person's check-in row is locked for the duration, so two phones of the same person
    cannot spend the same last dot twice.
    """
    with transaction.atomic():
        _require_session(dialogue)
        _checked_in(dialogue, person, lock=True)
        if not votable_ideas(dialogue).filter(pk=idea.pk).exists():
            raise SessionError(_("Esa idea no está en votación en este diálogo."))
        used = Vote.objects.filter(dialogue=dialogue, person=person).count()
        budget = dot_budget(dialogue)
        if Vote.objects.filter(dialogue=dialogue, person=person, idea=idea).exists():
            raise SessionError(_("Ya votaste por esa idea."))
        if used >= budget:
            raise SessionError(
                _("Ya usaste tus %(n)d votos. Puedes quitar uno para votar por otra idea.")
                % {"n": budget}
            )
        Vote.objects.create(dialogue=dialogue, idea=idea, person=person, channel=channel)
        publish_session_changed(dialogue_id=dialogue.pk)
        return budget - used - 1


def vote_withdraw(*, dialogue: Dialogue, idea: Idea, person: Person) -> int:
    """Take back ``person``'s dot on ``idea``. Returns the dots the person has left."""
    with transaction.atomic():
        _require_session(dialogue)
        _checked_in(dialogue, person, lock=True)
        deleted, _rows = Vote.objects.filter(dialogue=dialogue, person=person, idea=idea).delete()
        if not deleted:
            raise SessionError(_("No habías votado por esa idea."))
        used = Vote.objects.filter(dialogue=dialogue, person=person).count()
        publish_session_changed(dialogue_id=dialogue.pk)
        return dot_budget(dialogue) - used


def closing_word_send(*, dialogue: Dialogue, person: Person, word: str) -> ClosingWord:
    """Record the word ``person`` takes away («¿Qué palabra te llevas?»). One per person: a
    second word replaces the first. Only the first word of the text counts."""
    cleaned = clean_plain_text(word).strip().strip(".,;:¡!¿?«»\"'()")
    first = cleaned.split()[0] if cleaned.split() else ""
    if not first:
        raise SessionError(_("Escribe una palabra."))
    if len(first) > CLOSING_WORD_MAX_LENGTH:
        raise SessionError(
            _("Una sola palabra, de hasta %(n)d letras.") % {"n": CLOSING_WORD_MAX_LENGTH}
        )
    with transaction.atomic():
        _require_session(dialogue)
        _checked_in(dialogue, person, lock=True)
        closing, _created = ClosingWord.objects.update_or_create(
            dialogue=dialogue,
            person=person,
            defaults={"word": first, "normalised": normalise_word(first)},
        )
        handlers.data_changed("closing_word")
        publish_session_changed(dialogue_id=dialogue.pk)
    return closing


def table_idea_enter(*, table: Table, actor: Person, title: str, body: str = "") -> Idea:
    """A table's facilitator enters one of the table's ideas during the session. The idea is an
    ordinary idea of the dialogue (channel «transcripción presencial»), so it follows the same
    loop as every other: moderation, routing, answers."""
    dialogue = table.dialogue
    _require_session(dialogue)
    if table.facilitator_id != actor.pk:
        raise SessionError(
            _("Solo quien facilita la mesa %(n)d ingresa sus ideas.") % {"n": table.number}
        )
    with transaction.atomic():
        idea = p_services.idea_submit(
            author=None,
            title=title,
            body=body,
            channel=Channel.IN_PERSON,
            topic=table.topic,
            dialogue=dialogue,
        )
        TableIdea.objects.create(table=table, idea=idea, entered_by=actor)
        publish_session_changed(dialogue_id=dialogue.pk)
    return idea
