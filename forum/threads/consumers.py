"""WebSocket consumer of a live thread (``/ws/threads/<thread_id>/``). Protocol: docs/realtime.md.

Thin on purpose: check access, join the thread's hub, and hand posts written over the socket
to the same service the HTTP form uses. No writes happen on the way out.

Fan-out: each daphne process subscribes *once* per open thread to the channel-layer group
``thread.<id>`` (:class:`ThreadHub`); when an id-only event arrives, the hub reads the post once
through a selector, encodes it once, and hands the same text to every local socket of that
thread (under daphne as one pre-framed message written straight to each socket:
:mod:`forum.threads.broadcast`). Putting each socket in the group itself would cost one
layer message, one dispatch and one thread hop per socket per post (and the in-memory layer
scans all its channels on every receive, which is quadratic in sockets): see
docs/performance/realtime.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import weakref
from collections.abc import Awaitable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from channels.layers import InMemoryChannelLayer, get_channel_layer
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from forum.core.sockets import FrameGuard, client_id_of, read_frame, refusal_message
from forum.participation.services import person_for_user

from . import selectors, services
from .broadcast import Frame, connection_of
from .events import POST_EVENTS, thread_group
from .models import Post

logger = logging.getLogger(__name__)

CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


class ThreadHub:
    """Process-local fan-out of one thread group to the sockets of this process.

    One instance per event loop (daphne has one; tests open a loop per test). Read only: the
    reader fetches a post through a selector and never writes.
    """

    def __init__(self) -> None:
        self.members: dict[int, set[ThreadConsumer]] = {}
        self.readers: dict[int, tuple[asyncio.Future, asyncio.Task | None, str]] = {}
        # The newest post each thread's sockets were sent (or that existed when the hub joined).
        self.last_seen: dict[int, int] = {}
        self.resync: asyncio.Task | None = None

    async def join(self, thread_id: int, consumer: ThreadConsumer) -> None:
        self.members.setdefault(thread_id, set()).add(consumer)
        entry = self.readers.get(thread_id)
        if entry is None:
            ready: asyncio.Future = asyncio.get_running_loop().create_future()
            self.readers[thread_id] = (ready, None, "")
            try:
                layer = get_channel_layer()
                channel = await layer.new_channel("threadhub.")
                await layer.group_add(thread_group(thread_id), channel)
            except Exception as exc:
                self.readers.pop(thread_id, None)
                ready.set_exception(exc)
                ready.exception()
                raise
            task = asyncio.create_task(self._read(thread_id, channel))
            self.readers[thread_id] = (ready, task, channel)
            ready.set_result(True)
            with contextlib.suppress(Exception):
                self.last_seen[thread_id] = await _read_db(selectors.thread_last_post_id)(thread_id)
            self._start_resync(layer)
        else:
            # Someone else is subscribing right now: return only once events can arrive.
            await asyncio.shield(entry[0])

    async def leave(self, thread_id: int, consumer: ThreadConsumer) -> None:
        members = self.members.get(thread_id)
        if members is None:
            return
        members.discard(consumer)
        if members:
            return
        del self.members[thread_id]
        self.last_seen.pop(thread_id, None)
        entry = self.readers.pop(thread_id, None)
        if entry is None:
            return
        _ready, task, channel = entry
        if task is None:
            return
        task.cancel()
        with contextlib.suppress(Exception):
            await get_channel_layer().group_discard(thread_group(thread_id), channel)

    async def _read(self, thread_id: int, channel: str) -> None:
        layer = get_channel_layer()
        while True:
            event = await layer.receive(channel)
            if event.get("type") not in POST_EVENTS:
                continue
            try:
                # On the hubs' own thread, not the thread-sensitive one: the broadcast must
                # not queue behind other sockets' connects and posts, which all share that.
                payload = await database_sync_to_async(
                    selectors.post_event_payload, thread_sensitive=False, executor=_READER
                )(int(event["post_id"]), event["type"])
            except Exception:
                logger.exception("thread %s: could not read %s", thread_id, event)
                continue
            if payload is None or payload["thread_id"] != thread_id:
                continue
            await self._fan_out(thread_id, event["type"], payload)

    async def _fan_out(self, thread_id: int, event_type: str, payload: dict[str, Any]) -> None:
        if event_type == "post.created" and thread_id in self.last_seen:
            self.last_seen[thread_id] = max(self.last_seen[thread_id], payload["post_id"])
        frame = Frame(json.dumps(payload))
        for consumer in list(self.members.get(thread_id, ())):
            try:
                send = consumer.deliver(event_type, payload["post_id"], frame)
                if send is not None:
                    await send
            except Exception:
                # One broken socket must not end the hub for every other socket.
                logger.exception("thread %s: could not deliver to a socket", thread_id)

    # ------------------------------------------------------------ the safety net

    def _start_resync(self, layer: Any) -> None:
        """Delivery over the channel layer is at most once: an event published while Redis was
        down is gone, and a socket that stayed open would never see that post. Every
        ``THREADS_RESYNC_SECONDS`` the hub asks the database for posts newer than the last it
        saw in each thread it serves, and sends those (a socket never gets a post twice). Not
        with the in-memory layer, which cannot lose an event."""
        every = float(getattr(settings, "THREADS_RESYNC_SECONDS", 10))
        if every <= 0 or isinstance(layer, InMemoryChannelLayer):
            return
        if self.resync is None or self.resync.done():
            self.resync = asyncio.create_task(self._resync_loop(every))

    async def _resync_loop(self, every: float) -> None:
        while self.members:
            await asyncio.sleep(every)
            for thread_id in list(self.members):
                try:
                    await self.catch_up(thread_id)
                except Exception as exc:
                    logger.warning("thread %s: resync failed: %s", thread_id, exc)

    async def catch_up(self, thread_id: int) -> int:
        """Send the thread's sockets the posts newer than the last one seen; how many."""
        after = self.last_seen.get(thread_id)
        if after is None:
            return 0
        payloads = await _read_db(selectors.posts_after_payloads)(thread_id, after)
        for payload in payloads:
            await self._fan_out(thread_id, "post.created", payload)
        if payloads:
            logger.warning(
                "thread %s: %d post(s) missed by the channel layer sent by the resync",
                thread_id,
                len(payloads),
            )
        return len(payloads)


# One thread per process for the hubs' reads (so at most one database connection for them).
_READER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="threadhub")


def _read_db(selector: Any) -> Any:
    return database_sync_to_async(selector, thread_sensitive=False, executor=_READER)


_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, ThreadHub] = weakref.WeakKeyDictionary()


def hub() -> ThreadHub:
    loop = asyncio.get_running_loop()
    if loop not in _hubs:
        _hubs[loop] = ThreadHub()
    return _hubs[loop]


def _create_post(*, thread_id: int, user: Any, body: str, reply_to: Any) -> int:
    thread = selectors.thread_for_socket(thread_id)
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
    # No channel of its own: live events come through the process's ThreadHub. (An alias that
    # names no configured layer makes channels skip the per-socket channel, which with
    # channels-redis would otherwise be one more Redis subscription per open page.)
    channel_layer_alias = "threads-sockets-have-no-channel"

    async def connect(self) -> None:
        self.thread_id = int(self.scope["url_route"]["kwargs"]["thread_id"])
        self.user = self.scope.get("user")
        # The size and rate limit of every socket (forum.core.sockets).
        self.guard = FrameGuard()
        self.sent_created: set[int] = set()
        # Serialises what this socket sends: a resume's answer and live posts never interleave.
        self.lock = asyncio.Lock()
        self.pending: set[asyncio.Task] = set()
        # The daphne connection behind self.send, for the hub's direct broadcast (None elsewhere).
        self.connection = connection_of(self.base_send)
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
        await hub().join(self.thread_id, self)
        self.joined = True
        await self.send_json(
            {
                "type": "hello",
                "thread_id": self.thread_id,
                "can_post": self.can_post,
                # The client sends it back as resume's changed_since after a reconnect.
                "server_time": timezone.now().isoformat(),
            }
        )

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            self.joined = False
            await hub().leave(self.thread_id, self)
            for task in self.pending:
                task.cancel()

    # ------------------------------------------------------------ client → server

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        if not getattr(self, "joined", False):
            return
        refused = self.guard.refuse(text_data, bytes_data)
        if refused is not None:
            # Dropped, the socket stays open; the page shows it beside the message it sent.
            await self.error(refused, refusal_message(refused), client_id=client_id_of(text_data))
            return
        if text_data is None:
            await self.error("invalid_json", _("Solo se aceptan mensajes JSON de texto."))
            return
        try:
            content = read_frame(text_data)
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
            async with self.lock:
                await self.resume(content.get("after"), content.get("changed_since"))
        elif kind == "post.create":
            await self.create_post(content)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.error("unknown_type", _("Tipo de mensaje desconocido."))

    async def resume(self, after: Any, changed_since: Any = None) -> None:
        try:
            after_id = max(0, int(after or 0))
        except (TypeError, ValueError):
            await self.error("invalid_message", _("«after» debe ser un número."))
            return
        since = None
        if changed_since:
            since = (
                parse_datetime(str(changed_since)[:40]) if isinstance(changed_since, str) else None
            )
            if since is None or since.tzinfo is None:
                await self.error(
                    "invalid_message", _("«changed_since» debe ser una fecha ISO 8601 con zona.")
                )
                return
            for payload in await database_sync_to_async(selectors.posts_changed_payloads)(
                self.thread_id, after_id, since
            ):
                await self.send_json(payload)
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

    # ------------------------------------------------------------ live events (from the hub)

    def deliver(self, event_type: str, post_id: int, frame: Frame) -> Awaitable[None] | None:
        """Send one already-encoded post event, at most once per post for ``post.created``.

        Under daphne the frame is written to the socket right away and None is returned;
        otherwise the caller awaits the returned ASGI send. While a resume is being answered the
        event is queued behind it, so this socket's order holds.
        """
        if not getattr(self, "joined", False):
            return None
        if event_type == "post.created":
            if post_id in self.sent_created:
                return None  # already sent by a resume
            self.sent_created.add(post_id)
        if not self.lock.locked() and not self.pending:
            if self.connection is not None:
                frame.send(self.connection)
                return None
            return self.send(text_data=frame.text)
        task = asyncio.create_task(self._deliver_later(frame.text))
        self.pending.add(task)
        task.add_done_callback(self.pending.discard)
        return None

    async def _deliver_later(self, text: str) -> None:
        async with self.lock:
            if getattr(self, "joined", False):
                await self.send(text_data=text)
