"""The first questions (consent, language, region): an idea typed meanwhile is kept, not lost;
the privacy notice is asked in the person's language. Through the real Telegram and WhatsApp
webhooks and the fake platforms."""

from __future__ import annotations

import json

import pytest

from forum.bots.models import Conversation
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea, Person
from tests import factories

from .conftest import buttons_of, tg_callback, tg_message, tg_user
from .fake_whatsapp import text_message
from .test_telegram_conversation import CHAT, onboard, send
from .test_whatsapp_webhook import PHONE, say, wamid

pytestmark = pytest.mark.django_db

IDEA = "Más cursos de inglés para guías de turismo en Chillán"


def start(client, fake, chat_id=CHAT) -> None:
    send(client, fake, tg_message(chat_id, "/start"))
    send(client, fake, tg_callback(chat_id, "ok:yes"))


def test_an_idea_typed_at_the_region_question_is_sent_once_the_region_is_chosen(
    client, fake_telegram
):
    start(client, fake_telegram)
    send(client, fake_telegram, tg_callback(CHAT, "lang:es"))
    sent = send(client, fake_telegram, tg_message(CHAT, IDEA))
    texts = "\n".join(m["text"] for m in sent)
    assert "borrador" in texts
    assert ("Ñuble", "reg:nuble") in buttons_of(sent[-1])  # the question is asked again
    assert not Idea.objects.exists()

    sent = send(client, fake_telegram, tg_callback(CHAT, "reg:nuble"))
    texts = "\n".join(m["text"] for m in sent)
    assert "Región guardada: Ñuble" in texts
    assert "Todo listo" not in texts  # not "write your idea": it continues with the one kept
    idea = Idea.objects.get()
    assert idea.title == IDEA
    assert idea.region is not None
    assert idea.region.slug == "nuble"
    assert idea.status == IdeaStatus.RECEIVED
    assert idea.formatted_code in sent[-1]["text"]
    sent = send(client, fake_telegram, tg_message(CHAT, "/mis_ideas"))
    assert idea.formatted_code in sent[-1]["text"]


def test_an_idea_typed_at_the_language_question_goes_through_similar_ideas(client, fake_telegram):
    # Alike, not the same text (the same text joins the existing idea at once).
    existing = factories.idea(title="Más cursos de inglés para los guías de turismo de Chillán")
    start(client, fake_telegram)
    sent = send(client, fake_telegram, tg_message(CHAT, IDEA))
    assert "borrador" in "\n".join(m["text"] for m in sent)
    assert ("English", "lang:en") in buttons_of(sent[-1])

    sent = send(client, fake_telegram, tg_callback(CHAT, "lang:es"))
    assert len(buttons_of(sent[-1])) == 16  # then the region question, the draft still kept
    sent = send(client, fake_telegram, tg_callback(CHAT, "reg:nuble"))
    offer = sent[-1]
    assert "parecidas" in offer["text"]
    assert existing.formatted_code in offer["text"]
    assert "0 apoyos" in offer["text"]
    sent = send(client, fake_telegram, tg_callback(CHAT, "new"))
    mine = Idea.objects.exclude(pk=existing.pk).get()
    assert mine.title == IDEA
    assert mine.formatted_code in sent[-1]["text"]


def test_one_support_is_said_in_the_singular(client, fake_telegram):
    # Alike, not the same text (the same text joins the existing idea at once).
    existing = factories.idea(title="Más cursos de inglés para los guías de turismo de Chillán")
    Idea.objects.filter(pk=existing.pk).update(support_count=1)
    onboard(client, fake_telegram)
    sent = send(client, fake_telegram, tg_message(CHAT, IDEA))
    assert "1 apoyo)" in sent[-1]["text"]
    assert "1 apoyos" not in sent[-1]["text"]


def test_a_short_unknown_answer_is_said_not_understood_and_a_typed_region_is_taken(
    client, fake_telegram
):
    start(client, fake_telegram)
    send(client, fake_telegram, tg_callback(CHAT, "lang:es"))
    sent = send(client, fake_telegram, tg_message(CHAT, "no sé"))
    assert "No entendí" in sent[0]["text"]
    assert len(buttons_of(sent[-1])) == 16
    sent = send(client, fake_telegram, tg_message(CHAT, "Región del Biobío"))
    assert "Región guardada: Biobío" in sent[0]["text"]
    region = Person.objects.get().region
    assert region is not None
    assert region.slug == "biobio"


def test_cancel_drops_a_kept_idea_and_the_question_stands(client, fake_telegram):
    start(client, fake_telegram)
    send(client, fake_telegram, tg_callback(CHAT, "lang:es"))
    send(client, fake_telegram, tg_message(CHAT, IDEA))
    sent = send(client, fake_telegram, tg_message(CHAT, "/cancelar"))
    assert "dejé de lado" in sent[0]["text"]
    assert len(buttons_of(sent[-1])) == 16
    sent = send(client, fake_telegram, tg_callback(CHAT, "reg:nuble"))
    assert "Todo listo" in "\n".join(m["text"] for m in sent)
    assert not Idea.objects.exists()


def test_mis_datos_shows_the_kept_draft_and_translated_statuses(client, fake_telegram):
    start(client, fake_telegram)
    send(client, fake_telegram, tg_callback(CHAT, "lang:en"))
    send(client, fake_telegram, tg_message(CHAT, IDEA))
    sent = send(client, fake_telegram, tg_message(CHAT, "/mis_datos"))
    exported = json.loads(sent[-1]["text"])
    [conversation] = exported["conversaciones"]
    assert conversation["borrador"] == IDEA
    assert conversation["estado"] == "waiting for your region"
    send(client, fake_telegram, tg_callback(CHAT, "reg:nuble"))
    sent = send(client, fake_telegram, tg_message(CHAT, "/mis_datos"))
    exported = json.loads(sent[-1]["text"])
    assert exported["ideas"][0]["estado"] == "Received"  # the label, not the code «received»


def test_telegram_asks_consent_in_the_users_app_language(client, fake_telegram):
    english = tg_user(CHAT, language_code="en")
    sent = send(client, fake_telegram, tg_message(CHAT, "/start", user=english))
    assert "Law 21.719" in sent[-1]["text"]
    labels = [label for label, _data in buttons_of(sent[-1])]
    assert labels == ["I agree", "I don't agree"]
    assert "Ley 21.719" not in "\n".join(m["text"] for m in sent)
    sent = send(client, fake_telegram, tg_callback(CHAT, "ok:yes", user=english))
    assert Person.objects.get().language == "en"
    assert ("Español", "lang:es") in buttons_of(sent[-1])  # the choice is still offered


def test_telegram_follows_a_language_change_until_consent(client, fake_telegram):
    send(client, fake_telegram, tg_message(CHAT, "/start"))
    send(client, fake_telegram, tg_callback(CHAT, "ok:no"))
    # Not Spanish, not English: Spanish.
    other = tg_user(CHAT, language_code="pt-br")
    sent = send(client, fake_telegram, tg_message(CHAT, "/start", user=other))
    assert "Ley 21.719" in sent[-1]["text"]
    english = tg_user(CHAT, language_code="en")
    sent = send(client, fake_telegram, tg_message(CHAT, "/start", user=english))
    assert "Law 21.719" in sent[-1]["text"]
    assert Conversation.objects.get().language == "en"


def test_whatsapp_stays_spanish_first(client, fake_whatsapp):
    # WhatsApp does not tell the number's language: Spanish, with English offered after consent.
    sent = say(client, fake_whatsapp, text_message(PHONE, "Hello", wamid()))
    assert "Ley 21.719" in sent[-1]["interactive"]["body"]["text"]
    assert Conversation.objects.get(channel="whatsapp").language == "es"
