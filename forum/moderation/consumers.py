"""The moderators' live queue: ``/ws/moderacion/``. Thin: authenticate, join, forward."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from . import events, permissions

NOT_ALLOWED = 4403


class ModerationQueueConsumer(AsyncJsonWebsocketConsumer):
    groups: list[str] = []

    async def connect(self) -> None:
        user = self.scope.get("user")
        allowed = await database_sync_to_async(permissions.can_moderate)(user)
        if not allowed:
            await self.close(code=NOT_ALLOWED)
            return
        await self.channel_layer.group_add(events.MODERATION_GROUP, self.channel_name)
        self.joined = True
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "joined", False):
            await self.channel_layer.group_discard(events.MODERATION_GROUP, self.channel_name)

    async def receive(self, text_data=None, bytes_data=None, **kwargs) -> None:
        # The page only listens; catching up after a reconnect goes through the JSON endpoint.
        # Frames are not even parsed: malformed or deeply nested JSON cannot end the consumer.
        return

    async def forward(self, event: dict) -> None:
        await self.send_json(events.to_client(event))

    # Channel-layer type "idea.created" is dispatched to method "idea_created", etc.
    idea_created = forward
    idea_status_changed = forward
    idea_merged = forward
    idea_unmerged = forward
    content_hidden = forward
    content_restored = forward
    content_reported = forward
