"""Fixtures for the bot tests: fake platform servers and real-shaped Telegram updates."""

from __future__ import annotations

import html
import itertools
import json
import re
import time
from typing import Any

import pytest

from .fake_telegram import FakeTelegram
from .fake_whatsapp import FakeWhatsApp, sign

SECRET = "s3cr3t-webhook-token"
WA_SECRET = "meta-app-secret"
WA_VERIFY = "verify-me"
CHAT_GROUP = -1001234567890

_update_ids = itertools.count(500_000_000)
_message_ids = itertools.count(1)


def run_worker() -> int:
    """What `manage.py work` does for the bots, once: process every stored update and send its
    replies (kind "updates"), resend what is due (kind "replies"), until nothing is left. The
    webhooks only store updates, so tests run this before reading the fake platforms."""
    from forum.core import jobs

    return jobs.run(["updates", "replies"], once=True)


@pytest.fixture
def regions_present(django_db_blocker):
    """Transactional tests elsewhere flush every table, the regions of the data migration
    included; put them back (idempotent) for tests that need them."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("forum.participation.migrations.0002_regions")
    with django_db_blocker.unblock():
        migration.forwards(apps, None)


@pytest.fixture
def fake_telegram(settings):
    fake = FakeTelegram().start()
    settings.TELEGRAM_API_URL = fake.base_url
    settings.TELEGRAM_BOT_TOKEN = "123456:TEST-token"
    settings.TELEGRAM_WEBHOOK_SECRET = SECRET
    settings.TELEGRAM_BOT_USERNAME = ""
    yield fake
    fake.stop()


@pytest.fixture
def fake_whatsapp(settings):
    fake = FakeWhatsApp().start()
    settings.WHATSAPP_API_URL = fake.base_url
    settings.WHATSAPP_PHONE_NUMBER_ID = "1234567890"
    settings.WHATSAPP_ACCESS_TOKEN = "wa-token"
    settings.WHATSAPP_APP_SECRET = WA_SECRET
    settings.WHATSAPP_VERIFY_TOKEN = WA_VERIFY
    yield fake
    fake.stop()


def tg_user(
    user_id: int,
    first_name: str = "Camila",
    last_name: str | None = "Pérez",
    language_code: str = "es",
) -> dict[str, Any]:
    user = {
        "id": user_id,
        "is_bot": False,
        "first_name": first_name,
        "language_code": language_code,
    }
    if last_name:
        user["last_name"] = last_name
    return user


def tg_chat(chat_id: int, kind: str = "private", title: str | None = None) -> dict[str, Any]:
    chat: dict[str, Any] = {"id": chat_id, "type": kind}
    if kind == "private":
        chat["first_name"] = "Camila"
    else:
        chat["title"] = title or "Consejo Biobío"
    return chat


def tg_message(
    chat_id: int,
    text: str | None = None,
    *,
    user_id: int | None = None,
    chat_type: str = "private",
    extra: dict | None = None,
    user: dict | None = None,
) -> dict[str, Any]:
    """An update with a message, as Telegram posts it to a webhook."""
    user = user or tg_user(user_id or chat_id)
    message: dict[str, Any] = {
        "message_id": next(_message_ids),
        "from": user,
        "chat": tg_chat(chat_id, chat_type),
        "date": int(time.time()),
    }
    if text is not None:
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"offset": 0, "length": len(command), "type": "bot_command"}]
    message.update(extra or {})
    return {"update_id": next(_update_ids), "message": message}


def tg_callback(
    chat_id: int, data: str, *, user_id: int | None = None, user: dict | None = None
) -> dict[str, Any]:
    user = user or tg_user(user_id or chat_id)
    return {
        "update_id": next(_update_ids),
        "callback_query": {
            "id": str(next(_message_ids) * 7919),
            "from": user,
            "chat_instance": "-7001",
            "data": data,
            "message": {
                "message_id": next(_message_ids),
                "date": int(time.time()),
                "chat": tg_chat(chat_id),
                "from": {
                    "id": 424242,
                    "is_bot": True,
                    "first_name": "Foro Abierto",
                    "username": "ForoAbiertoBot",
                },
                "text": "¿En qué idioma prefieres conversar?",
            },
        },
    }


def post_update(
    client,
    update: dict[str, Any] | bytes | str,
    *,
    secret: str | None = SECRET,
    work: bool = True,
):
    """POST an update to the Telegram webhook as Telegram does, then (``work``) let the worker
    answer it as `manage.py work` would; returns the webhook's response."""
    headers = {}
    if secret is not None:
        headers["HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN"] = secret
    body = update if isinstance(update, bytes | str) else json.dumps(update)
    response = client.post(
        "/bots/telegram/webhook/", data=body, content_type="application/json", **headers
    )
    if work:
        run_worker()
    return response


def post_whatsapp(client, raw: bytes, *, signature: str | None = None, work: bool = True):
    """POST a body to the WhatsApp webhook signed as Meta does (or with ``signature``), then
    (``work``) let the worker answer it; returns the webhook's response."""
    headers = {"HTTP_X_HUB_SIGNATURE_256": sign(raw, WA_SECRET) if signature is None else signature}
    response = client.post(
        "/bots/whatsapp/webhook/", data=raw, content_type="application/json", **headers
    )
    if work:
        run_worker()
    return response


def buttons_of(params: dict[str, Any]) -> list[tuple[str, str]]:
    markup = params.get("reply_markup") or {}
    if isinstance(markup, str):
        markup = json.loads(markup)
    return [
        (b["text"], b["callback_data"]) for row in markup.get("inline_keyboard", []) for b in row
    ]


def chat_input_box(page: str) -> str:
    """What the web chat page (no JavaScript) has in its input box."""
    box = re.search(r'<textarea[^>]*id="chat-text"[^>]*>(.*?)</textarea>', page, re.S)
    assert box is not None
    return html.unescape(box[1])
