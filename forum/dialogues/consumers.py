"""The projector's live socket: ``/ws/dialogos/<dialogue_id>/proyector/``. Read only.

A room of 150 people voting sends several events a second; the projector does not need each
one. Events are coalesced: on an event a read of the session is scheduled ``REFRESH_SECONDS``
later (events arriving meanwhile join it), and the session's current state is read once through
``selectors.live.session_snapshot`` and sent whole. The read is shared by every projector of the
dialogue connected to this process (the room's screen, a second screen, a streaming PC), so a
change costs one read however many projectors watch it. A reconnecting projector gets the
whole state at once on connect, so nothing missed while the connection (or Redis) was down
stays missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .events import dialogue_group
from .selectors import live as session_selectors

logger = logging.getLogger(__name__)

CLOSE_NOT_FOUND = 4404
CLOSE_READ_ONLY = 4400
REFRESH_SECONDS = 0.25

# The read each dialogue's projectors are waiting for, by event loop (one per process in
# production; one per test) and dialogue id. A read leaves this table when it starts, so an
# event arriving while it runs schedules the next one instead of being lost.
_scheduled: dict[tuple[asyncio.AbstractEventLoop, int], asyncio.Task] = {}


async def _read_soon(key: tuple[asyncio.AbstractEventLoop, int]) -> dict[str, Any] | None:
    await asyncio.sleep(REFRESH_SECONDS)
    _scheduled.pop(key, None)
    dialogue_id = key[1]
    try:
        return await database_sync_to_async(session_selectors.session_snapshot)(dialogue_id)
    except Exception:
        logger.exception("projector %s: could not read the session", dialogue_id)
        return None


def _forget(key: tuple[asyncio.AbstractEventLoop, int], task: asyncio.Task) -> None:
    if _scheduled.get(key) is task:
        del _scheduled[key]


def next_snapshot(dialogue_id: int) -> asyncio.Task:
    """The coming read of the dialogue's session, shared by every projector waiting for it."""
    key = (asyncio.get_running_loop(), dialogue_id)
    task = _scheduled.get(key)
    if task is None:
        task = asyncio.create_task(_read_soon(key))
        _scheduled[key] = task
        # A read cancelled before it started must not stay scheduled.
        task.add_done_callback(functools.partial(_forget, key))
    return task


class ProjectorConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.dialogue_id = int(self.scope["url_route"]["kwargs"]["dialogue_id"])
        self.awaited: asyncio.Task | None = None
        self.sends: set[asyncio.Task] = set()
        self.group = dialogue_group(self.dialogue_id)
        await self.accept()
        snapshot = await database_sync_to_async(session_selectors.session_snapshot)(
            self.dialogue_id
        )
        if snapshot is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        await self.send_json({"type": "snapshot", **snapshot})

    async def disconnect(self, code: int) -> None:
        for send in getattr(self, "sends", ()):
            send.cancel()
        if getattr(self, "joined", False):
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        # The projector only listens: anything sent to it is a mistake or a probe.
        await self.close(code=CLOSE_READ_ONLY)

    async def session_changed(self, event: dict[str, Any]) -> None:
        read = next_snapshot(self.dialogue_id)
        if read is self.awaited:
            return  # this projector already waits for that read
        self.awaited = read
        send = asyncio.create_task(self._send_when_read(read))
        self.sends.add(send)
        send.add_done_callback(self.sends.discard)

    async def _send_when_read(self, read: asyncio.Task) -> None:
        # Shielded: this projector leaving must not cancel the read the others wait for.
        snapshot = await asyncio.shield(read)
        if snapshot is not None:
            await self.send_json({"type": "snapshot", **snapshot})
