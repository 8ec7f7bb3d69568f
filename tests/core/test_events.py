"""Real-time events leave only after commit; a batch leaves in order at the end of its block.

Run on the configured channel layer (in-memory, or Redis pub/sub in CI), from an async test so
that the publishing thread and the listening socket share one event loop, as under daphne.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import transaction

from forum.core import events

pytestmark = pytest.mark.django_db(transaction=True)


async def _drain(layer, channel: str) -> list[dict]:
    out = []
    while True:
        try:
            out.append(await asyncio.wait_for(layer.receive(channel), timeout=0.3))
        except TimeoutError:
            return out


async def _collect(layer, channel: str, count: int) -> list[tuple[float, dict]]:
    # One receive at a time, never cancelled mid-way: a cancelled receive unsubscribes the
    # channel on the Redis pub/sub layer.
    received = []
    for _ in range(count):
        event = await layer.receive(channel)
        received.append((time.monotonic(), event))
    return received


async def test_batched_events_arrive_after_the_block_in_order_and_rollbacks_never():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("idea.7", channel)
    listening = asyncio.ensure_future(_collect(layer, channel, 3))
    block_end: list[float] = []

    def write() -> None:
        with events.batched():
            with transaction.atomic():
                events.publish_on_commit("idea.7", {"type": "idea.status_changed", "n": 1})
                with contextlib.suppress(RuntimeError), transaction.atomic():
                    events.publish_on_commit("idea.7", {"type": "idea.status_changed", "n": 99})
                    raise RuntimeError("rolled back")
                events.publish_on_commit("idea.7", {"type": "idea.status_changed", "n": 2})
            with transaction.atomic():
                events.publish_on_commit("idea.7", {"type": "idea.status_changed", "n": 3})
            # Both transactions committed; their events wait for the end of the block.
            time.sleep(0.3)
            block_end.append(time.monotonic())

    await sync_to_async(write)()
    received = await asyncio.wait_for(listening, timeout=10)

    assert [event["n"] for _at, event in received] == [1, 2, 3]
    assert all(at >= block_end[0] for at, _event in received)
    assert await _drain(layer, channel) == []  # and not the rolled-back one after them


async def test_without_a_batch_each_commit_publishes_at_once():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    await layer.group_add("moderation-test", channel)

    def write() -> None:
        with transaction.atomic():
            events.publish_on_commit("moderation-test", {"type": "idea.created", "idea_id": 5})

    await sync_to_async(write)()

    assert await _drain(layer, channel) == [{"type": "idea.created", "idea_id": 5}]
