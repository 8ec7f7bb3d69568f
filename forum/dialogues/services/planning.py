"""Directrices and Planificación: guiding questions, the agenda, the tables."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.moderation.services import Actor, audit_record
from forum.participation.models import Dialogue, Person, Topic
from forum.threads import services as threads

from .. import phases, seating, selectors
from ..models import (
    AgendaPoint,
    DialogueSpace,
    GuidingQuestion,
    Seat,
    Table,
)
from .common import DialogueError, dialogue_space_ensure

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
        full_clean(question)
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
        full_clean(point)
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
        full_clean(point)
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
