"""The web chat over a WebSocket: a thin adapter around the conversation engine.

The socket's address carries the chat page's active language (``/ws/chat/?lang=en``): until
the person consents, the bot speaks it (the privacy notice must be read in a language they
chose on the site). Client → server: ``{"text": "..."}`` or
``{"data": "lang:es", "label": "Español"}`` or ``{"since": <last message id>}`` (after a
reconnect). Server → client:
``{"type": "messages", "messages": [{"id", "from": "bot"|"me", "text", "buttons"}]}``; a bot
message that refused the person's text for its length adds ``"refused_too_long": true``.
A signed-in person who erases their account with /borrar gets the confirmation, then the
socket closes with code 4001 (``ACCOUNT_ERASED``) and the page does not reconnect.
Pushes (status changes of the person's ideas) arrive on the group ``webchat.<id>`` with only a
message id; the consumer reads that message and forwards it.
"""

from __future__ import annotations

import secrets
from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header

from forum.core.sockets import TOO_LARGE, FrameGuard, read_frame, refusal_message
from forum.participation import services as p_services

from . import pipeline, selectors, services
from .messages import Incoming, Kind
from .models import ChatMessage
from .views import WEBCHAT_TEXT_READ_MAX


def serialise(message: ChatMessage) -> dict[str, Any]:
    data = {
        "id": message.pk,
        "from": "bot" if message.direction == ChatMessage.Direction.OUT else "me",
        "text": message.text,
        "buttons": message.buttons,
    }
    if message.refused_too_long:
        data["refused_too_long"] = True  # the page gives the person's text back to shorten
    return data


# Close code of a signed-in chat whose account was just erased (4000-4999: the application's).
ACCOUNT_ERASED = 4001


@database_sync_to_async
def _account_erased(scope: dict[str, Any]) -> bool:
    user = scope.get("user")
    if user is None or not user.is_authenticated:
        return False
    return not get_user_model().objects.filter(pk=user.pk, is_active=True).exists()


def group_name(external_id: str) -> str:
    return f"webchat.{external_id}"


@database_sync_to_async
def _identity(scope: dict[str, Any]) -> tuple[str, int | None]:
    """The chat this socket speaks for: the signed-in person's, the one the chat page put in
    the session (``views.webchat_identity``), or else one for this socket alone. A socket
    never creates or saves a session: it cannot send the cookie that would name it, so each
    anonymous connection would only leave one more session row behind."""
    user = scope.get("user")
    if user is not None and user.is_authenticated:
        return f"u{user.pk}", p_services.person_for_user(user=user).pk
    session = scope.get("session")
    chat_id = session.get("webchat_id") if session is not None else None
    if isinstance(chat_id, str) and chat_id:
        return chat_id, None
    return secrets.token_urlsafe(16), None


def page_language(scope: dict[str, Any]) -> str:
    """The language of the page that opened the socket: its ``?lang=``, else what Django's
    LocaleMiddleware would pick (language cookie, then Accept-Language); "" if none fits."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    candidates = query.get("lang", [])[:1]
    candidates.append((scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME, ""))
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    candidates += [code for code, _q in parse_accept_lang_header(accept) if code != "*"]
    for code in candidates:
        try:
            return services.hint_language(get_supported_language_variant(code))
        except LookupError:
            continue
    return ""


@database_sync_to_async
def _open(external_id: str, person_id: int | None, language: str) -> None:
    pipeline.webchat_open(external_id=external_id, person_id=person_id, language=language)


@database_sync_to_async
def _history(external_id: str, since: int) -> list[dict[str, Any]]:
    conv = selectors.conversation_get(channel="webchat", external_id=external_id)
    if conv is None:
        return []
    return [serialise(m) for m in selectors.chat_history(conv, since_id=since)]


@database_sync_to_async
def _handle(incoming: Incoming) -> list[dict[str, Any]]:
    return [serialise(m) for m in pipeline.webchat_handle(incoming)]


@database_sync_to_async
def _message(message_id: int, external_id: str) -> dict[str, Any] | None:
    message = selectors.chat_message(message_id)
    if message is None or message.conversation.external_id != external_id:
        return None
    return serialise(message)


class ChatConsumer(AsyncJsonWebsocketConsumer):
    external_id: str = ""
    person_id: int | None = None
    language: str = ""

    async def connect(self) -> None:
        # The size and rate limit of every socket (forum.core.sockets).
        self.guard = FrameGuard()
        self.external_id, self.person_id = await _identity(self.scope)
        self.language = page_language(self.scope)
        await self.channel_layer.group_add(group_name(self.external_id), self.channel_name)
        await self.accept()
        await _open(self.external_id, self.person_id, self.language)
        messages = await _history(self.external_id, 0)
        await self.send_json({"type": "messages", "messages": messages, "history": True})

    async def disconnect(self, code: int) -> None:
        if self.external_id:
            await self.channel_layer.group_discard(group_name(self.external_id), self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        refused = self.guard.refuse(text_data, bytes_data)
        if refused is not None:
            # Dropped, the socket stays open: the bot says why (a refused paste goes back to
            # the input box, as for a text refused for its length).
            notice: dict[str, Any] = {
                "id": None,
                "from": "bot",
                "text": refusal_message(refused),
                "buttons": [],
            }
            if refused == TOO_LARGE:
                notice["refused_too_long"] = True
            await self.send_json({"type": "messages", "messages": [notice]})
            return
        if text_data is None:
            return
        try:
            content = read_frame(text_data)
        except ValueError:
            return  # not JSON (or nested too deeply): not something the page sends
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict):
            return
        if "since" in content:
            since = content.get("since")
            since = since if isinstance(since, int) and since >= 0 else 0
            await self.send_json(
                {"type": "messages", "messages": await _history(self.external_id, since)}
            )
            return
        data = content.get("data")
        text = content.get("text")
        if isinstance(data, str) and data:
            label = content.get("label")
            incoming = Incoming(
                channel="webchat",
                external_id=self.external_id,
                kind=Kind.BUTTON,
                data=data[:200],
                person_id=self.person_id,
                language_hint=self.language,
                extra={"label": label[:100] if isinstance(label, str) else ""},
            )
        elif isinstance(text, str) and text.strip():
            incoming = Incoming(
                channel="webchat",
                external_id=self.external_id,
                kind=Kind.TEXT,
                text=text[:WEBCHAT_TEXT_READ_MAX],
                person_id=self.person_id,
                language_hint=self.language,
            )
        else:
            return
        await self.send_json({"type": "messages", "messages": await _handle(incoming)})
        if self.person_id is not None and await _account_erased(self.scope):
            # /borrar erased the signed-in account: this socket spoke for it, so it ends here.
            # The page keeps the confirmation and does not reconnect (chat.js); what the person
            # sends next goes as the anonymous visitor they now are.
            await self.close(code=ACCOUNT_ERASED)

    async def chat_message(self, event: dict[str, Any]) -> None:
        """A push written by the outbox (``senders.webchat_sender``): forward it."""
        message = await _message(int(event.get("message_id", 0)), self.external_id)
        if message is not None:
            await self.send_json({"type": "messages", "messages": [message]})
