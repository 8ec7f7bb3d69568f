"""The projector's live socket: ``/ws/dialogos/<dialogue_id>/proyector/``. Read only.

A room of 150 people voting sends several events a second; the projector does not need each
one. The consumer coalesces them: on an event it waits ``REFRESH_SECONDS`` (events arriving
meanwhile are absorbed), reads the session's current state once through
``selectors.live.session_snapshot`` and sends it whole. A reconnecting projector gets the
whole state at once on connect, so nothing missed while the connection (or Redis) was down
stays missing.
"""

from __future__ import annotations

import asyncio
import contextlib
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


class ProjectorConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        self.dialogue_id = int(self.scope["url_route"]["kwargs"]["dialogue_id"])
        self.refresh: asyncio.Task | None = None
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
        if self.refresh is not None:
            self.refresh.cancel()
        if getattr(self, "joined", False):
            with contextlib.suppress(Exception):
                await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None):
        # The projector only listens: anything sent to it is a mistake or a probe.
        await self.close(code=CLOSE_READ_ONLY)

    async def session_changed(self, event: dict[str, Any]) -> None:
        if self.refresh is None or self.refresh.done():
            self.refresh = asyncio.create_task(self._refresh_soon())

    async def _refresh_soon(self) -> None:
        await asyncio.sleep(REFRESH_SECONDS)
        try:
            snapshot = await database_sync_to_async(session_selectors.session_snapshot)(
                self.dialogue_id
            )
        except Exception:
            logger.exception("projector %s: could not read the session", self.dialogue_id)
            return
        if snapshot is not None:
            await self.send_json({"type": "snapshot", **snapshot})
