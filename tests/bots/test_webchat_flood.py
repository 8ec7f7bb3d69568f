"""The no-JavaScript web chat (``POST /chat/``) under a flood: the one rate limiter
(forum/bots/chat_limit.py) answers 429 per conversation and per client address; what it refuses
is neither handled nor lost, and ordinary use never meets it."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from forum.bots.models import ChatMessage
from forum.participation import services
from tests import factories

from .conftest import chat_input_box

pytestmark = pytest.mark.django_db


def signed_in_chat(username: str) -> Client:
    client = Client()
    user = factories.user(username, email=f"{username}@example.cl")
    services.person_for_user(user=user)
    client.force_login(user)
    return client


def received(text: str) -> int:
    return ChatMessage.objects.filter(direction=ChatMessage.Direction.IN, text=text).count()


def test_a_flood_gets_429_and_nothing_refused_is_handled_or_lost(settings):
    settings.WEBCHAT_POSTS_PER_WINDOW = 5
    client = signed_in_chat("ana-rapida")
    statuses = [client.post("/chat/", {"text": "/ayuda"}).status_code for _ in range(8)]
    assert statuses == [302] * 5 + [429] * 3
    assert received("/ayuda") == 5  # each accepted message handled once, the refused never

    late = "Más ferias laborales en Punta Arenas"
    refused = client.post("/chat/", {"text": late})
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = refused.content.decode()
    assert "Estás enviando mensajes demasiado rápido" in page
    assert "Espera" in page
    assert "segundos" in page
    assert received(late) == 0
    # Back in the chat, the refused text waits in the input box to be sent again.
    assert chat_input_box(client.get("/chat/").content.decode()) == late


def test_the_limit_is_per_client_address_too(settings):
    """A flood without cookies gets a new session (a new conversation) at every post."""
    settings.WEBCHAT_POSTS_PER_ADDRESS = 3
    same = [Client(REMOTE_ADDR="203.0.113.7") for _ in range(5)]
    statuses = [c.post("/chat/", {"data": "start"}).status_code for c in same]
    assert statuses == [302, 302, 302, 429, 429]
    other = Client(REMOTE_ADDR="198.51.100.20")
    assert other.post("/chat/", {"data": "start"}).status_code == 302


def test_the_refusal_is_in_english_and_json_when_asked(settings):
    settings.WEBCHAT_POSTS_PER_WINDOW = 1
    client = Client()
    client.cookies["django_language"] = "en"
    assert client.post("/chat/", {"data": "start"}).status_code == 302
    page = client.post("/chat/", {"data": "start"})
    assert page.status_code == 429
    assert "You are sending messages too fast" in page.content.decode()
    answer = client.post("/chat/", {"data": "start"}, HTTP_ACCEPT="application/json")
    assert answer.status_code == 429
    body = json.loads(answer.content)
    assert body["error"] == "too_many_requests"
    assert body["retry_after"] == int(answer["Retry-After"]) >= 1
    assert "too fast" in body["message"]


@pytest.mark.usefixtures("regions_present")
def test_a_whole_conversation_at_a_persons_pace_never_meets_the_limit():
    client = Client()
    posts = [{"data": d} for d in ("start", "ok:yes", "lang:es", "reg:los-rios")]
    posts += [{"text": "/ayuda"}, {"text": "Capacitación en turismo rural para Panguipulli"}]
    posts += [{"text": "/mis_ideas"}, {"text": "/ayuda"}]
    assert [client.post("/chat/", p).status_code for p in posts] == [302] * len(posts)
    assert "Panguipulli" in client.get("/chat/").content.decode()
