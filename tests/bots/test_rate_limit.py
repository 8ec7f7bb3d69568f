"""The per-person rate limit never loses an idea: the refused idea is kept as the conversation's
draft, the bot says how many minutes are left, and «Enviar mi idea» sends it once they pass
(refused again, still kept, before). On the engine, Telegram (fake Bot API), WhatsApp (fake
Graph API) and the web chat (form and socket)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from channels.db import database_sync_to_async
from django.db.models import F
from django.utils import timezone

from forum.bots import engine
from forum.bots.messages import Button, Incoming, Kind, Reply
from forum.bots.models import Conversation
from forum.participation.models import Idea, Person
from tests import factories

from .conftest import buttons_of, chat_input_box, post_update, tg_callback, tg_message
from .fake_whatsapp import interactive_message, text_message
from .test_webchat import ask, bot_texts, connect
from .test_whatsapp_webhook import say, wamid

WINDOW = 600
CHAT = "rl-chat"
IDEA = "Cursos de soldadura certificada para jóvenes de Lota.\nCon práctica en astilleros."
OTHER = "Una feria de empleo para personas mayores en Talcahuano"
SEND = ("Enviar mi idea", "send")
DROP = ("Descartar", "drop")


@pytest.fixture(autouse=True)
def _two_ideas_per_ten_minutes(settings):
    settings.BOTS_SUBMISSIONS_PER_WINDOW = 2
    settings.BOTS_SUBMISSION_WINDOW_SECONDS = WINDOW


def sent_earlier(person: Person, *minutes_ago: float, channel: str = "telegram") -> None:
    """Ideas the person sent through a bot ``minutes_ago`` (one per value)."""
    for n, minutes in enumerate(minutes_ago):
        idea = factories.idea(
            author=person, title=f"Huertos comunitarios en la población {n + 1}", channel=channel
        )
        Idea.objects.filter(pk=idea.pk).update(
            created_at=timezone.now() - dt.timedelta(minutes=minutes)
        )


def window_passes(person: Person) -> None:
    Idea.objects.filter(author=person).update(
        created_at=F("created_at") - dt.timedelta(seconds=WINDOW)
    )


def new_ideas(person: Person) -> list[Idea]:
    return list(Idea.objects.filter(author=person).exclude(title__startswith="Huertos"))


# ---------------------------------------------------------------- the engine


@pytest.fixture
def person() -> Person:
    p = factories.person(name="Rosa", region=factories.region("biobio"))
    p.consent_at = p.created_at
    p.save()
    factories.identity(p, "webchat", CHAT)
    Conversation.objects.create(channel="webchat", external_id=CHAT, person=p, state="idle")
    return p


def chat(text: str = "", *, data: str = "") -> list[Reply]:
    kind = Kind.BUTTON if data else Kind.TEXT
    return engine.handle(
        Incoming(channel="webchat", external_id=CHAT, kind=kind, text=text, data=data)
    )


def said(replies: list[Reply]) -> str:
    return "\n".join(r.text for r in replies)


def conversation() -> Conversation:
    return Conversation.objects.get(channel="webchat", external_id=CHAT)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("minutes_ago", "left"),
    [
        ((7.5, 3), "en 3 minutos"),  # the oldest leaves the window in 2.5 minutes
        ((9.5, 1), "en 1 minuto"),
        ((9, 6, 2), "en 4 minutos"),  # two must leave before one more fits
    ],
)
def test_an_idea_over_the_limit_is_kept_and_the_minutes_left_are_said(person, minutes_ago, left):
    sent_earlier(person, *minutes_ago)
    replies = chat(IDEA)
    text = said(replies)
    assert "Puedes enviar hasta 2 ideas cada 10 minutos" in text
    assert "Guardé tu idea como borrador" in text
    assert "«Cursos de soldadura certificada para jóvenes de Lota. Con práctica en" in text
    assert left in text
    assert "no se registró" not in text
    assert replies[-1].buttons == (
        Button(*SEND),
        Button(*DROP),
    )
    assert not replies[-1].refused_too_long  # kept here: nothing to give back in the box
    conv = conversation()
    assert conv.state == "rate_limited"
    assert conv.data == {"draft": IDEA}
    assert new_ideas(person) == []


@pytest.mark.django_db
def test_send_too_soon_refuses_again_and_keeps_the_draft(person):
    sent_earlier(person, 5, 1)
    chat(IDEA)
    replies = chat(data="send")
    text = said(replies)
    assert "Todavía no puedo enviarla" in text
    assert "Tu idea sigue guardada como borrador" in text
    assert "en 5 minutos" in text
    assert replies[-1].buttons == (Button(*SEND), Button(*DROP))
    assert conversation().data == {"draft": IDEA}
    assert new_ideas(person) == []


@pytest.mark.django_db
def test_send_after_the_window_asks_the_topic_and_submits_exactly_the_kept_text(person):
    topic = factories.topic("Capacitación")
    sent_earlier(person, 5, 1)
    chat(IDEA)
    window_passes(person)
    replies = chat(data="send")
    assert "¿De qué tema es tu idea?" in said(replies)
    replies = chat(data=f"top:{topic.pk}")
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA
    assert idea.topic == topic
    assert idea.channel == "webchat"
    assert idea.formatted_code in said(replies)
    assert conversation().state == "idle"
    # The button again (a double tap, an old message): nothing more is sent.
    assert "No entendí esa opción" in said(chat(data="send"))
    assert len(new_ideas(person)) == 1


@pytest.mark.django_db
def test_refused_at_the_last_step_keeps_the_topic_and_send_submits_it_then(person):
    topic = factories.topic("Capacitación")
    factories.idea(
        title="Cursos de soldadura certificada para jóvenes de Lota",
        body="Soldadura con práctica en astilleros.",
    )
    chat(IDEA)
    replies = chat(data=f"top:{topic.pk}")
    assert "parecidas" in said(replies)
    # Meanwhile two ideas went in from Telegram: «La mía es distinta» is over the limit now.
    sent_earlier(person, 1, 0.5)
    replies = chat(data="new")
    assert "Guardé tu idea como borrador" in said(replies)
    # The choice is kept too: sent later, it is still not merged on arrival.
    assert conversation().data == {"draft": IDEA, "topic": topic.pk, "distinct": True}
    window_passes(person)
    replies = chat(data="send")
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA
    assert idea.topic == topic
    assert idea.formatted_code in said(replies)  # no topic or similar ideas asked again


@pytest.mark.django_db
def test_a_new_text_replaces_the_kept_draft_and_says_so(person):
    sent_earlier(person, 5, 1)
    chat(IDEA)
    replies = chat(OTHER)
    assert replies[0].text == "Reemplacé el borrador anterior por este nuevo mensaje."
    assert "Guardé tu idea como borrador: «Una feria de empleo" in said(replies).replace(
        ", así que no se pierde", ""
    )
    assert conversation().data == {"draft": OTHER}
    window_passes(person)
    chat(data="send")
    [idea] = new_ideas(person)
    assert idea.original_text == OTHER


@pytest.mark.django_db
def test_a_text_that_cannot_be_an_idea_leaves_the_kept_draft_alone(person, settings):
    sent_earlier(person, 5, 1)
    chat(IDEA)
    for text in ("x" * (settings.IDEA_MAX_LENGTH + 1), "ok"):
        replies = chat(text)
        assert "Reemplacé" not in said(replies)
        assert "Tu idea sigue guardada como borrador: «Cursos de soldadura" in said(replies)
        assert replies[-1].buttons == (Button(*SEND), Button(*DROP))
        assert conversation().data == {"draft": IDEA}


@pytest.mark.django_db
def test_a_refused_text_at_the_topic_question_is_not_said_to_replace_the_draft(person, settings):
    topic = factories.topic("Capacitación")
    chat(IDEA)
    replies = chat("x" * (settings.IDEA_MAX_LENGTH + 1))
    assert "Reemplacé" not in said(replies)
    assert replies[-1].buttons[-1].data == "top:0"  # the topic question again
    assert conversation().data == {"draft": IDEA}
    chat(data=f"top:{topic.pk}")
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA


@pytest.mark.django_db
def test_discard_button_and_cancel_drop_the_kept_draft(person):
    sent_earlier(person, 5, 1)
    chat(IDEA)
    assert said(chat(data="drop")) == "Listo, lo dejé de lado."
    conv = conversation()
    assert (conv.state, conv.data) == ("idle", {})
    assert "No entendí esa opción" in said(chat(data="send"))  # the old button does nothing
    chat(IDEA)
    assert said(chat("/cancelar")) == "Listo, lo dejé de lado."
    conv = conversation()
    assert (conv.state, conv.data) == ("idle", {})
    window_passes(person)
    chat(data="send")
    assert new_ideas(person) == []


@pytest.mark.django_db
def test_commands_meanwhile_keep_the_draft_and_language_holds_it_through_its_question(person):
    sent_earlier(person, 5, 1)
    chat(IDEA)
    for command in ("/mis_ideas", "/ayuda", "/start"):
        chat(command)
        assert conversation().data == {"draft": IDEA}, command
    [exported] = json.loads(chat("/mis_datos")[-1].text)["conversaciones"]
    assert exported["estado"] == "guardando tu idea hasta que puedas enviarla"
    assert exported["borrador"] == IDEA
    replies = chat("/idioma")
    assert "Tu idea sigue guardada" in said(replies)
    assert replies[-1].buttons[0].data == "lang:es"
    replies = chat(data="lang:es")
    assert "Sigamos con tu idea" in said(replies)
    assert replies[-1].buttons == (Button(*SEND), Button(*DROP))
    conv = conversation()
    assert (conv.state, conv.data) == ("rate_limited", {"draft": IDEA})
    # /borrar drops it, with the usual notice.
    assert "Dejé de lado el borrador" in said(chat("/borrar"))
    assert "draft" not in conversation().data


@pytest.mark.django_db
def test_the_kept_draft_speaks_english_too(person):
    person.language = "en"
    person.save()
    sent_earlier(person, 5, 1)
    replies = chat(IDEA)
    labels = [b.label for b in replies[-1].buttons]
    assert labels == ["Send my idea", "Discard"]
    assert "in 5 minutes" in said(replies)
    assert "or write /cancel" in said(replies)  # the English alias of /cancelar


# ---------------------------------------------------------------- Telegram

TG_CHAT = 778001


@pytest.mark.django_db
def test_telegram_shows_the_buttons_and_send_now_works_after_the_window(client, fake_telegram):
    def send(update) -> list[dict]:
        before = len(fake_telegram.sent())
        assert post_update(client, update).status_code == 200
        return fake_telegram.sent()[before:]

    for update in (
        tg_message(TG_CHAT, "/start"),
        tg_callback(TG_CHAT, "ok:yes"),
        tg_callback(TG_CHAT, "lang:es"),
        tg_callback(TG_CHAT, "reg:biobio"),
    ):
        send(update)
    person = Person.objects.get(identities__external_id=str(TG_CHAT))
    sent_earlier(person, 4, 2)

    sent = send(tg_message(TG_CHAT, IDEA))
    assert "Guardé tu idea como borrador" in sent[-1]["text"]
    assert buttons_of(sent[-1]) == [SEND, DROP]

    answered = len([c for c in fake_telegram.calls if c.method == "answerCallbackQuery"])
    sent = send(tg_callback(TG_CHAT, "send"))
    assert "Todavía no puedo enviarla" in sent[-1]["text"]
    assert buttons_of(sent[-1]) == [SEND, DROP]
    assert new_ideas(person) == []
    # The press is acknowledged (the app stops its spinner).
    assert len([c for c in fake_telegram.calls if c.method == "answerCallbackQuery"]) > answered

    window_passes(person)
    sent = send(tg_callback(TG_CHAT, "send"))
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA
    assert idea.channel == "telegram"
    assert idea.formatted_code in sent[-1]["text"]


# ---------------------------------------------------------------- WhatsApp

PHONE = "56911112222"


@pytest.mark.django_db
def test_whatsapp_shows_reply_buttons_and_send_now_works_after_the_window(client, fake_whatsapp):
    p = factories.person(name="Rosa", region=factories.region("valparaiso"))
    p.consent_at = p.created_at
    p.save()
    factories.identity(p, "whatsapp", PHONE)
    Conversation.objects.create(channel="whatsapp", external_id=PHONE, person=p, state="idle")
    sent_earlier(p, 4, 2, channel="whatsapp")

    sent = say(client, fake_whatsapp, text_message(PHONE, IDEA, wamid()))
    kept = sent[-1]
    assert kept["type"] == "interactive"
    assert kept["interactive"]["type"] == "button"
    assert "Guardé tu idea como borrador" in kept["interactive"]["body"]["text"]
    assert [
        (b["reply"]["title"], b["reply"]["id"]) for b in kept["interactive"]["action"]["buttons"]
    ] == [SEND, DROP]

    window_passes(p)
    sent = say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "send", "Enviar mi idea", wamid()),
    )
    [idea] = new_ideas(p)
    assert idea.original_text == IDEA
    assert idea.channel == "whatsapp"
    assert idea.formatted_code in sent[-1]["text"]["body"]


# ---------------------------------------------------------------- web chat


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_web_chat_without_javascript_offers_send_now_and_keeps_the_box_empty(client):
    client.get("/chat/")
    for data in ("start", "ok:yes", "lang:es", "reg:los-rios"):
        client.post("/chat/", {"data": data})
    person = Person.objects.get(identities__channel="webchat")
    sent_earlier(person, 4, 2, channel="webchat")

    client.post("/chat/", {"text": IDEA})
    page = client.get("/chat/").content.decode()
    assert "Guardé tu idea como borrador" in page
    assert re.search(r'<button[^>]*name="data" value="send"[^>]*>Enviar mi idea</button>', page)
    assert re.search(r'<button[^>]*name="data" value="drop"[^>]*>Descartar</button>', page)
    # Kept on the server, with its button: not given back in the box as well (it would be sent
    # twice, or look as if it had not been kept).
    assert chat_input_box(page) == ""

    window_passes(person)
    client.post("/chat/", {"data": "send", "label": "Enviar mi idea"})
    page = client.get("/chat/").content.decode()
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA
    assert "Código de seguimiento" in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_web_chat_socket_offers_send_now_and_does_not_give_the_text_back():
    socket = await connect()
    await socket.receive_json_from(timeout=10)
    for data in ("start", "ok:yes", "lang:es", "reg:nuble"):
        await ask(socket, {"data": data})
    person = await database_sync_to_async(Person.objects.get)(identities__channel="webchat")
    await database_sync_to_async(sent_earlier)(person, 4, 2, channel="webchat")

    messages = await ask(socket, {"text": IDEA})
    assert "Guardé tu idea como borrador" in bot_texts(messages)
    assert messages[-1]["buttons"] == [
        {"label": "Enviar mi idea", "data": "send"},
        {"label": "Descartar", "data": "drop"},
    ]
    assert not any(m.get("refused_too_long") for m in messages)

    await database_sync_to_async(window_passes)(person)
    messages = await ask(socket, {"data": "send", "label": "Enviar mi idea"})
    [idea] = await database_sync_to_async(new_ideas)(person)
    assert idea.original_text == IDEA
    assert idea.formatted_code in bot_texts(messages)
    await socket.disconnect(timeout=10)


@pytest.mark.browser
@pytest.mark.postgres  # the browser talks to a daphne process that must see the test DB
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
def test_web_chat_in_a_browser_keeps_the_idea_and_sends_it_with_the_button():
    from playwright.sync_api import expect

    from tests.browser import chromium
    from tests.threads.servers import child_env, start_daphne
    from tests.threads.test_browser import _in_other_thread

    daphne = start_daphne({**child_env(), "BOTS_SUBMISSIONS_PER_WINDOW": "2"})
    try:
        with chromium() as browser:
            page = browser.new_context(locale="es-CL").new_page()
            page.goto(f"{daphne.origin}/chat/")
            log = page.locator("#chat-log")
            buttons = page.locator("#chat-buttons")
            for label in ("Acepto", "Español", "Ñuble"):
                button = buttons.get_by_role("button", name=label, exact=True)
                expect(button).to_have_count(1, timeout=15000)
                button.click()
            expect(log).to_contain_text("Listo", timeout=10000)
            # The database from the test's side, off Playwright's event loop thread.
            person = _in_other_thread(lambda: Person.objects.get(identities__channel="webchat"))
            _in_other_thread(lambda: sent_earlier(person, 4, 2, channel="webchat"))

            box = page.locator("#chat-text")
            box.fill(IDEA)
            box.press("Enter")
            expect(log).to_contain_text("Guardé tu idea como borrador", timeout=10000)
            # Kept on the server and quoted, with its button: the box stays empty.
            expect(box).to_have_value("")
            send = buttons.get_by_role("button", name="Enviar mi idea", exact=True)
            expect(buttons.get_by_role("button", name="Descartar", exact=True)).to_have_count(1)
            send.click()
            expect(log).to_contain_text("Todavía no puedo enviarla", timeout=10000)
            assert _in_other_thread(lambda: new_ideas(person)) == []

            _in_other_thread(lambda: window_passes(person))
            send.click()
            expect(log).to_contain_text("Código de seguimiento", timeout=10000)
    except Exception:
        print("daphne:", daphne.output())
        raise
    finally:
        daphne.stop()
    [idea] = new_ideas(person)
    assert idea.original_text == IDEA
    assert idea.channel == "webchat"
