"""Back-pressure for streamed responses under daphne.

ASGI lets a server make ``send()`` wait until the client has taken what was sent; uvicorn does,
daphne does not: its ``send`` hands each body chunk to Twisted's transport, which buffers it in
memory whatever the client's pace. A download produced faster than the client reads it (the
open-data files, now written by PostgreSQL at tens of MB a second) therefore ended up whole in
daphne's memory (``benchmarks/insights.py``: peak RSS +32 MB for the 35 MB ideas CSV).
:func:`paced` wraps the HTTP app so that, after each chunk of a streamed body, it waits while
more than ``LIMIT`` bytes are still queued on that connection (or until the connection is gone).
With another server (no daphne transport behind ``send``) it changes nothing.
"""

from __future__ import annotations

import asyncio
from functools import partial
from typing import Any

from .asgi import ASGIApp

LIMIT = 1 << 20  # bytes queued on one connection before a streamed body waits
POLL = 0.005  # seconds between looks at the queue


def _transport(send: Any) -> Any:
    """Daphne's Twisted transport behind ``send`` (``partial(server.handle_reply, protocol)``),
    or None under any other server."""
    if isinstance(send, partial) and send.args:
        return getattr(send.args[0], "transport", None)
    return None


def queued(transport: Any) -> int:
    """Bytes Twisted still holds for the socket (``FileDescriptor``'s two buffers); 0 when the
    connection is closing (nothing to wait for)."""
    if not getattr(transport, "connected", False) or getattr(transport, "disconnecting", True):
        return 0
    pending = len(getattr(transport, "dataBuffer", b"")) - getattr(transport, "offset", 0)
    return pending + getattr(transport, "_tempDataLen", 0)


def paced(app: ASGIApp) -> ASGIApp:
    async def wrapper(scope: dict[str, Any], receive: Any, send: Any) -> None:
        transport = _transport(send) if scope.get("type") == "http" else None
        if transport is None:
            await app(scope, receive, send)
            return

        async def send_paced(message: dict[str, Any]) -> None:
            await send(message)
            if message.get("type") == "http.response.body" and message.get("more_body"):
                # Twisted gives no awaitable for its buffer (its producer slot on the transport
                # belongs to daphne's HTTPChannel): look every POLL seconds.
                while queued(transport) > LIMIT:  # noqa: ASYNC110
                    await asyncio.sleep(POLL)

        await app(scope, receive, send_paced)

    return wrapper
