"""WebSocket consumer of a live thread (``/ws/threads/<thread_id>/``). Protocol: docs/realtime.md.

Thin on purpose: check access, join the group, turn id-only group events into the post's
current state (read through a selector), and hand posts written over the socket to the same
service the HTTP form uses. No writes happen in group handlers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from forum.participation.services import person_for_user

from . import selectors, services
from .events import thread_group
from .models import Post

logger = logging.getLogger(__name__)

MAX_MESSAGE_BYTES = 16 * 1024
RATE_PER_SECOND = 5.0
RATE_BURST = 10.0
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_LARGE = 1009


class TokenBucket:
    """``rate`` tokens per second, at most ``burst`` saved up."""

    def __init__(self, rate: float = RATE_PER_SECOND, burst: float = RATE_BURST) -> None:
        self.rate, self.burst = rate, burst
        self.tokens = burst
        self.stamp = time.monotonic()

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False


class PayloadCache:
    """Per-process cache of what a group event turns into, shared by every socket.

    A post broadcast to 1,000 sockets in one process would otherwise cost 1,000 identical
    reads and JSON encodings; here the first handler reads (through the selector) and the
    others await the same future. Keyed by the event's stamp, so a later change of the same
    post is read afresh. Read only: nothing is written.
    """

    def __init__(self, ttl: float = 10.0, size: int = 512) -> None:
        self.ttl, self.size = ttl, size
        self.entries: dict[tuple, tuple[float, asyncio.Future]] = {}

    async def get(self, event: dict[str, Any]) -> str | None:
        key = (event["type"], int(event["post_id"]), event.get("stamp"))
        now = time.monotonic()
        hit = self.entries.get(key) if key[2] is not None else None
        if hit is not None and hit[0] > now:
            return await asyncio.shield(hit[1])
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        if key[2] is not None:
            self._prune(now)
            self.entries[key] = (now + self.ttl, future)
        try:
            payload = await database_sync_to_async(selectors.post_event_payload)(key[1], key[0])
            text = None if payload is None else json.dumps(payload)
        except Exception as exc:
            self.entries.pop(key, None)
            future.set_exception(exc)
            future.exception()  # retrieved: no "never retrieved" warning
            raise
        future.set_result(text)
        return text

    def _prune(self, now: float) -> None:
        if len(self.entries) < self.size:
            return
        for key in [k for k, (exp, _f) in self.entries.items() if exp <= now]:
            del self.entries[key]
        while len(self.entries) >= self.size:
            self.entries.pop(next(iter(self.entries)))


payload_cache = PayloadCache()


def _create_post(*, thread_id: int, user: Any, body: str, reply_to: Any) -> int:
    thread = selectors.thread_get(thread_id)
    if thread is None:
        raise PermissionDenied
    reply = None
    if reply_to not in (None, ""):
        try:
            reply = Post.objects.filter(pk=int(reply_to), thread_id=thread_id).first()
        except (TypeError, ValueError):
            reply = None
        if reply is None:
            raise services.ThreadError(
                _("El mensaje al que respondes no existe."), code="bad_reply"
            )
    person = person_for_user(user=user)
    return services.post_create(thread=thread, author=person, body=str(body), reply_to=reply).pk


class ThreadConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.user = self.scope.get("user")
        self.bucket = TokenBucket()
        self.sent_created: set[int] = set()
        self.group = thread_group(self.thread_id)
        access = await database_sync_to_async(selectors.thread_access)(self.thread_id, self.user)
        # Accept first so the client sees *why* (4403/4404) instead of a bare handshake failure.
        await self.accept()
        if access is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if not access.can_view:
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.can_post = access.can_post
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        await self.send_json(
            {"type": "hello", "thread_id": self.thread_id, "can_post": self.can_post}
        )

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    # ------------------------------------------------------------ client → server

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if not getattr(self, "joined", False):
            return
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_MESSAGE_BYTES:
            await self.error("too_large", _("Mensaje demasiado grande (máximo 16 KB)."))
            await self.close(code=CLOSE_TOO_LARGE)
            return
        if not self.bucket.take():
            await self.error("rate_limited", _("Demasiados mensajes seguidos; espera un poco."))
            return
        if text_data is None:
            await self.error("invalid_json", _("Solo se aceptan mensajes JSON de texto."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.error("invalid_json", _("El mensaje no es JSON válido."))
            return
        if not isinstance(content, dict):
            await self.error("invalid_message", _("Se esperaba un objeto JSON con «type»."))
            return
        await self.receive_json(content)

    async def receive_json(self, content: dict[str, Any], **kwargs: Any) -> None:
        kind = content.get("type")
        if kind == "resume":
            await self.resume(content.get("after"))
        elif kind == "post.create":
            await self.create_post(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.error("unknown_type", _("Tipo de mensaje desconocido."))

    async def resume(self, after: Any) -> None:
        try:
            after_id = max(0, int(after or 0))
        except (TypeError, ValueError):
            await self.error("invalid_message", _("«after» debe ser un número."))
            return
        payloads = await database_sync_to_async(selectors.posts_after_payloads)(
            self.thread_id, after_id
        )
        last = after_id
        for payload in payloads:
            last = payload["post_id"]
            if payload["post_id"] in self.sent_created:
                continue
            self.sent_created.add(payload["post_id"])
            await self.send_json(payload)
        await self.send_json(
            {
                "type": "resume.done",
                "last_post_id": last,
                "complete": len(payloads) < selectors.RESUME_LIMIT,
            }
        )

    async def create_post(self, content: dict[str, Any]) -> None:
        client_id = content.get("client_id")
        if not getattr(self.user, "is_authenticated", False):
            await self.error(
                "login_required",
                _("Inicia sesión para escribir en este hilo."),
                client_id=client_id,
            )
            return
        body = content.get("body")
        if not isinstance(body, str):
            await self.error(
                "invalid_message", _("Falta el texto del mensaje."), client_id=client_id
            )
            return
        try:
            post_id = await database_sync_to_async(_create_post)(
                thread_id=self.thread_id,
                user=self.user,
                body=body,
                reply_to=content.get("reply_to"),
            )
        except PermissionDenied as exc:
            await self.error(
                "forbidden", str(exc) or _("No puedes escribir en este hilo."), client_id=client_id
            )
            return
        except ValidationError as exc:
            await self.error(
                getattr(exc, "code", None) or "invalid", " ".join(exc.messages), client_id=client_id
            )
            return
        await self.send_json({"type": "post.ack", "post_id": post_id, "client_id": client_id})

    async def error(self, code: str, message: str, **extra: Any) -> None:
        await self.send_json({"type": "error", "code": code, "message": str(message), **extra})

    # ------------------------------------------------------------ group events (read only)

    async def _forward(self, event: dict[str, Any]) -> None:
        post_id = int(event["post_id"])
        if event["type"] == "post.created":
            if post_id in self.sent_created:
                return  # already sent by a resume
            self.sent_created.add(post_id)
        if int(event.get("thread_id", self.thread_id)) != self.thread_id:
            return
        text = await payload_cache.get(event)
        if text is not None:
            await self.send(text_data=text)

    async def post_created(self, event: dict[str, Any]) -> None:
        await self._forward(event)

    async def post_edited(self, event: dict[str, Any]) -> None:
        await self._forward(event)

    async def post_deleted(self, event: dict[str, Any]) -> None:
        await self._forward(event)

    async def post_hidden(self, event: dict[str, Any]) -> None:
        await self._forward(event)

    async def post_restored(self, event: dict[str, Any]) -> None:
        await self._forward(event)
