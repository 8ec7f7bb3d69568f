"""The bot files ideas under a dialogue: its deep link (``/start dlg_<slug>``, the link and QR
code of the dialogue's page) or ``/dialogo <slug>``, then the idea."""

from __future__ import annotations

import pytest
from django.utils import timezone

from forum.bots import engine
from forum.bots.messages import Incoming
from forum.bots.models import Conversation
from forum.dialogues import services
from forum.participation.models import Idea
from tests import factories as f

pytestmark = pytest.mark.django_db


def _chat(text: str = "", data: str = "") -> list:
    kind = "button" if data else "text"
    return engine.handle(
        Incoming(channel="webchat", external_id="chat-dlg", kind=kind, text=text, data=data)
    )


def _ready_person():
    person = f.person(region=f.region(), consent_at=timezone.now())
    f.identity(person, "webchat", "chat-dlg")
    Conversation.objects.create(
        channel="webchat", external_id="chat-dlg", person=person, state="idle"
    )
    return person


def _answer_until_sent(replies: list) -> None:
    # Topic question and similar ideas, if asked: no topic, and "mine is different".
    for _ in range(3):
        buttons = [b.data for r in replies for b in r.buttons]
        if "top:0" in buttons:
            replies = _chat(data="top:0")
        elif "new" in buttons:
            replies = _chat(data="new")
        else:
            return


def test_the_deep_link_files_the_next_idea_under_the_dialogue():
    person = _ready_person()
    d = f.dialogue(title="Diálogo de Lota")
    services.guiding_question_add(actor=None, dialogue=d, text="¿Qué oficios faltan en Lota?")
    [reply] = _chat(f"/start dlg_{d.slug}")
    assert "Diálogo de Lota" in reply.text
    assert "¿Qué oficios faltan en Lota?" in reply.text
    assert f"/dialogos/{d.slug}/" in reply.text
    _answer_until_sent(_chat("Talleres de soldadura para mujeres en Lota y Coronel"))
    idea = Idea.objects.get(author=person)
    assert idea.dialogue == d


def test_dialogo_without_a_known_name_lists_the_open_ones():
    _ready_person()
    open_one = f.dialogue(title="Diálogo abierto")
    [reply] = _chat("/dialogo no-existe")
    assert f"/dialogo {open_one.slug}" in reply.text
    _answer_until_sent(_chat("Una idea cualquiera sobre cursos de oficios en la región"))
    assert Idea.objects.get().dialogue is None
