"""The webhooks through the production ASGI application (``forum.asgi.application``).

Platform POSTs are routed past the browser middleware (``forum.core.asgi``); these tests make
sure that route still checks the secret or signature first, stores and answers, and that every
other page still goes through the full middleware stack.
"""

from __future__ import annotations

import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import HttpCommunicator

from forum.asgi import application
from forum.bots.models import InboundUpdate

from .conftest import SECRET, WA_SECRET, run_worker, tg_message
from .fake_whatsapp import sign, text_message

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


async def call(method: str, path: str, body: bytes = b"", headers=()) -> dict:
    communicator = HttpCommunicator(
        application,
        method,
        path,
        body=body,
        headers=[(b"host", b"testserver"), *headers],
    )
    response = await communicator.get_response(timeout=10)
    # Let the handler finish (response.close, request_finished: the connection goes back to the
    # pool) as daphne does; otherwise the test would leak one pooled connection per request.
    await communicator.wait(timeout=10)
    return response


@database_sync_to_async
def stored(**filters) -> int:
    """Stored updates (read like a consumer does, so the connection goes back to the pool)."""
    return InboundUpdate.objects.filter(**filters).count()


def header(response: dict, name: bytes) -> bytes | None:
    return dict((k.lower(), v) for k, v in response["headers"]).get(name)


async def test_telegram_update_through_asgi_is_stored_and_answered(fake_telegram, regions_present):
    body = json.dumps(tg_message(770001, "/start")).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"x-telegram-bot-api-secret-token", SECRET.encode()),
    ]
    response = await call("POST", "/bots/telegram/webhook/", body, headers)
    assert response["status"] == 200
    assert json.loads(response["body"]) == {"ok": True}
    assert header(response, b"content-length") == str(len(response["body"])).encode()
    assert await stored(platform="telegram") == 1
    # The worker answers: the welcome with the consent question reached the (fake) Telegram.
    await database_sync_to_async(run_worker)()
    assert fake_telegram.sent(770001)

    again = await call("POST", "/bots/telegram/webhook/", body, headers)
    assert again["status"] == 200
    assert await stored(platform="telegram") == 1


@pytest.mark.parametrize(
    ("secret", "body", "status"),
    [
        (b"wrong", json.dumps({"update_id": 1}).encode(), 403),
        (None, json.dumps({"update_id": 1}).encode(), 403),
        (SECRET.encode(), b"{not json", 400),
        (SECRET.encode(), b"", 400),
        (SECRET.encode(), json.dumps({"no": "update_id"}).encode(), 400),
    ],
)
async def test_telegram_bad_requests_through_asgi_store_nothing(
    fake_telegram, secret, body, status
):
    headers = [(b"content-type", b"application/json")]
    if secret is not None:
        headers.append((b"x-telegram-bot-api-secret-token", secret))
    response = await call("POST", "/bots/telegram/webhook/", body, headers)
    assert response["status"] == status
    assert await stored() == 0
    assert fake_telegram.sent() == []


async def test_telegram_webhook_refuses_get_through_asgi(fake_telegram):
    response = await call("GET", "/bots/telegram/webhook/")
    assert response["status"] == 405


async def test_whatsapp_through_asgi_checks_signature_then_stores(fake_whatsapp, regions_present):
    raw = json.dumps(text_message("56911112222", "hola", "wamid.ASGI000001")).encode()
    forged = await call(
        "POST",
        "/bots/whatsapp/webhook/",
        raw,
        [(b"content-type", b"application/json"), (b"x-hub-signature-256", sign(raw, "x").encode())],
    )
    assert forged["status"] == 403
    assert await stored() == 0

    good = await call(
        "POST",
        "/bots/whatsapp/webhook/",
        raw,
        [
            (b"content-type", b"application/json"),
            (b"x-hub-signature-256", sign(raw, WA_SECRET).encode()),
        ],
    )
    assert good["status"] == 200
    assert await stored(platform="whatsapp") == 1
    await database_sync_to_async(run_worker)()
    assert fake_whatsapp.delivered("56911112222")


async def test_pages_still_get_the_browser_middleware(regions_present):
    page = await call("GET", "/")
    assert page["status"] == 200
    # Clickjacking protection and the negotiated language come from the middleware stack.
    assert header(page, b"x-frame-options") == b"DENY"
    assert header(page, b"content-language") == b"es"
    # A look-alike path is not the webhook: it goes through Django's full stack (and 404s).
    other = await call("POST", "/bots/telegram/webhook/extra/", b"{}")
    assert other["status"] in (403, 404)
