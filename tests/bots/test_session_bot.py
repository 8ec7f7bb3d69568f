"""A dialogue's live session from the bots: check in with the session code, vote with the
ballot's buttons, take a vote back, send the closing word; through the real webhooks, the real
client libraries and the fake Telegram and WhatsApp servers."""

from __future__ import annotations

import pytest

from forum.dialogues.models import CheckIn, ClosingWord, Vote
from tests.dialogues.session_helpers import room

from .conftest import buttons_of, tg_callback, tg_message
from .fake_whatsapp import interactive_message, text_message
from .test_telegram_conversation import onboard, send
from .test_whatsapp_webhook import PHONE, say, wamid

pytestmark = pytest.mark.django_db

CHAT = 778001


def test_telegram_check_in_vote_move_a_vote_and_send_the_word(client, fake_telegram):
    r = room(code="TGS123", dots=1)
    onboard(client, fake_telegram, CHAT)

    sent = send(client, fake_telegram, tg_message(CHAT, "/sesion nope99"))
    assert "No encontré esa sesión" in sent[-1]["text"]
    assert not CheckIn.objects.exists()

    sent = send(client, fake_telegram, tg_message(CHAT, "/sesion tgs123"))
    assert f"¡Bienvenida/o a «{r.dialogue.title}»!" in sent[0]["text"]
    assert "Te queda 1 voto" in sent[-1]["text"]
    ballot = buttons_of(sent[-1])
    assert (r.ideas[0].title, f"vot:{r.ideas[0].pk}") in ballot
    assert len(ballot) == len(r.ideas)
    checkin = CheckIn.objects.get(dialogue=r.dialogue)
    assert checkin.channel == "telegram"

    sent = send(client, fake_telegram, tg_callback(CHAT, f"vot:{r.ideas[0].pk}"))
    assert "Voto registrado" in sent[0]["text"]
    assert "Te quedan 0 votos" in sent[-1]["text"]
    assert (f"✓ {r.ideas[0].title}", f"unv:{r.ideas[0].pk}") in buttons_of(sent[-1])

    sent = send(client, fake_telegram, tg_callback(CHAT, f"vot:{r.ideas[1].pk}"))
    assert "Ya usaste tus 1 votos" in sent[-1]["text"]
    send(client, fake_telegram, tg_callback(CHAT, f"unv:{r.ideas[0].pk}"))
    send(client, fake_telegram, tg_callback(CHAT, f"vot:{r.ideas[1].pk}"))
    assert list(Vote.objects.values_list("idea_id", flat=True)) == [r.ideas[1].pk]

    for forged in ("vot:²", "vot:-1", "vot:999999999", "unv:", "vot:1e3"):
        sent = send(client, fake_telegram, tg_callback(CHAT, forged))
        assert "No entendí esa opción" in sent[0]["text"], forged
    assert Vote.objects.count() == 1

    sent = send(client, fake_telegram, tg_message(CHAT, "/palabra Confianza"))
    assert "Tu palabra ya está en la pantalla" in sent[-1]["text"]
    assert ClosingWord.objects.get().normalised == "confianza"


def test_voting_before_checking_in_says_how_to_check_in(client, fake_telegram):
    room(code="TGS124")
    onboard(client, fake_telegram, CHAT)
    sent = send(client, fake_telegram, tg_message(CHAT, "/votar"))
    assert "No estás en una sesión en curso" in sent[-1]["text"]


def test_whatsapp_check_in_and_vote_from_the_list(client, fake_whatsapp):
    r = room(code="WAS123", dots=2)
    say(client, fake_whatsapp, text_message(PHONE, "hola", wamid()))
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "ok:yes", "Acepto", wamid()),
    )
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "lang:es", "Español", wamid()),
    )
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "list_reply", "reg:biobio", "Biobío", wamid()),
    )
    sent = say(client, fake_whatsapp, text_message(PHONE, "/sesion WAS123", wamid()))
    ballot = sent[-1]
    assert ballot["type"] == "interactive"
    ids = [
        row["id"]
        for section in ballot["interactive"]["action"].get("sections", [])
        for row in section["rows"]
    ] or [b["reply"]["id"] for b in ballot["interactive"]["action"]["buttons"]]
    assert f"vot:{r.ideas[2].pk}" in ids
    sent = say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "list_reply", f"vot:{r.ideas[2].pk}", "Idea", wamid()),
    )
    assert any("Voto registrado" in (m.get("text") or {}).get("body", "") for m in sent)
    vote = Vote.objects.get()
    assert vote.idea == r.ideas[2]
    assert vote.channel == "whatsapp"


def test_the_survey_push_is_answered_with_one_tap_on_telegram(client, fake_telegram):
    from django.core.management import call_command

    from forum.dialogues.models import SurveyAnswer
    from forum.dialogues.services import survey_send
    from forum.participation.models import Dialogue, Person

    r = room(code="TGS125")
    onboard(client, fake_telegram, CHAT)
    send(client, fake_telegram, tg_message(CHAT, "/sesion TGS125"))
    Dialogue.objects.filter(pk=r.dialogue.pk).update(phase=Dialogue.Phase.CELEBRATION)
    r.dialogue.refresh_from_db()
    assert survey_send(actor=None, dialogue=r.dialogue) == 1
    before = len(fake_telegram.sent())
    call_command("work", "--kind", "outbox", "--once")
    push = fake_telegram.sent()[before:]
    assert push, "the survey reached the attendee's Telegram"
    buttons = buttons_of(push[-1])
    assert ("Excelente", f"srv:{r.dialogue.pk}:excellent") in buttons
    assert len(buttons) == 4

    sent = send(client, fake_telegram, tg_callback(CHAT, f"srv:{r.dialogue.pk}:good"))
    assert "Gracias por tu respuesta" in sent[-1]["text"]
    answer = SurveyAnswer.objects.get()
    assert answer.rating == "good"
    assert answer.channel == "telegram"
    assert answer.person == Person.objects.get(identities__external_id=str(CHAT))
    for forged in (f"srv:{r.dialogue.pk}:superb", "srv:²:good", "srv:999999:good", "srv:"):
        sent = send(client, fake_telegram, tg_callback(CHAT, forged))
        assert "No entendí esa opción" in sent[0]["text"], forged
    assert SurveyAnswer.objects.get().rating == "good"
