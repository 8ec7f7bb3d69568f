"""After the session: the survey reaches each attendee on their channels, and the results reach
every attendee and every author of an idea from the dialogue exactly once, saying which ideas
went to which council and by when it must answer."""

from __future__ import annotations

import datetime as dt

import pytest

from forum.dialogues import services
from forum.notifications.models import Delivery, Notification
from forum.notifications.render import render_notification
from forum.participation import services as participation
from forum.participation.models import Channel, Dialogue
from tests import factories as f

pytestmark = pytest.mark.django_db
K = Notification.Kind


def _held(phase: str = "celebration"):
    d = f.dialogue(title="Diálogo de Lota")
    attendees = [f.person(actor_category="employers") for _ in range(3)]
    f.identity(attendees[0], Channel.TELEGRAM)
    author_away = f.person()  # sent an idea in advance, did not come
    idea = f.idea(author=author_away, dialogue=d, title="Talleres de soldadura en Lota")
    both = f.idea(author=attendees[1], dialogue=d, title="Cursos nocturnos")
    participation.idea_transition(idea=idea, to_status="in_review", actor=None)
    participation.idea_route(
        idea=idea, council=d.council, actor=None, answer_due=dt.date(2027, 3, 31)
    )
    services.session_import(actor=None, dialogue=d, attendees=attendees)
    Dialogue.objects.filter(pk=d.pk).update(phase=phase)
    d.refresh_from_db()
    return d, attendees, author_away, idea, both


def test_the_survey_reaches_each_attendee_once_with_their_own_link():
    d, attendees, author_away, *_ = _held("realisation")
    assert services.survey_send(actor=None, dialogue=d) == 3
    assert services.survey_send(actor=None, dialogue=d) == 0
    notes = Notification.objects.filter(kind=K.DIALOGUE_SURVEY)
    assert sorted(n.person_id for n in notes) == sorted(p.pk for p in attendees)
    assert not notes.filter(person=author_away).exists()
    tokens = {n.payload["token"] for n in notes}
    assert len(tokens) == 3
    telegram = Delivery.objects.filter(notification__in=notes, channel=Channel.TELEGRAM)
    assert telegram.count() == 1
    rendered = render_notification(notes.get(person=attendees[0]), "es")
    assert f"/dialogos/{d.slug}/encuesta/" in rendered.url


def test_results_reach_every_attendee_and_author_exactly_once():
    d, attendees, author_away, _idea, _both = _held()
    sent = services.results_publish(actor=f.user(is_staff=True), dialogue=d, summary="Gracias.")
    assert sent == 4  # three attendees (one is also an author) and the author who was away
    assert services.results_publish(actor=None, dialogue=d) == 0
    notes = Notification.objects.filter(kind=K.DIALOGUE_RESULTS)
    people = [n.person_id for n in notes]
    assert sorted(people) == sorted({*(p.pk for p in attendees), author_away.pk})
    es = render_notification(notes.get(person=author_away), "es")
    assert "Talleres de soldadura en Lota" in es.text
    assert d.council.name in es.text
    assert "31 de marzo de 2027" in es.text
    en = render_notification(notes.get(person=author_away), "en")
    assert "must answer by March 31, 2027" in en.text


def test_results_wait_for_the_celebration():
    d, *_ = _held("realisation")
    with pytest.raises(services.DialogueError):
        services.results_publish(actor=None, dialogue=d)
    assert not Notification.objects.filter(kind=K.DIALOGUE_RESULTS).exists()


def test_only_attendees_answer_the_survey():
    d, attendees, author_away, *_ = _held()
    services.survey_answer_submit(dialogue=d, person=attendees[0], rating="excellent")
    with pytest.raises(services.DialogueError):
        services.survey_answer_submit(dialogue=d, person=author_away, rating="good")
    with pytest.raises(services.DialogueError):
        services.survey_answer_submit(dialogue=d, person=attendees[1], rating="maravilloso")
