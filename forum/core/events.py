"""Publishing real-time events after the surrounding transaction commits.

Every real-time event in Foro Abierto goes through :func:`publish_on_commit`, so that a client
never hears of a row that a rollback then takes away, and ``group_send`` never runs inside an
open transaction.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import threading
from collections.abc import Iterator
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

Event = tuple[str, dict[str, Any]]

# Events held back by batched(), per thread (each thread runs its own transactions).
_held = threading.local()


def _send_all(events: list[Event]) -> None:
    layer = get_channel_layer()
    if layer is None or not events:
        return

    async def send() -> None:
        for group, event in events:
            try:
                await layer.group_send(group, event)
            except Exception:
                # Delivery over the channel layer is at-most-once by design: clients resume
                # by id.
                logger.exception("could not publish %s to %s", event.get("type"), group)

    try:
        async_to_sync(send)()
    except Exception:
        logger.exception("could not publish %d events", len(events))


def _send(group: str, event: dict[str, Any]) -> None:
    held: list[Event] | None = getattr(_held, "events", None)
    if held is not None:
        held.append((group, event))
        return
    _send_all([(group, event)])


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to channel-layer ``group`` once the current transaction commits."""
    transaction.on_commit(functools.partial(_send, group, dict(event)))


@contextlib.contextmanager
def batched() -> Iterator[None]:
    """Hold the events that commits inside the block publish, and send them together at its
    end, in order, in one trip to the event loop instead of one each.

    For bulk writes (the demo, imports), where thousands of events would otherwise each pay for
    an event loop. Events of a rolled-back transaction are never held: only the commit hooks,
    which run after a commit, reach :func:`_send`.
    """
    if getattr(_held, "events", None) is not None:  # nested: the outer block sends them
        yield
        return
    _held.events = []
    try:
        yield
    finally:
        events, _held.events = _held.events, None
        _send_all(events)
