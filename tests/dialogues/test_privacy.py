"""A person's dialogue rows in their export, and erasure that keeps the dialogue's figures."""

from __future__ import annotations

import pytest

from forum.dialogues import selectors, services
from forum.dialogues.models import CheckIn, Seat, SurveyAnswer, Vote
from forum.participation import privacy
from tests import factories as f

pytestmark = pytest.mark.django_db


def _attended():
    d = f.dialogue()
    services.guiding_question_add(actor=None, dialogue=d, text="¿Qué?")
    person = f.person(name="Rosa", actor_category="employers")
    other = f.person(actor_category="employers")
    services.tables_seat(actor=None, dialogue=d, people=[person, other])
    idea = f.idea(dialogue=d)
    services.session_import(
        actor=None,
        dialogue=d,
        attendees=[person, other],
        votes=[(person, idea), (other, idea)],
        words=[(person, "Esperanza")],
        answers=[(person, "good", "Me gustó la mesa 2")],
    )
    return d, person, idea


def test_the_export_lists_seat_checkin_vote_word_and_answer():
    d, person, idea = _attended()
    data = privacy.person_export(person)["dialogos"]
    assert data["mesas"] == [{"dialogo": d.slug, "mesa": 1}]
    assert [c["dialogo"] for c in data["asistencias"]] == [d.slug]
    assert data["votos"] == [{"dialogo": d.slug, "idea": idea.tracking_code}]
    assert data["palabras"] == [{"dialogo": d.slug, "palabra": "Esperanza"}]
    assert data["encuestas"][0]["comentario"] == "Me gustó la mesa 2"


def test_erasure_removes_the_person_but_not_the_figures():
    d, person, _idea = _attended()
    before = selectors.dialogue_results(d)
    privacy.person_erase(person=person)
    assert not Seat.objects.filter(person=person).exists()
    assert not CheckIn.objects.filter(person=person).exists()
    assert not Vote.objects.filter(person=person).exists()
    assert SurveyAnswer.objects.get(dialogue=d).comment == ""
    after = selectors.dialogue_results(d)
    assert (after.people, after.votes, after.rated) == (before.people, before.votes, before.rated)
    assert privacy.person_export(person)["dialogos"]["asistencias"] == []
