"""Publishing real-time events after the surrounding transaction commits.

Every real-time event in Foro Abierto goes through :func:`publish_on_commit`, so that a client
never hears of a row that a rollback then takes away, and ``group_send`` never runs inside an
open transaction.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


def _send(group: str, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:
        # Delivery over the channel layer is at-most-once by design: clients resume by id.
        logger.exception("could not publish %s to %s", event.get("type"), group)


def publish_on_commit(group: str, event: dict[str, Any]) -> None:
    """Send ``event`` to channel-layer ``group`` once the current transaction commits."""
    transaction.on_commit(functools.partial(_send, group, dict(event)))
