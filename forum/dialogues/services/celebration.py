"""Celebración: the survey after the session and the results."""

from __future__ import annotations

from typing import Any

from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.moderation.services import Actor, audit_record
from forum.notifications import kinds
from forum.notifications.services import notification_create_many
from forum.participation import handlers
from forum.participation.models import Channel, Dialogue, Person

from .. import phases, selectors
from ..models import (
    CheckIn,
    DialogueSpace,
    SurveyAnswer,
)
from .common import ROUTED_IN_RESULTS, SURVEY_SALT, DialogueError, dialogue_space_ensure

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
                    dialogue_id=dialogue.pk,
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
        handlers.data_changed("survey")
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
