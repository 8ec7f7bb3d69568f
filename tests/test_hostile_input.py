# ruff: noqa: F811 (the bots' fixtures, imported, are then named as test arguments)
"""Every hostile input of issue 14 (items 4 to 8), as tables, through the real entry points:
the API, the webhook views with fake platform APIs, the web chat page, the ASGI application's
sockets, the sign-up and merge forms. Each row is one input and what a person (or a platform)
must see instead of a 500, a dead socket or a lost message. docs/reliability.md («Hostile
input») lists them with what the system does.

NUL bytes and lone surrogates made PostgreSQL refuse a row (CI's second pass); on SQLite the
same rows are checked by what is stored: nothing unstorable reaches a table.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.models import Session
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum.asgi import application
from forum.bots.models import ChatMessage, InboundUpdate
from forum.participation.models import Person
from forum.threads.models import Post
from tests import factories
from tests.bots.conftest import (  # noqa: F401 (fixtures)
    SECRET,
    WA_SECRET,
    fake_telegram,
    fake_whatsapp,
    regions_present,
    run_worker,
    tg_callback,
    tg_message,
)
from tests.bots.fake_whatsapp import sign, text_message
from tests.moderation.moderation_helpers import moderator
from tests.threads.helpers import citizen, public_thread

UNSTORABLE = ("\x00", "\ud800")


def unstorable_in(value: Any) -> bool:
    return any(char in json.dumps(value, ensure_ascii=False) for char in UNSTORABLE) or (
        "\\u0000" in json.dumps(value) or "\\ud800" in json.dumps(value)
    )


# ---------------------------------------------------------------- 4. API filters

API_NUL = [
    "/api/ideas?q=%00",
    "/api/ideas?q=taller%00es",
    "/api/ideas?topic=%00",
    "/api/ideas?council=%00",
    "/api/ideas?region=bio%00bio",
    "/api/ideas?dialogue=%00",
    "/api/dialogues?region=%00",
    "/api/dialogues?council=%00",
]


@pytest.mark.django_db
@pytest.mark.parametrize("url", API_NUL)
def test_api_filter_with_a_nul_byte_is_a_documented_422(client, url):
    response = client.get(url)
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["loc"][0] == "query"
    spec = client.get("/api/openapi.json").json()
    path = url.split("?")[0]
    assert "422" in spec["paths"][path]["get"]["responses"]


# ---------------------------------------------------------------- 5. webhooks

TG_URL = "/bots/telegram/webhook/"
WA_URL = "/bots/whatsapp/webhook/"
DEEP = "[" * 5000 + "]" * 5000


def _tg(client, raw: bytes):
    response = client.post(
        TG_URL, raw, content_type="application/json", HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=SECRET
    )
    run_worker()  # the webhook only stores: the worker answers
    return response


def _wa(client, body: Any):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post(
        WA_URL, raw, content_type="application/json", HTTP_X_HUB_SIGNATURE_256=sign(raw, WA_SECRET)
    )
    run_worker()
    return response


def _tg_raw(update: dict) -> bytes:
    return json.dumps(update).encode()  # a lone surrogate goes out as the escape "\ud800"


# (name, body, status, updates stored, the bot answers)
TELEGRAM_CASES = [
    ("text with NUL", lambda: _tg_raw(tg_message(7001, "Hola\x00 mundo")), 200, 1, True),
    ("text with lone surrogate", lambda: _tg_raw(tg_message(7002, "Hola \ud800")), 200, 1, True),
    ("name with NUL", lambda: _tg_raw(_tg_named(7003, "Ca\x00mila")), 200, 1, True),
    (
        "5,000-deep JSON",
        lambda: f'{{"update_id": 1, "message": {DEEP}}}'.encode(),
        400,
        0,
        False,
    ),
    ("message of another shape", lambda: _tg_raw({"update_id": 2, "message": 5}), 400, 0, False),
    (
        "callback of another shape",
        lambda: _tg_raw({"update_id": 3, "callback_query": {"id": 1}}),
        400,
        0,
        False,
    ),
    ("not JSON", lambda: b"{oops", 400, 0, False),
]


def _tg_named(chat_id: int, first_name: str) -> dict:
    update = tg_message(chat_id, "/start")
    update["message"]["from"]["first_name"] = first_name
    return update


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
@pytest.mark.parametrize(
    ("name", "body", "status", "stored", "answered"),
    TELEGRAM_CASES,
    ids=[c[0] for c in TELEGRAM_CASES],
)
def test_telegram_hostile_bodies(client, fake_telegram, name, body, status, stored, answered):
    response = _tg(client, body())
    assert response.status_code == status
    rows = list(InboundUpdate.objects.all())
    assert len(rows) == stored
    assert not any(unstorable_in(row.payload) for row in rows)
    assert all(row.status == "processed" for row in rows)
    assert bool(fake_telegram.sent()) == answered


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
@pytest.mark.parametrize("data", ["top:²", "top:٣", "top:" + "9" * 30, "sup:²"])
def test_telegram_forged_callback_while_a_topic_is_asked(client, fake_telegram, data):
    factories.topic("Empleo juvenil")
    chat = 7100
    for update in (
        tg_message(chat, "/start"),
        tg_callback(chat, "ok:yes"),
        tg_callback(chat, "lang:es"),
        tg_callback(chat, "reg:nuble"),
        tg_message(chat, "Más talleres de soldadura para mujeres en Chillán"),
        tg_callback(chat, data),
    ):
        assert _tg(client, _tg_raw(update)).status_code == 200
    # Answered once each, none failed (a ValueError was retried until dead).
    assert not InboundUpdate.objects.exclude(status="processed").exists()
    assert "No entendí esa opción" in fake_telegram.sent()[-2]["text"]


PHONE = "56911112222"


def _wa_batch(*texts_or_messages: Any) -> dict:
    """One webhook body with several messages (a dict is put in as is)."""
    body = text_message(PHONE, "x", "wamid.0")
    messages = []
    for n, item in enumerate(texts_or_messages):
        if isinstance(item, dict):
            messages.append(item)
        else:
            messages.append(
                {
                    "from": PHONE,
                    "id": f"wamid.HBgLNTY5MTExMTIyMjIVAgASGBQz{n:04d}",
                    "timestamp": "1700000000",
                    "type": "text",
                    "text": {"body": item},
                }
            )
    body["entry"][0]["changes"][0]["value"]["messages"] = messages
    return body


LONG_PREFIX = "wamid." + "A" * 130


def _long_wamid(suffix: str) -> dict:
    return {
        "from": PHONE,
        "id": LONG_PREFIX + suffix,
        "timestamp": "1700000000",
        "type": "text",
        "text": {"body": f"Mensaje {suffix}"},
    }


# (name, body, status, messages stored)
WHATSAPP_CASES = [
    ("batch with a NUL", lambda: _wa_batch("Hola", "Ho\x00la", "/ayuda"), 200, 3),
    ("batch with a lone surrogate", lambda: _wa_batch("Hola", "Hola \ud800", "/ayuda"), 200, 3),
    (
        "batch with one message of another shape",
        lambda: _wa_batch("Hola", {"id": "wamid.bad", "type": "text", "text": 5}, "/ayuda"),
        400,
        2,
    ),
    ("message without an id", lambda: _wa_batch("Hola", {"type": "text"}), 400, 1),
    ("entry not a list", lambda: {"object": "whatsapp_business_account", "entry": 5}, 400, 0),
    ("changes not a list", lambda: {"entry": [{"changes": 5}]}, 400, 0),
    ("messages not a list", lambda: {"entry": [{"changes": [{"value": {"messages": 5}}]}]}, 400, 0),
    (
        "contacts of another shape",
        lambda: {"entry": [{"changes": [{"value": {"contacts": [1]}}]}]},
        400,
        0,
    ),
    ("5,000-deep JSON", lambda: f'{{"entry": {DEEP}}}'.encode(), 400, 0),
    (
        "two long ids sharing a prefix",
        lambda: _wa_batch(_long_wamid("-one"), _long_wamid("-two")),
        200,
        2,
    ),
]


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
@pytest.mark.parametrize(
    ("name", "body", "status", "stored"), WHATSAPP_CASES, ids=[c[0] for c in WHATSAPP_CASES]
)
def test_whatsapp_hostile_bodies(client, fake_whatsapp, name, body, status, stored):
    response = _wa(client, body())
    assert response.status_code == status
    rows = list(InboundUpdate.objects.all())
    assert len(rows) == stored
    assert not any(unstorable_in(row.payload) for row in rows)
    assert all(row.status == "processed" for row in rows)
    if stored:
        assert fake_whatsapp.delivered()  # the good messages were answered


# ---------------------------------------------------------------- 6. web chat

FORGED_BUTTONS = [
    "top:²",
    "top:٣",
    "top:" + "9" * 30,
    "top:-1",
    "sup:²",
    "sup:" + "9" * 30,
    "reg:\x00",
    "lang:\x00",
    "del:\x00",
    "\x00",
]


def _chat_after_consent(client: Client) -> None:
    client.get("/chat/")
    for data in ("start", "ok:yes", "lang:es", "reg:nuble"):
        assert client.post("/chat/", {"data": data}).status_code == 302


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
@pytest.mark.parametrize("data", FORGED_BUTTONS)
def test_webchat_page_forged_button_is_answered_not_500(client, data):
    factories.topic("Empleo juvenil")
    _chat_after_consent(client)
    # A topic is being asked: «top:» and «sup:» are read there.
    client.post("/chat/", {"text": "Más talleres de soldadura para mujeres en Chillán"})
    response = client.post("/chat/", {"data": data})
    assert response.status_code == 302
    assert client.get("/chat/").status_code == 200


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
# (A form cannot carry a lone surrogate: browsers send UTF-8, and Django decodes an invalid
# sequence as U+FFFD. The sockets and webhooks, which read JSON escapes, are tested with it.)
@pytest.mark.parametrize("text", ["Hola\x00 mundo", "\x00", "Ho\x00la\x00"])
def test_webchat_page_text_with_unstorable_characters(client, text):
    _chat_after_consent(client)
    assert client.post("/chat/", {"text": text}).status_code == 302
    assert client.get("/chat/").status_code == 200
    assert not any(unstorable_in(m.text) for m in ChatMessage.objects.all())


ORIGIN = (b"origin", b"http://testserver")


async def _chat_socket() -> WebsocketCommunicator:
    chat = WebsocketCommunicator(application, "/ws/chat/", headers=[ORIGIN])
    connected, _ = await chat.connect(timeout=10)
    assert connected
    await chat.receive_json_from(timeout=10)  # the history
    return chat


async def _still_open(chat: WebsocketCommunicator) -> None:
    await chat.send_json_to({"since": 0})
    reply = await chat.receive_json_from(timeout=10)
    assert reply["type"] == "messages"


# (name, frame) sent raw over the chat socket
CHAT_FRAMES = [
    ("not JSON", "{oops"),
    ("5,000-deep JSON", DEEP),
    ("forged button", json.dumps({"data": "top:²"})),
    ("NUL in text", json.dumps({"text": "Hola\x00"})),
    ("lone surrogate in text", '{"text": "Hola \\ud800"}'),
    ("not an object", "[1, 2]"),
]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
@pytest.mark.parametrize(("name", "frame"), CHAT_FRAMES, ids=[c[0] for c in CHAT_FRAMES])
async def test_chat_socket_survives_hostile_frames(name, frame):
    chat = await _chat_socket()
    try:
        # After consent, where what the person types is stored.
        for data in ("start", "ok:yes", "lang:es", "reg:nuble"):
            await chat.send_json_to({"data": data})
            assert (await chat.receive_json_from(timeout=10))["type"] == "messages"
        await chat.send_to(text_data=frame)
        if not await chat.receive_nothing(timeout=2):
            answer = await chat.receive_json_from(timeout=10)  # an answer, or none: not a close
            assert answer["type"] == "messages"
        await _still_open(chat)
    finally:
        await chat.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_chat_socket_flood_is_limited_and_a_huge_frame_refused():
    chat = await _chat_socket()
    try:
        for _ in range(40):
            await chat.send_json_to({"data": "start"})
        # Every frame answered, most of them by the refusal.
        replies = [await chat.receive_json_from(timeout=10) for _ in range(40)]
        refused = [m for r in replies for m in r["messages"] if "Demasiados mensajes" in m["text"]]
        assert len(refused) >= 20  # the rate limit answered (bursts of 10, then 5 a second)
        assert await chat.receive_nothing(timeout=1)
        await chat.send_to(text_data=json.dumps({"text": "x" * 70_000}))
        notice = (await chat.receive_json_from(timeout=10))["messages"][0]
        assert notice["refused_too_long"] is True
        assert "demasiado grande" in notice["text"]
    finally:
        await chat.disconnect()


@pytest.mark.django_db(transaction=True)
async def test_anonymous_chat_sockets_create_no_sessions():
    for _ in range(5):
        chat = await _chat_socket()
        await chat.disconnect()
    assert await database_sync_to_async(Session.objects.count)() == 0


# ---------------------------------------------------------------- 7. thread socket


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _thread_socket(user=None):
    thread = await database_sync_to_async(public_thread)()
    headers = [ORIGIN]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_cookie)(user)))
    comm = WebsocketCommunicator(application, f"/ws/threads/{thread.pk}/", headers=headers)
    connected, _ = await comm.connect(timeout=5)
    assert connected
    assert (await comm.receive_json_from(timeout=5))["type"] == "hello"
    return comm


@pytest.mark.django_db(transaction=True)
async def test_thread_socket_oversize_frame_is_answered_with_its_client_id_and_kept_open():
    comm = await _thread_socket()
    try:
        frame = {"type": "post.create", "body": "x" * 70_000, "client_id": "c3"}
        await comm.send_to(text_data=json.dumps(frame))
        error = await comm.receive_json_from(timeout=5)
        assert (error["code"], error["client_id"]) == ("too_large", "c3")
        await comm.send_json_to({"type": "ping"})
        assert (await comm.receive_json_from(timeout=5))["type"] == "pong"
    finally:
        await comm.disconnect()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("escaped", [False, True], ids=["utf-8", "json-escaped"])
async def test_thread_socket_accepts_the_longest_post_the_form_accepts(escaped):
    user, _person = await database_sync_to_async(citizen)("emojis")
    comm = await _thread_socket(user)
    try:
        body = "😀" * 4500  # 4,500 characters: the form takes it (at most 5,000)
        frame = json.dumps(
            {"type": "post.create", "body": body, "client_id": "c1"}, ensure_ascii=escaped
        )
        await comm.send_to(text_data=frame)
        replies = [await comm.receive_json_from(timeout=10) for _ in range(2)]
        ack = next(r for r in replies if r["type"] != "post.created")
        assert ack["type"] == "post.ack", ack
        post = await database_sync_to_async(Post.objects.get)(pk=ack["post_id"])
        assert post.body == body
    finally:
        await comm.disconnect()


# ---------------------------------------------------------------- 8. sign-up


def _signup(client: Client, username: str, email: str):
    return client.post(
        reverse("signup"),
        {
            "username": username,
            "email": email,
            "password1": "una-clave-larga-99",
            "password2": "una-clave-larga-99",
            "consent": "on",
        },
        follow=True,
    )


def _page(response) -> str:
    return re.sub(r'value="[A-Za-z0-9]{32,}"', "", response.content.decode())


@pytest.mark.django_db
def test_signup_answers_the_same_whether_the_address_has_an_account():
    factories.user("dueña", email="duena@example.cl")
    taken = _signup(Client(), "otra", "Duena@Example.cl")
    new = _signup(Client(), "nueva", "nueva@example.cl")
    assert taken.status_code == new.status_code == 200
    assert taken.redirect_chain == new.redirect_chain
    assert _page(taken) == _page(new)
    assert "Ya existe una cuenta" not in taken.content.decode()
    # The mail tells the owner of the address, and only them.
    to_owner, to_new = mail.outbox
    assert to_owner.to == ["duena@example.cl"]
    assert "ya tienes" in to_owner.body
    assert "/cuenta/registro/activar/" in to_new.body
    assert not Person.objects.filter(user__username="otra").exists()


# ---------------------------------------------------------------- 5. moderation merge form


@pytest.mark.django_db
def test_merge_form_with_a_5000_deep_versions_field_is_a_form_error(client):
    client.force_login(moderator("moderadora"))
    canonical = factories.idea(title="Más cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla en Coronel")
    url = reverse("moderation:merge", args=[dup.pk])
    data = {
        "candidate": [dup.pk, canonical.pk],
        "canonical": canonical.pk,
        "merged": [dup.pk],
        "public_text": "",
        "public_title": "",
        "reason": "Misma propuesta",
        "versions": DEEP,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Formulario dañado" in str(response.context["form"].errors["versions"])
