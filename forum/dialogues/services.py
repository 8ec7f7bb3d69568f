"""Dialogue writes: guidelines, agenda, tables, the phase machine, survey and results.

Every service is keyword-only, takes the ``actor`` (a staff user; None for the system), runs in
``transaction.atomic``, writes an audit row through moderation's ``audit_record`` when staff act,
and puts notices in the outbox (notifications) in the same transaction; nothing leaves before
commit. The live session's own writes (check-in, facilitator ideas, live votes, closing words)
belong to the session services built on these models.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.moderation.services import Actor, audit_record
from forum.moderation.services.common import user_of
from forum.notifications import kinds
from forum.notifications.services import notification_create_many
from forum.participation.models import Channel, Dialogue, Idea, Person, Topic
from forum.threads import services as threads

from . import phases, seating, selectors
from .models import (
    SESSION_CODE_LENGTH,
    AgendaPoint,
    CheckIn,
    ClosingWord,
    DialogueSpace,
    GuidingQuestion,
    PhaseChange,
    PhasePlan,
    Seat,
    SurveyAnswer,
    Table,
    TableIdea,
    Vote,
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
        space.full_clean()
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
        plan.full_clean()
        plan.save()
    return plan


# ---------------------------------------------------------------- Directrices


def guiding_question_add(
    *, actor: Actor, dialogue: Dialogue, text: str, topic: Topic | None = None
) -> GuidingQuestion:
    """Add a question at the end of the dialogue's «¿Qué debatir?»."""
    text = clean_plain_text(text).replace("\n", " ")
    if not text:
        raise DialogueError(_("La pregunta no puede quedar vacía."), code="empty")
    with transaction.atomic():
        last = GuidingQuestion.objects.filter(dialogue=dialogue).aggregate(m=Max("position"))["m"]
        question = GuidingQuestion(
            dialogue=dialogue, text=text, topic=topic, position=(last or 0) + 1
        )
        question.full_clean()
        question.save()
        audit_record(
            actor=actor, action="guiding_question_add", target=question, after={"text": text}
        )
    return question


def guiding_question_delete(*, actor: Actor, question: GuidingQuestion) -> None:
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="guiding_question_delete",
            target=question,
            before={"text": question.text},
        )
        question.delete()


# ---------------------------------------------------------------- Planificación: agenda


def agenda_propose(*, actor: Actor, dialogue: Dialogue, limit: int = 8) -> list[AgendaPoint]:
    """Propose agenda points from the region's most supported ideas on the dialogue's topics
    (``selectors.agenda_candidates``), after the points already there. Staff edit them next."""
    if dialogue.phase not in (phases.GUIDELINES, phases.PLANNING):
        raise DialogueError(_("La agenda se prepara antes de la sesión."), code="phase")
    with transaction.atomic():
        candidates = selectors.agenda_candidates(dialogue, limit=limit)
        last = AgendaPoint.objects.filter(dialogue=dialogue).aggregate(m=Max("position"))["m"] or 0
        points = AgendaPoint.objects.bulk_create(
            [
                AgendaPoint(
                    dialogue=dialogue,
                    position=last + n,
                    title=idea.title[:200],
                    topic=idea.topic,
                    source_idea=idea,
                )
                for n, idea in enumerate(candidates, start=1)
            ]
        )
        audit_record(
            actor=actor,
            action="agenda_propose",
            target=dialogue,
            after={"ideas": [i.tracking_code for i in candidates]},
        )
    return points


def agenda_point_add(
    *, actor: Actor, dialogue: Dialogue, title: str, description: str = ""
) -> AgendaPoint:
    title = clean_plain_text(title).replace("\n", " ")
    if not title:
        raise DialogueError(_("El punto necesita un título."), code="empty")
    with transaction.atomic():
        last = AgendaPoint.objects.filter(dialogue=dialogue).aggregate(m=Max("position"))["m"] or 0
        point = AgendaPoint(
            dialogue=dialogue,
            title=title,
            description=clean_plain_text(description),
            position=last + 1,
        )
        point.full_clean()
        point.save()
        audit_record(actor=actor, action="agenda_point_add", target=point, after={"title": title})
    return point


def agenda_point_update(
    *, actor: Actor, point: AgendaPoint, title: str, description: str = "", position: int
) -> AgendaPoint:
    """Staff edit a point before it is published (a published point is the council's thread)."""
    if point.agenda_item_id is not None:
        raise DialogueError(_("Ese punto ya está publicado."), code="published")
    title = clean_plain_text(title).replace("\n", " ")
    if not title:
        raise DialogueError(_("El punto necesita un título."), code="empty")
    with transaction.atomic():
        before = {"title": point.title, "position": point.position}
        point.title, point.description = title, clean_plain_text(description)
        point.position = position
        point.full_clean()
        point.save()
        audit_record(
            actor=actor,
            action="agenda_point_update",
            target=point,
            before=before,
            after={"title": title, "position": position},
        )
    return point


def agenda_point_delete(*, actor: Actor, point: AgendaPoint) -> None:
    if point.agenda_item_id is not None:
        raise DialogueError(_("Ese punto ya está publicado."), code="published")
    with transaction.atomic():
        audit_record(
            actor=actor, action="agenda_point_delete", target=point, before={"title": point.title}
        )
        point.delete()


def agenda_publish(*, actor: Actor, dialogue: Dialogue) -> list[AgendaPoint]:
    """Publish the agenda: each point not yet published becomes an agenda item of the council's
    meeting with its public thread (``threads.agenda_item_create``)."""
    points = list(selectors.agenda_points(dialogue))
    if not points:
        raise DialogueError(_("La agenda no tiene puntos."), code="empty_agenda")
    with transaction.atomic():
        for point in points:
            if point.agenda_item_id is not None:
                continue
            thread = threads.agenda_item_create(
                council=dialogue.council, title=point.title, dialogue=dialogue
            )
            point.agenda_item, point.thread = thread.agenda_item, thread
            point.save(update_fields=["agenda_item", "thread"])
        space = dialogue_space_ensure(dialogue=dialogue)
        space.agenda_published_at = space.agenda_published_at or timezone.now()
        space.save(update_fields=["agenda_published_at"])
        audit_record(
            actor=actor,
            action="agenda_publish",
            target=dialogue,
            after={"points": [p.title for p in points]},
        )
    return points


# ---------------------------------------------------------------- Planificación: tables


def tables_seat(
    *,
    actor: Actor,
    dialogue: Dialogue,
    people: Iterable[Person],
    table_size: int = seating.DEFAULT_TABLE_SIZE,
) -> list[Table]:
    """Seat ``people`` at tables by :func:`seating.seat`'s documented rule, replacing any
    previous seating. Only before the session (Directrices or Planificación)."""
    if dialogue.phase not in (phases.GUIDELINES, phases.PLANNING):
        raise DialogueError(_("Las mesas se arman antes de la sesión."), code="phase")
    persons = {p.pk: p for p in people if p is not None and p.erased_at is None}
    guests = [
        seating.Guest(p.pk, p.organisation_id, p.actor_category or "") for p in persons.values()
    ]
    layout = seating.seat(guests, table_size=table_size)
    with transaction.atomic():
        Table.objects.filter(dialogue=dialogue).delete()
        tables = Table.objects.bulk_create(
            [Table(dialogue=dialogue, number=n) for n in range(1, len(layout) + 1)]
        )
        Seat.objects.bulk_create(
            [
                Seat(
                    dialogue=dialogue,
                    table=table,
                    person_id=g.person_id,
                    organisation_id=g.organisation_id,
                    actor_category=g.category,
                )
                for table, row in zip(tables, layout, strict=True)
                for g in row
            ]
        )
        audit_record(
            actor=actor,
            action="tables_seat",
            target=dialogue,
            after={"tables": len(tables), "people": len(guests), "table_size": table_size},
        )
    return tables


def tables_publish(*, actor: Actor, dialogue: Dialogue) -> DialogueSpace:
    if not Seat.objects.filter(dialogue=dialogue).exists():
        raise DialogueError(_("Aún no hay nadie sentado en las mesas."), code="no_tables")
    with transaction.atomic():
        space = dialogue_space_ensure(dialogue=dialogue)
        space.tables_published_at = space.tables_published_at or timezone.now()
        space.save(update_fields=["tables_published_at"])
        audit_record(actor=actor, action="tables_publish", target=dialogue)
    return space


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
        change.full_clean()
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


# ---------------------------------------------------------------- a past session's records


def session_import(
    *,
    actor: Actor,
    dialogue: Dialogue,
    attendees: Sequence[Person],
    votes: Sequence[tuple[Person, Idea]] = (),
    words: Sequence[tuple[Person, str]] = (),
    answers: Sequence[tuple[Person, str, str]] = (),
    method: str = CheckIn.Method.MANUAL,
) -> int:
    """Record a session already held from its paper records (attendance sheet, dot votes,
    closing words, survey forms): the demo, or a dialogue run before the platform. The live
    session writes these rows one by one through its own services. Returns the attendees
    recorded; rows already there are left alone."""
    with transaction.atomic():
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    dialogue=dialogue,
                    person=p,
                    organisation_id=p.organisation_id,
                    actor_category=p.actor_category or "",
                    method=method,
                    channel=Channel.IN_PERSON,
                )
                for p in attendees
            ],
            ignore_conflicts=True,
        )
        Vote.objects.bulk_create(
            [
                Vote(dialogue=dialogue, person=p, idea=i, channel=Channel.IN_PERSON)
                for p, i in votes
            ],
            ignore_conflicts=True,
        )
        ClosingWord.objects.bulk_create(
            [
                ClosingWord(dialogue=dialogue, person=p, word=w[:40], normalised=normalise_word(w))
                for p, w in words
                if normalise_word(w)
            ],
            ignore_conflicts=True,
        )
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    dialogue=dialogue, person=p, rating=r, comment=c, channel=Channel.IN_PERSON
                )
                for p, r, c in answers
            ],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action="session_import",
            target=dialogue,
            after={"attendees": len(attendees), "votes": len(votes), "words": len(words)},
        )
    return len(attendees)


def normalise_word(word: str) -> str:
    """«¡Confianza!» and «confianza» count as one word in the cloud (accents kept: they are
    part of Spanish spelling)."""
    cleaned = clean_plain_text(word).strip().split()
    first = cleaned[0] if cleaned else ""
    return first.strip("¡!¿?.,;:«»\"'()").lower()[:40]


# ---------------------------------------------------------------- Celebración: survey


def survey_token(dialogue: Dialogue, person: Person) -> str:
    """The answer link's token: the survey page needs no login, only this signed pair."""
    return signing.dumps([dialogue.pk, person.pk], salt=SURVEY_SALT, compress=True)


def survey_token_read(token: str) -> tuple[int, int] | None:
    try:
        dialogue_id, person_id = signing.loads(token, salt=SURVEY_SALT)
        return int(dialogue_id), int(person_id)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def survey_send(*, actor: Actor, dialogue: Dialogue) -> int:
    """After the session, ask every attendee «¿Cómo evalúas el método?» on their channels
    through the outbox, once per dialogue (a second call sends nothing). Returns how many."""
    if phases.index(dialogue.phase) < phases.index(phases.REALISATION):
        raise DialogueError(_("La encuesta se envía después de la sesión."), code="phase")
    with transaction.atomic():
        DialogueSpace.objects.select_for_update().filter(dialogue=dialogue).first()
        space = dialogue_space_ensure(dialogue=dialogue)
        if space.survey_sent_at is not None:
            return 0
        people = list(selectors.dialogue_attendees(dialogue))
        answered = set(
            SurveyAnswer.objects.filter(dialogue=dialogue).values_list("person_id", flat=True)
        )
        sent = 0
        for person in people:
            if person.pk in answered:
                continue
            # One notice each: the link carries the person's own token.
            notification_create_many(
                people=[person],
                notice=kinds.DialogueSurvey(
                    slug=dialogue.slug,
                    title=dialogue.title,
                    token=survey_token(dialogue, person),
                ),
            )
            sent += 1
        space.survey_sent_at = timezone.now()
        space.save(update_fields=["survey_sent_at"])
        audit_record(actor=actor, action="survey_send", target=dialogue, after={"sent": sent})
    return sent


def survey_answer_submit(
    *,
    dialogue: Dialogue,
    person: Person,
    rating: str,
    comment: str = "",
    channel: str = Channel.WEB,
) -> SurveyAnswer:
    """An attendee rates the method; answering again replaces their earlier answer."""
    if rating not in SurveyAnswer.Rating.values:
        raise DialogueError(_("Elige una evaluación: excelente, bueno, regular o malo."))
    if not CheckIn.objects.filter(dialogue=dialogue, person=person).exists():
        raise DialogueError(_("La encuesta es para quienes asistieron al diálogo."))
    comment = clean_plain_text(comment)[:1000]
    with transaction.atomic():
        answer, _created = SurveyAnswer.objects.update_or_create(
            dialogue=dialogue,
            person=person,
            defaults={"rating": rating, "comment": comment, "channel": channel},
        )
    return answer


# ---------------------------------------------------------------- Celebración: results


def results_publish(*, actor: Actor, dialogue: Dialogue, summary: str = "") -> int:
    """Publish the dialogue's results: every attendee and every author of one of its ideas
    receives them once through the outbox, with which ideas went to which council and by when
    it must answer. Only in Celebración; a second call sends nothing. Returns how many."""
    if dialogue.phase != phases.CELEBRATION:
        raise DialogueError(
            _("Los resultados se publican en la fase de Celebración."), code="phase"
        )
    summary = clean_plain_text(summary)
    with transaction.atomic():
        dialogue_space_ensure(dialogue=dialogue)
        space = DialogueSpace.objects.select_for_update().get(dialogue=dialogue)
        if space.results_published_at is not None:
            return 0
        space.results_published_at = timezone.now()
        space.results_summary = summary
        space.save(update_fields=["results_published_at", "results_summary"])
        routed: list[dict[str, Any]] = [
            {
                "code": i.tracking_code,
                "title": i.title[:200],
                "council": i.council.name if i.council else "",
                "due": i.answer_due.isoformat() if i.answer_due else "",
            }
            for i in selectors.dialogue_results(dialogue).routed[:ROUTED_IN_RESULTS]
        ]
        people = selectors.results_recipients(dialogue)
        notification_create_many(
            people=people,
            notice=kinds.DialogueResults(
                slug=dialogue.slug, title=dialogue.title, summary=summary[:1000], routed=routed
            ),
        )
        audit_record(
            actor=actor,
            action="results_publish",
            target=dialogue,
            after={"recipients": len(people), "routed": len(routed)},
        )
    return len(people)


# ---------------------------------------------------------------- Ley 21.719


def person_erase_dialogues(*, person: Person) -> None:
    """Erasure (``participation.privacy``): seats go; check-ins, votes, words and survey answers
    stay without the person (the dialogue's figures do not change), survey comments go. Runs
    inside the erasure's transaction."""
    Seat.objects.filter(person=person).delete()
    Table.objects.filter(facilitator=person).update(facilitator=None)
    TableIdea.objects.filter(entered_by=person).update(entered_by=None)
    CheckIn.objects.filter(person=person).update(person=None)
    Vote.objects.filter(person=person).update(person=None)
    ClosingWord.objects.filter(person=person).update(person=None)
    SurveyAnswer.objects.filter(person=person).update(person=None, comment="")
