"""A long idea pasted into the web chat: the page does not cut it (no maxlength), and the bot's
«too long» reply states its real length, on the socket and without JavaScript. Nothing is kept,
but the person gets their text back in the input box to shorten it."""

from __future__ import annotations

import re

import pytest
from channels.db import database_sync_to_async

from forum.participation.models import Idea
from tests.bots.conftest import chat_input_box
from tests.bots.test_webchat import ask, bot_texts, connect

LONG = ("Propongo más talleres de oficios en Chillán para jóvenes y mujeres. " * 150)[:9_999] + "!"


@pytest.mark.django_db
def test_the_chat_page_does_not_cut_a_paste(client):
    page = client.get("/chat/").content.decode()
    found = re.search(r"<textarea[^>]*id=\"chat-text\"[^>]*>", page)
    assert found is not None
    textarea = found.group(0)
    assert "maxlength" not in textarea


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("regions_present")
async def test_websocket_says_the_real_length_of_a_long_idea():
    assert len(LONG) == 10_000
    chat = await connect()
    await chat.receive_json_from(timeout=10)
    for data in ("start", "ok:yes", "lang:es", "reg:nuble"):
        await ask(chat, {"data": data})
    messages = await ask(chat, {"text": LONG})
    assert "Tu idea tiene 10.000 caracteres; el máximo es 5.000" in bot_texts(messages)
    # The page gives the text back on this flag (chat.js), not by reading the bot's words.
    assert [m.get("refused_too_long") for m in messages if m["from"] == "bot"] == [True]
    assert await database_sync_to_async(Idea.objects.count)() == 0
    accepted = await ask(chat, {"text": "Más talleres de oficios en Chillán"})
    assert not any(m.get("refused_too_long") for m in accepted)
    await chat.disconnect(timeout=10)


def _send_long_idea_without_javascript(client) -> str:
    """Consent, language and region through the form, then LONG; the page that follows."""
    client.get("/chat/")
    for data in ("start", "ok:yes", "lang:es", "reg:los-rios"):
        client.post("/chat/", {"data": data})
    client.post("/chat/", {"text": LONG})
    return client.get("/chat/").content.decode()


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_chat_page_without_javascript_says_the_real_length_of_a_long_idea(client):
    page = _send_long_idea_without_javascript(client)
    assert "Tu idea tiene 10.000 caracteres; el máximo es 5.000" in page
    assert not Idea.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("regions_present")
def test_chat_page_without_javascript_gives_a_long_idea_back_to_shorten(client):
    page = _send_long_idea_without_javascript(client)
    assert chat_input_box(page) == LONG  # whole, though the log keeps only 5.000 characters
    # Given back once: the next visit starts with an empty box.
    assert chat_input_box(client.get("/chat/").content.decode()) == ""
    client.post("/chat/", {"text": LONG[:200]})
    assert chat_input_box(client.get("/chat/").content.decode()) == ""
    assert Idea.objects.get().title  # the shortened text goes through
