"""Webhooks (Telegram, WhatsApp) and the no-JavaScript web chat page.

Webhooks only verify, store and hand off: they check what the platform signs before anything
else, store the update durably (unique per platform id) and answer 200. They never run the
conversation engine and never call the platform: the worker (``manage.py work``, kinds
``updates`` and ``replies``, forum/bots/pipeline.py) takes every stored update, processes it once
and sends the replies. Without a running worker nobody gets an answer. A database that cannot
take the update answers 503 so that the platform delivers it again.
"""

from __future__ import annotations

import hmac
import logging
import secrets
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.decorators import login_not_required
from django.db import OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from forum.core.text import load_json, storable_json
from forum.participation import services as p_services
from forum.participation.accounts import client_address

from . import chat_limit, pipeline, selectors, services, telegram, whatsapp
from .messages import Incoming, Kind

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1024 * 1024


def _limit() -> int:
    return int(getattr(settings, "BOTS_WEBHOOK_MAX_BYTES", MAX_BODY_BYTES))


def _too_big(request: HttpRequest) -> bool:
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return True
    return declared > _limit()


def _refuse(reason: str) -> HttpResponse:
    return HttpResponse(reason, status=400, content_type="text/plain")


def _read_json(request: HttpRequest) -> tuple[Any, HttpResponse | None]:
    """The body as JSON with every string made storable (no NUL, no lone surrogate: jsonb and
    text columns refuse them), or the answer refusing it: 413, or 400 for malformed JSON and
    for nesting past ``load_json``'s depth (never a RecursionError)."""
    if _too_big(request):
        return None, HttpResponse("too large", status=413, content_type="text/plain")
    try:
        raw = request.body
    except Exception:  # RequestDataTooBig and friends
        return None, HttpResponse("too large", status=413, content_type="text/plain")
    if len(raw) > _limit():
        return None, HttpResponse("too large", status=413, content_type="text/plain")
    try:
        return storable_json(load_json(raw)), None
    except ValueError as exc:
        log.warning("webhook body refused: %s", exc)
        return None, _refuse("malformed JSON")


async def _store(**kwargs: Any):
    # The request's own thread: Django gives its connection back when the request finishes.
    return await sync_to_async(services.update_store)(**kwargs)


def _busy() -> HttpResponse:
    """The database could not take the update in time: not stored, so ask the platform to
    deliver it again later (both Telegram and Meta retry non-2xx answers)."""
    response = HttpResponse("busy, retry", status=503, content_type="text/plain")
    response["Retry-After"] = "5"
    return response


def _ok() -> JsonResponse:
    return JsonResponse({"ok": True})


@csrf_exempt
@require_http_methods(["POST"])
async def telegram_webhook(request: HttpRequest) -> HttpResponse:
    secret = str(getattr(settings, "TELEGRAM_WEBHOOK_SECRET", "") or "")
    given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
    if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    data, error = _read_json(request)
    if error is not None:
        return error
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return _refuse("not an update")
    problem = telegram.shape_problem(data)
    if problem is not None:
        log.warning("Telegram update %s refused: %s", update_id, problem)
        return _refuse("not an update")
    try:
        # None when seen before: stored once, so processed once whatever the redeliveries.
        await _store(platform=telegram.PLATFORM, update_id=str(update_id), payload=data)
    except OperationalError:
        log.warning("could not store Telegram update %s", update_id, exc_info=True)
        return _busy()
    return _ok()  # the worker (`manage.py work`, kind "updates") processes it and replies


@csrf_exempt
@require_http_methods(["GET", "POST"])
async def whatsapp_webhook(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        token = str(getattr(settings, "WHATSAPP_VERIFY_TOKEN", "") or "")
        given = request.GET.get("hub.verify_token", "")
        if (
            request.GET.get("hub.mode") == "subscribe"
            and token
            and hmac.compare_digest(given.encode(), token.encode())
        ):
            return HttpResponse(request.GET.get("hub.challenge", ""), content_type="text/plain")
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    if _too_big(request):
        return HttpResponse("too large", status=413, content_type="text/plain")
    try:
        raw = request.body
    except Exception:
        return HttpResponse("too large", status=413, content_type="text/plain")
    if not whatsapp.signature_valid(raw, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponse("forbidden", status=403, content_type="text/plain")
    data, error = _read_json(request)
    if error is not None:
        return error
    try:
        batch = whatsapp.split_webhook(data)
    except whatsapp.ShapeError as exc:
        log.warning("WhatsApp webhook refused: %s", exc)
        return _refuse("not a webhook")
    for status in batch.statuses:
        if status.get("status") == "failed":
            log.warning("WhatsApp delivery failed: %s", status.get("errors"))
    for problem in batch.refused:
        log.warning("WhatsApp message refused: %s", problem)
    for message_id, payload in batch.messages:
        try:
            await _store(platform=whatsapp.PLATFORM, update_id=message_id, payload=payload)
        except OperationalError:
            # Meta redelivers the whole body; the messages already stored are deduplicated.
            log.warning("could not store WhatsApp message %s", message_id, exc_info=True)
            return _busy()
    if batch.refused:
        # The good messages of the body are stored (a redelivery finds them stored already).
        return _refuse(f"{len(batch.refused)} message(s) of an unexpected shape")
    return _ok()


# ---------------------------------------------------------------- web chat


def webchat_identity(request: HttpRequest) -> tuple[str, int | None]:
    """The web chat's address: the signed-in user's, or a random id kept in the session."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        person = p_services.person_for_user(user=user)
        return f"u{user.pk}", person.pk
    chat_id = request.session.get("webchat_id")
    if not chat_id:
        chat_id = secrets.token_urlsafe(16)
        request.session["webchat_id"] = chat_id
    return chat_id, None


# How much of a typed web chat message is read: far past an idea's limit, so that the bot's
# «Tu idea tiene N caracteres» states the real length of a long paste (it refuses it whole). The
# page has no maxlength either: the browser would cut the paste and the bot would count the stub.
WEBCHAT_TEXT_READ_MAX = 100_000

# Session key: the text of a message the bot refused for its length, put back in the page's
# input box (without JavaScript) so the person can shorten it instead of pasting it again.
WEBCHAT_REFUSED_TEXT = "webchat_refused_text"


def _still_active(request: HttpRequest) -> bool:
    """Whether the signed-in account still exists as such (``/borrar`` deactivates it)."""
    pk = request.user.pk
    return pk is not None and get_user_model().objects.filter(pk=pk, is_active=True).exists()


def _posted(request: HttpRequest, external_id: str, person_id: int | None) -> Incoming:
    """The message a chat page form posted: a button pressed, or text typed."""
    data = request.POST.get("data", "")
    if data:
        return Incoming(
            channel="webchat",
            external_id=external_id,
            kind=Kind.BUTTON,
            data=data[:200],
            person_id=person_id,
            language_hint=request.LANGUAGE_CODE,
            extra={"label": request.POST.get("label", "")[:100]},
        )
    return Incoming(
        channel="webchat",
        external_id=external_id,
        kind=Kind.TEXT,
        text=request.POST.get("text", "")[:WEBCHAT_TEXT_READ_MAX],
        person_id=person_id,
        language_hint=request.LANGUAGE_CODE,
    )


def _too_fast(request: HttpRequest, seconds: int) -> HttpResponse:
    """429: the message was not handled. Typed text waits in the page's input box."""
    text = request.POST.get("text", "")
    if text.strip() and not request.POST.get("data"):
        request.session[WEBCHAT_REFUSED_TEXT] = text[:WEBCHAT_TEXT_READ_MAX]
    message = chat_limit.too_fast_message(seconds)
    if "application/json" in request.headers.get("Accept", ""):
        response: HttpResponse = JsonResponse(
            {"error": "too_many_requests", "message": message, "retry_after": seconds},
            status=429,
        )
    else:
        response = render(
            request, "bots/chat_too_fast.html", {"message": message, "seconds": seconds}, status=429
        )
    response["Retry-After"] = str(seconds)
    return response


@login_not_required
@require_http_methods(["GET", "POST"])
def chat_page(request: HttpRequest) -> HttpResponse:
    external_id, person_id = webchat_identity(request)
    if request.method == "POST":
        wait = chat_limit.webchat_post_wait(
            conversation=external_id, address=client_address(request)
        )
        if wait:
            return _too_fast(request, wait)
        incoming = _posted(request, external_id, person_id)
        if incoming.kind == Kind.BUTTON or incoming.text.strip():
            shown = pipeline.webchat_handle(incoming)
            if incoming.kind == Kind.TEXT and any(m.refused_too_long for m in shown):
                request.session[WEBCHAT_REFUSED_TEXT] = incoming.text
            if person_id is not None and not _still_active(request):
                # /borrar erased the signed-in account: its conversation is gone with it, so
                # the bot's confirmation is shown on the page the person lands on, signed out.
                logout(request)
                for message in shown:
                    if message.direction == "out":
                        messages.success(request, message.text)
        return redirect(request.path + "#ultimo")
    pipeline.webchat_open(
        external_id=external_id, person_id=person_id, language=request.LANGUAGE_CODE
    )
    conv = selectors.conversation_get(channel="webchat", external_id=external_id)
    history = selectors.chat_history(conv) if conv is not None else []
    last_buttons = history[-1].buttons if history and history[-1].direction == "out" else []
    return render(
        request,
        "bots/chat.html",
        {
            "history": history,
            "last_buttons": last_buttons,
            "started": conv is not None and conv.state != "new",
            "refused_text": request.session.pop(WEBCHAT_REFUSED_TEXT, ""),
        },
    )
