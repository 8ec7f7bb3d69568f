"""The chat understands what people write without a slash, and an idea sent through a bot keeps
a short title (issue 18, items 2 and 3)."""

from __future__ import annotations

import itertools

import pytest

from forum.bots import engine
from forum.bots.messages import Incoming, Kind
from forum.bots.models import Conversation
from forum.participation.models import Idea, Support
from tests import factories

pytestmark = pytest.mark.django_db

_chats = itertools.count(1)


class Chat:
    """A signed-up person's conversation, past consent, language and region."""

    def __init__(self, language: str = "es") -> None:
        self.external_id = f"plain-{next(_chats)}"
        self.person = factories.person(language=language)
        factories.identity(self.person, "webchat", self.external_id)
        Conversation.objects.create(
            channel="webchat", external_id=self.external_id, person=self.person, state="idle"
        )

    def say(self, text: str) -> list:
        return engine.handle(Incoming(channel="webchat", external_id=self.external_id, text=text))

    def press(self, data: str) -> list:
        return engine.handle(
            Incoming(channel="webchat", external_id=self.external_id, kind=Kind.BUTTON, data=data)
        )

    @property
    def state(self) -> str:
        return Conversation.objects.get(external_id=self.external_id).state


@pytest.mark.parametrize("text", ["hola", "ayuda", "?", "gracias", "Hello", "help"])
def test_greetings_help_and_thanks_never_start_an_idea(text):
    chat = Chat()
    replies = chat.say(text)
    assert len(replies) == 1, [r.text for r in replies]
    assert "¿De qué tema es tu idea?" not in replies[0].text
    assert "Cuéntame tu idea" not in replies[0].text
    assert chat.state == "idle"
    assert not Idea.objects.exists()


def test_a_question_mark_gets_one_answer_even_while_a_draft_waits_for_its_topic():
    factories.topic("Capacitación")
    chat = Chat()
    chat.say("Más talleres de oficios en Chillán para mujeres")
    assert chat.state == "awaiting_topic"
    replies = chat.say("?")
    assert len(replies) == 1
    assert "Esto es lo que puedo hacer" in replies[0].text
    assert chat.state == "awaiting_topic"  # the draft still stands


def test_how_is_my_idea_with_its_code_answers_its_status():
    idea = factories.idea(title="Feria laboral en Coyhaique")
    chat = Chat()
    [reply] = chat.say(f"¿cómo va mi idea {idea.formatted_code}?")
    assert "Feria laboral en Coyhaique" in reply.text
    assert "Apoyos" in reply.text


def test_i_want_to_support_with_a_code_supports_it_in_english_too():
    idea = factories.idea(title="Job fair in Coyhaique")
    chat = Chat(language="en")
    [reply] = chat.say(f"I want to support {idea.formatted_code}")
    assert Support.objects.filter(idea=idea, person=chat.person).exists()
    assert "Job fair in Coyhaique" in reply.text


def test_cancelar_without_slash_drops_the_draft():
    factories.topic("Capacitación")
    chat = Chat()
    chat.say("Más talleres de oficios en Chillán para mujeres")
    [reply] = chat.say("cancelar")
    assert chat.state == "idle"
    assert "lo dejé de lado" in reply.text


def test_a_short_message_is_asked_about_before_it_becomes_an_idea():
    chat = Chat()
    [reply] = chat.say("talleres de soldadura")
    assert "¿Quieres enviar «talleres de soldadura» como idea?" in reply.text
    assert [b.data for b in reply.buttons] == ["idea:yes", "idea:no"]
    assert chat.state == "confirm_idea"
    chat.press("idea:yes")
    # No topics exist: it goes straight to the forum.
    idea = Idea.objects.get()
    assert idea.title == "talleres de soldadura"


def test_a_short_message_answered_no_is_not_sent():
    chat = Chat()
    chat.say("buses Temuco")
    [reply] = chat.say("no")
    assert "no lo envío" in reply.text
    assert chat.state == "idle"
    assert not Idea.objects.exists()


def test_an_idea_sent_through_the_bot_has_a_short_title_and_the_rest_as_body(client):
    chat = Chat()
    chat.say(
        "Cursos de inglés para guías de turismo en Pucón. Hoy los guías pierden clientes "
        "extranjeros porque nadie les enseña el idioma."
    )
    idea = Idea.objects.get()
    assert idea.title == "Cursos de inglés para guías de turismo en Pucón."
    assert idea.body == (
        "Hoy los guías pierden clientes extranjeros porque nadie les enseña el idioma."
    )
    page = client.get(f"/ideas/{idea.formatted_code}/").content.decode()
    main = page[page.index("<main") :]
    assert main.count("guías de turismo en Pucón") == 1, main


def test_a_long_first_sentence_is_cut_on_a_word_and_nothing_is_lost():
    chat = Chat()
    text = (
        "Necesitamos que los cursos de capacitación en soldadura y electricidad que ofrece "
        "SENCE en la región de Los Lagos tengan horarios vespertinos y sala cuna para las "
        "madres que trabajan durante el día"
    )
    chat.say(text)
    idea = Idea.objects.get()
    assert len(idea.title) <= 121
    assert idea.title.endswith("…")
    assert not idea.title[:-1].endswith(" ")
    assert idea.body == text


def test_topic_buttons_speak_the_persons_language():
    from forum.participation.models import Topic

    Topic.objects.create(name="Uso de tecnología", name_en="Use of technology", slug="uso-t")
    chat = Chat(language="en")
    [reply] = chat.say("Online courses for rural workers in Aysén")
    assert "Use of technology" in [b.label for b in reply.buttons]
