"""The web chat: the same engine over a WebSocket (no browser) and as plain HTML forms."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from forum.asgi import application
from forum.bots.models import ChatMessage, Conversation
from forum.notifications.worker import deliver_due
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ChannelIdentity, Idea, Person
from tests import factories

ORIGIN = [(b"origin", b"http://testserver")]


async def connect(headers=ORIGIN) -> WebsocketCommunicator:
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, _code = await communicator.connect(timeout=10)
    assert connected
    return communicator


async def ask(communicator, payload) -> list[dict]:
    await communicator.send_json_to(payload)
    reply = await communicator.receive_json_from(timeout=10)
    assert reply["type"] == "messages"
    return reply["messages"]


def bot_texts(messages) -> str:
    return "\n".join(m["text"] for m in messages if m["from"] == "bot")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_websocket_conversation_from_consent_to_tracking_code():
    chat = await connect()
    first = await chat.receive_json_from(timeout=10)
    assert first == {"type": "messages", "messages": [], "history": True}

    messages = await ask(chat, {"data": "start"})
    assert "Ley 21.719" in bot_texts(messages)
    assert {"label": "Acepto", "data": "ok:yes"} in messages[-1]["buttons"]
    assert await database_sync_to_async(Person.objects.count)() == 0

    messages = await ask(chat, {"data": "ok:yes", "label": "Acepto"})
    assert {"label": "English", "data": "lang:en"} in messages[-1]["buttons"]
    await ask(chat, {"data": "lang:es"})
    messages = await ask(chat, {"data": "reg:nuble"})
    assert "Ñuble" in bot_texts(messages)

    typed = "<script>alert(1)</script> Más talleres de oficios en Chillán"
    messages = await ask(chat, {"text": typed})
    assert messages[0] == {"id": messages[0]["id"], "from": "me", "buttons": [], "text": typed}
    idea = await database_sync_to_async(Idea.objects.get)()
    assert idea.channel == "webchat"
    assert idea.formatted_code in bot_texts(messages)

    # Reconnecting shows the history, including what the person wrote.
    await chat.disconnect(timeout=10)
    # The session cookie is what ties a page to its chat; without one it is a new chat.
    fresh = await connect()
    assert (await fresh.receive_json_from(timeout=10))["messages"] == []
    await fresh.disconnect(timeout=10)


@pytest.mark.django_db(transaction=True)
async def test_websocket_refuses_foreign_origins():
    communicator = WebsocketCommunicator(
        application, "/ws/chat/", headers=[(b"origin", b"http://evil.example")]
    )
    connected, _code = await communicator.connect(timeout=10)
    assert not connected


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_signed_in_user_chats_as_their_person_and_receives_pushes(settings):
    user = await database_sync_to_async(factories.user)("ana")
    person = await database_sync_to_async(services.person_for_user)(user=user)

    # AuthMiddlewareStack reads the user from the session cookie, as for a real page.
    from django.test import Client

    client = Client()
    await database_sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    communicator = WebsocketCommunicator(
        application, "/ws/chat/", headers=[*ORIGIN, (b"cookie", cookie)]
    )
    connected, _code = await communicator.connect(timeout=10)
    assert connected
    await communicator.receive_json_from(timeout=10)
    messages = await ask(communicator, {"text": "Una feria laboral en Punta Arenas"})
    idea = await database_sync_to_async(Idea.objects.get)()
    assert idea.author_id == person.pk  # consent was given when the account was created
    assert idea.formatted_code in bot_texts(messages)
    assert (
        await database_sync_to_async(
            ChannelIdentity.objects.filter(person=person, channel="webchat").exists
        )()
        is False
    )

    await database_sync_to_async(factories.identity)(person, "webchat", f"u{user.pk}")
    await database_sync_to_async(services.idea_transition)(
        idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None
    )
    await database_sync_to_async(deliver_due)()
    push = await communicator.receive_json_from(timeout=10)
    assert idea.formatted_code in push["messages"][0]["text"]
    assert "En revisión" in push["messages"][0]["text"]
    await communicator.disconnect(timeout=10)
    stored = await database_sync_to_async(
        lambda: list(ChatMessage.objects.filter(text__contains="En revisión"))
    )()
    assert len(stored) == 1  # kept in the history for a page that reconnects


@pytest.mark.django_db
def test_chat_page_works_without_javascript(client):
    page = client.get("/chat/")
    assert page.status_code == 200
    assert b'name="data" value="start"' in page.content
    assert client.post("/chat/", {"data": "start"}).status_code == 302
    page = client.get("/chat/")
    assert "Ley 21.719" in page.content.decode()
    assert b'value="ok:yes"' in page.content
    for data in ("ok:yes", "lang:es", "reg:los-rios"):
        client.post("/chat/", {"data": data})
    client.post("/chat/", {"text": "Capacitación en turismo <b>rural</b> para Panguipulli"})
    page = client.get("/chat/").content.decode()
    idea = Idea.objects.get()
    assert idea.formatted_code in page
    assert "&lt;b&gt;rural&lt;/b&gt;" in page
    assert "<b>rural</b>" not in page
    conv = Conversation.objects.get(channel="webchat")
    assert conv.person == idea.author
    assert re.search(r"[A-Za-z0-9_-]{16,}", conv.external_id)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_websocket_asks_consent_in_the_pages_language_and_again_after_a_switch():
    from django.test import Client

    # One session (the web chat's address), as one browser switching the site's language.
    client = Client()
    await database_sync_to_async(client.get)("/chat/")
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    headers = [*ORIGIN, (b"cookie", cookie)]

    english = WebsocketCommunicator(application, "/ws/chat/?lang=en", headers=headers)
    assert (await english.connect(timeout=10))[0]
    await english.receive_json_from(timeout=10)
    messages = await ask(english, {"data": "start"})
    assert "Law 21.719" in bot_texts(messages)
    assert "Ley" not in bot_texts(messages)
    assert messages[-1]["buttons"] == [
        {"label": "I agree", "data": "ok:yes"},
        {"label": "I don't agree", "data": "ok:no"},
    ]
    await english.disconnect(timeout=10)

    # Back in Spanish before accepting: the notice is asked again, in Spanish, on opening.
    spanish = WebsocketCommunicator(application, "/ws/chat/?lang=es", headers=headers)
    assert (await spanish.connect(timeout=10))[0]
    history = (await spanish.receive_json_from(timeout=10))["messages"]
    assert "Ley 21.719" in history[-1]["text"]
    assert history[-1]["buttons"][0] == {"label": "Acepto", "data": "ok:yes"}
    messages = await ask(spanish, {"data": "ok:yes", "label": "Acepto"})
    person = await database_sync_to_async(Person.objects.get)()
    assert person.language == "es"
    await spanish.disconnect(timeout=10)


@pytest.mark.django_db(transaction=True)
async def test_websocket_without_lang_follows_the_language_cookie():
    headers = [*ORIGIN, (b"cookie", b"django_language=en")]
    chat = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    assert (await chat.connect(timeout=10))[0]
    await chat.receive_json_from(timeout=10)
    messages = await ask(chat, {"data": "start"})
    assert "Law 21.719" in bot_texts(messages)
    await chat.disconnect(timeout=10)


@pytest.mark.django_db
def test_chat_page_in_english_asks_consent_in_english_without_javascript(client):
    client.cookies["django_language"] = "en"
    page = client.get("/chat/").content.decode()
    assert 'data-ws-path="/ws/chat/?lang=en"' in page
    client.post("/chat/", {"data": "start"})
    page = client.get("/chat/").content.decode()
    assert "Law 21.719" in page
    assert ">I agree</button>" in page
    # Switching the site to Spanish before accepting asks again, in Spanish.
    client.cookies["django_language"] = "es"
    page = client.get("/chat/").content.decode()
    assert "Ley 21.719" in page
    assert ">Acepto</button>" in page


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_erasing_from_the_signed_in_chat_erases_the_web_account_too(client):
    """/borrar in the chat of a signed-in person does what «Mis datos» does: the account's
    username and e-mail go as well, and it can no longer sign in; the idea stays, anonymous."""
    from django.contrib.auth import get_user_model

    user = factories.user("ana-borrar", email="ana@example.cl")
    person = services.person_for_user(user=user)
    client.force_login(user)
    client.post("/chat/", {"text": "Una feria laboral en Punta Arenas"})
    idea = Idea.objects.get()
    assert idea.author_id == person.pk

    client.post("/chat/", {"text": "/borrar"})
    client.post("/chat/", {"data": "del:yes"})
    page = client.get("/chat/").content.decode()
    assert "Borramos tus datos personales" in page

    user = get_user_model().objects.get(pk=user.pk)
    assert not user.is_active
    assert user.email == ""
    assert "ana" not in user.username
    assert not client.login(username="ana-borrar", password="clave-segura-123")
    idea.refresh_from_db()
    assert idea.author_id == person.pk
    assert Person.objects.get(pk=person.pk).erased_at is not None


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_a_moderator_cannot_erase_their_account_from_the_chat(client):
    """The audit trail needs to know who moderated: the chat refuses, as «Mis datos» does,
    and says whom to ask; nothing is erased."""
    from tests.moderation.moderation_helpers import moderator

    user = moderator("mod-borrar")
    person = services.person_for_user(user=user)
    client.force_login(user)
    client.post("/chat/", {"text": "/borrar"})
    client.post("/chat/", {"data": "del:yes"})
    page = client.get("/chat/").content.decode()
    assert "un administrador atenderá tu solicitud" in page
    user.refresh_from_db()
    assert user.is_active
    assert Person.objects.get(pk=person.pk).erased_at is None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_erasing_over_the_socket_confirms_then_ends_the_signed_in_chat():
    """Over the socket, /borrar of a signed-in account shows the confirmation, then the socket
    closes with 4001 so the page stops speaking for an account that no longer exists."""
    from django.test import Client

    from forum.bots.consumers import ACCOUNT_ERASED

    user = await database_sync_to_async(factories.user)("bea-borrar")
    await database_sync_to_async(services.person_for_user)(user=user)
    client = Client()
    await database_sync_to_async(client.force_login)(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}".encode()
    chat = WebsocketCommunicator(application, "/ws/chat/", headers=[*ORIGIN, (b"cookie", cookie)])
    connected, _code = await chat.connect(timeout=10)
    assert connected
    await chat.receive_json_from(timeout=10)
    await ask(chat, {"text": "/borrar"})
    messages = await ask(chat, {"data": "del:yes", "label": "Sí, borrar"})
    assert "Borramos tus datos personales" in bot_texts(messages)
    closed = await chat.receive_output(timeout=10)
    assert closed == {"type": "websocket.close", "code": ACCOUNT_ERASED}


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_links_in_the_chat_are_clickable_without_javascript_and_markup_stays_text(client):
    for data in ("start", "ok:yes", "lang:es", "reg:los-rios"):
        client.post("/chat/", {"data": data})
    idea = factories.idea(title="Feria laboral en Valdivia")
    client.post("/chat/", {"text": f"/estado {idea.formatted_code}"})
    client.post("/chat/", {"text": '<a href="javascript:alert(1)">x</a> (https://example.org/a).'})
    page = client.get("/chat/").content.decode()
    assert re.search(
        rf'<a href="http[^"]*/ideas/{idea.tracking_code}/" rel="noopener noreferrer nofollow"',
        page,
    ), page
    assert '<a href="https://example.org/a" rel="noopener noreferrer nofollow">' in page
    assert '<a href="javascript' not in page
    assert "&lt;a href=" in page


@pytest.mark.django_db
def test_a_signed_in_person_on_the_english_site_gets_english_replies(client):
    user = factories.user("ana_en")
    person = services.person_for_user(user=user)
    assert person.language == "es"
    client.force_login(user)
    client.cookies["django_language"] = "en"
    client.post("/chat/", {"text": "help"})
    page = client.get("/chat/").content.decode()
    assert "This is what I can do" in page
    assert "Esto es lo que puedo hacer" not in page
    # /status is the English name of /estado.
    idea = factories.idea(title="Feria laboral en Valdivia")
    client.post("/chat/", {"text": f"/status {idea.formatted_code}"})
    assert "Supports: 0" in client.get("/chat/").content.decode()
