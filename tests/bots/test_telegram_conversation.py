"""Whole conversations through the real webhook, python-telegram-bot's real HTTP client and the
fake Telegram server."""

from __future__ import annotations

import json

import pytest

from forum.bots.models import Conversation, InboundUpdate
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ChannelIdentity, Idea, Person, Support
from tests import factories

from .conftest import buttons_of, post_update, tg_callback, tg_message

pytestmark = pytest.mark.django_db

CHAT = 777001


def send(client, fake, update) -> list[dict]:
    before = len(fake.sent())
    response = post_update(client, update)
    assert response.status_code == 200
    return fake.sent()[before:]


def onboard(client, fake, chat_id=CHAT, region="biobio") -> None:
    send(client, fake, tg_message(chat_id, "/start"))
    send(client, fake, tg_callback(chat_id, "ok:yes"))
    send(client, fake, tg_callback(chat_id, "lang:es"))
    send(client, fake, tg_callback(chat_id, f"reg:{region}"))


def test_first_contact_asks_consent_and_stores_only_the_chat_id(client, fake_telegram):
    sent = send(client, fake_telegram, tg_message(CHAT, "/start"))
    texts = [m["text"] for m in sent]
    assert any("Ley 21.719" in t and "/privacidad/" in t for t in texts)
    assert ("Acepto", "ok:yes") in buttons_of(sent[-1])
    assert all(str(m["chat_id"]) == str(CHAT) for m in sent)
    conv = Conversation.objects.get(channel="telegram", external_id=str(CHAT))
    assert conv.person is None
    assert Person.objects.count() == 0
    assert not ChannelIdentity.objects.exists()


def test_an_idea_sent_before_consent_is_not_stored_and_the_person_is_told(client, fake_telegram):
    sent = send(client, fake_telegram, tg_message(CHAT, "Más cursos de inglés en Chillán"))
    assert any("no se guardó" in m["text"] for m in sent)
    assert not Idea.objects.exists()
    assert Person.objects.count() == 0


def test_declining_consent_stores_nothing(client, fake_telegram):
    send(client, fake_telegram, tg_message(CHAT, "/start"))
    sent = send(client, fake_telegram, tg_callback(CHAT, "ok:no"))
    assert "no guardamos nada" in sent[-1]["text"]
    assert Person.objects.count() == 0


def test_full_conversation_consent_language_region_idea_topic_code(client, fake_telegram):
    topic = factories.topic("Capacitación")
    factories.idea(
        title="Cursos de soldadura para jóvenes de Lota y Coronel",
        body="Faltan cursos de soldadura con certificación para jóvenes.",
    )
    send(client, fake_telegram, tg_message(CHAT, "/start"))
    sent = send(client, fake_telegram, tg_callback(CHAT, "ok:yes"))
    assert ("English", "lang:en") in buttons_of(sent[-1])
    person = Person.objects.get(identities__external_id=str(CHAT))
    assert person.consent_at is not None
    assert ChannelIdentity.objects.filter(
        channel="telegram", external_id=str(CHAT), person=person
    ).exists()
    sent = send(client, fake_telegram, tg_callback(CHAT, "lang:es"))
    region_buttons = buttons_of(sent[-1])
    assert len(region_buttons) == 16
    assert ("Biobío", "reg:biobio") in region_buttons
    send(client, fake_telegram, tg_callback(CHAT, "reg:biobio"))
    person.refresh_from_db()
    assert person.region is not None
    assert person.region.slug == "biobio"

    sent = send(
        client,
        fake_telegram,
        tg_message(CHAT, "Cursos de soldadura para jóvenes de Lota y Coronel. Con certificación."),
    )
    assert "tema" in sent[-1]["text"]
    assert ("Capacitación", f"top:{topic.pk}") in buttons_of(sent[-1])

    sent = send(client, fake_telegram, tg_callback(CHAT, f"top:{topic.pk}"))
    offer = sent[-1]
    assert "parecidas" in offer["text"]
    assert "Cursos de soldadura para jóvenes de Lota y Coronel" in offer["text"]
    labels = [label for label, _data in buttons_of(offer)]
    assert "La mía es distinta" in labels

    sent = send(client, fake_telegram, tg_callback(CHAT, "new"))
    mine = Idea.objects.get(author=person)
    assert mine.channel == "telegram"
    assert mine.topic == topic
    assert mine.region is not None
    assert mine.region.slug == "biobio"
    assert mine.status == IdeaStatus.RECEIVED
    assert mine.formatted_code in sent[-1]["text"]

    sent = send(client, fake_telegram, tg_message(CHAT, f"/estado {mine.tracking_code.lower()}"))
    assert "Recibida" in sent[-1]["text"]
    assert mine.formatted_code in sent[-1]["text"]


def test_supporting_a_similar_idea_adds_a_support_instead_of_a_duplicate(client, fake_telegram):
    existing = factories.idea(
        title="Cursos de soldadura para jóvenes de Lota y Coronel",
        body="Faltan cursos de soldadura con certificación.",
    )
    onboard(client, fake_telegram)
    send(client, fake_telegram, tg_message(CHAT, "Cursos de soldadura para jóvenes de Lota"))
    conv = Conversation.objects.get(external_id=str(CHAT))
    if conv.state == "awaiting_topic":
        send(client, fake_telegram, tg_callback(CHAT, "top:0"))
    sent = send(client, fake_telegram, tg_callback(CHAT, f"sup:{existing.pk}"))
    person = Person.objects.get(identities__external_id=str(CHAT))
    assert Support.objects.filter(idea=existing, person=person).exists()
    assert not Idea.objects.filter(author=person).exists()
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert "apoyo" in sent[-1]["text"]
    # The same button again (double tap): still one support.
    send(client, fake_telegram, tg_callback(CHAT, f"sup:{existing.pk}"))
    assert Support.objects.filter(idea=existing).count() == 1


def test_forged_callback_data_gets_a_polite_reply(client, fake_telegram):
    other = factories.idea(title="Idea que nadie me ofreció")
    onboard(client, fake_telegram)
    for data in ("sup:999999", f"sup:{other.pk}", "top:abc", "xx" * 30, "", "reg:atlantis"):
        sent = send(client, fake_telegram, tg_callback(CHAT, data))
        assert any("No entendí" in m["text"] for m in sent), data
    assert not Support.objects.exists()


def test_a_forged_superscript_digit_while_a_topic_is_asked_gets_a_polite_reply(
    client, fake_telegram
):
    # "²".isdigit() is true and int("²") fails: the update was retried until dead.
    factories.topic("Capacitación")
    onboard(client, fake_telegram)
    send(client, fake_telegram, tg_message(CHAT, "Más cursos de electricidad en Lota y Coronel"))
    assert Conversation.objects.get(external_id=str(CHAT)).state == "awaiting_topic"
    for data in ("top:²", "sup:²"):
        sent = send(client, fake_telegram, tg_callback(CHAT, data))
        assert any("No entendí" in m["text"] for m in sent), data
    assert not InboundUpdate.objects.exclude(status=InboundUpdate.Status.PROCESSED).exists()
    assert not Idea.objects.filter(title__startswith="Más cursos de electricidad").exists()


def test_commands_my_ideas_support_language_help_and_data(client, fake_telegram):
    idea = factories.idea(title="Más talleres de emprendimiento en Arica")
    onboard(client, fake_telegram)
    sent = send(client, fake_telegram, tg_message(CHAT, f"/apoyar {idea.formatted_code}"))
    assert "Sumaste tu apoyo" in sent[-1]["text"]
    sent = send(client, fake_telegram, tg_message(CHAT, "/mis_ideas"))
    assert idea.formatted_code in sent[-1]["text"]
    sent = send(client, fake_telegram, tg_message(CHAT, "/ayuda"))
    assert "/estado" in sent[-1]["text"]
    sent = send(client, fake_telegram, tg_message(CHAT, "/mis_datos"))
    exported = json.loads(sent[-1]["text"])
    assert exported["identidades"] == [{"canal": "telegram", "id": str(CHAT)}]
    assert exported["apoyos"][0]["codigo"] == idea.formatted_code
    # When they last wrote is stored (WhatsApp's 24-hour window), so it is shown too.
    [conversation] = exported["conversaciones"]
    assert conversation["ultimo_mensaje"] is not None
    sent = send(client, fake_telegram, tg_message(CHAT, "/idioma"))
    sent = send(client, fake_telegram, tg_callback(CHAT, "lang:en"))
    assert Person.objects.get(identities__external_id=str(CHAT)).language == "en"
    sent = send(client, fake_telegram, tg_message(CHAT, "/estado ZZZZ-ZZZZ"))
    assert "ZZZZ-ZZZZ" in sent[-1]["text"]


def test_status_is_answered_before_consent_and_unknown_codes_are_explained(client, fake_telegram):
    idea = factories.idea(title="Bolsa de empleo regional en Aysén")
    sent = send(client, fake_telegram, tg_message(CHAT, f"/status {idea.tracking_code}"))
    assert idea.formatted_code in sent[-1]["text"]
    assert Person.objects.filter(identities__isnull=False).count() == 0
    sent = send(client, fake_telegram, tg_message(CHAT, "/estado"))
    assert "código" in sent[-1]["text"]


def test_erase_removes_personal_data_and_keeps_the_idea_anonymous(client, fake_telegram):
    onboard(client, fake_telegram)
    send(client, fake_telegram, tg_message(CHAT, "Un centro de capacitación en Tirúa"))
    conv = Conversation.objects.get(external_id=str(CHAT))
    if conv.state == "awaiting_topic":
        send(client, fake_telegram, tg_callback(CHAT, "top:0"))
    conv.refresh_from_db()
    if conv.state == "awaiting_similar":
        send(client, fake_telegram, tg_callback(CHAT, "new"))
    idea = Idea.objects.get(title__startswith="Un centro de capacitación")
    person = idea.author
    assert person is not None
    assert person.display_name == "Camila Pérez"
    sent = send(client, fake_telegram, tg_message(CHAT, "/borrar"))
    assert ("Sí, borrar", "del:yes") in buttons_of(sent[-1])
    send(client, fake_telegram, tg_callback(CHAT, "del:yes"))
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.display_name == ""
    assert not ChannelIdentity.objects.filter(person=person).exists()
    idea.refresh_from_db()
    assert idea.author_id == person.pk  # the idea stays, pointing to an anonymous person
    conv.refresh_from_db()
    assert conv.person is None
    assert conv.state == "new"
    assert conv.last_inbound_at is None
    # Writing again starts from scratch with the consent question.
    sent = send(client, fake_telegram, tg_message(CHAT, "hola"))
    assert any("Ley 21.719" in m["text"] for m in sent)


def test_rate_limit_on_submissions(client, fake_telegram, settings):
    settings.BOTS_SUBMISSIONS_PER_WINDOW = 2
    onboard(client, fake_telegram)
    person = Person.objects.get(identities__external_id=str(CHAT))
    for n in range(2):
        factories.idea(author=person, title=f"Idea anterior número {n}", channel="telegram")
    sent = send(client, fake_telegram, tg_message(CHAT, "Otra idea más sobre capacitación"))
    assert "Espera un poco" in sent[-1]["text"]
    assert Idea.objects.filter(author=person).count() == 2


def test_every_update_is_stored_once(client, fake_telegram):
    update = tg_message(CHAT, "/start")
    post_update(client, update)
    post_update(client, update)
    assert InboundUpdate.objects.filter(update_id=str(update["update_id"])).count() == 1
    assert InboundUpdate.objects.get(update_id=str(update["update_id"])).status == "processed"
    assert len(fake_telegram.sent()) == 2  # welcome + consent, once


def test_a_reworded_idea_is_offered_the_existing_one_to_support(client, fake_telegram):
    # Madrid's portal, ids 37022 / 37063: the same request in other words (score ≈ 45, under
    # the clustering threshold, over the suggestion threshold).
    existing = factories.idea(
        title="Paneles acústicos A-42",
        body="Solicitar la instalación de paneles acústicos que limiten el impacto del "
        "trasiego continuo de vehículos en las viviendas colindantes con la A-42.",
    )
    onboard(client, fake_telegram)
    sent = send(client, fake_telegram, tg_message(CHAT, "Pantallas acústicas en la A-42"))
    if Conversation.objects.get(external_id=str(CHAT)).state == "awaiting_topic":
        sent = send(client, fake_telegram, tg_callback(CHAT, "top:0"))
    offered = [data for m in sent for _label, data in buttons_of(m)]
    assert f"sup:{existing.pk}" in offered
