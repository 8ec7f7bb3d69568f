"""Send one message to many WebSocket connections of this daphne process cheaply.

Why this exists: a live post goes to every open page of a thread. Through the ASGI ``send`` each
socket costs ~50 µs of server CPU (channels' session wrapper, daphne's ``handle_reply``,
autobahn framing, and Twisted's write path, which registers the socket as a writer with the
event loop, waits for the next ``epoll`` round, sends, and unregisters it: two ``epoll_ctl``
calls per message). For 1,000 sockets that was most of a post's cost (docs/performance/realtime.md).

Under daphne the ASGI ``send`` of a WebSocket connection is ``partial(server.handle_reply,
protocol)``; :func:`connection_of` finds that autobahn protocol. :class:`Frame` frames the
message once per post (autobahn's own ``prepareMessage``: server frames are unmasked, so the
bytes are the same for every socket), and :meth:`Frame.send` writes them straight to the socket
when nothing is queued before them, exactly the bytes autobahn would have written, falling back
to autobahn's / Twisted's normal path whenever anything is unusual (compression negotiated, TLS,
data already buffered, a short write, an error). Anything that is not daphne (channels' test
communicator, another server) gets ``None`` from :func:`connection_of` and the caller uses the
ordinary ASGI ``send``.
"""

from __future__ import annotations

import functools
from typing import Any

try:  # daphne's WebSocket protocol is autobahn's; without autobahn there is no fast path.
    from autobahn.websocket.protocol import WebSocketProtocol
except ImportError:  # pragma: no cover - autobahn ships with daphne
    WebSocketProtocol = None  # type: ignore[assignment,misc]

_STATE_OPEN = getattr(WebSocketProtocol, "STATE_OPEN", None)


def connection_of(send: Any) -> Any | None:
    """The daphne/autobahn protocol behind an ASGI ``send`` callable, or None.

    Looks through channels' session middleware wrapper (which only acts on HTTP responses).
    """
    if WebSocketProtocol is None:
        return None
    for _depth in range(4):
        if isinstance(send, functools.partial):
            owner = getattr(send.func, "__self__", None)
            if type(owner).__module__.startswith("daphne.") and len(send.args) == 1:
                protocol = send.args[0]
                # .factory is set by Twisted's Factory.buildProtocol; autobahn does not declare it.
                if isinstance(protocol, WebSocketProtocol) and protocol.factory is not None:  # type: ignore[attr-defined]
                    return protocol
            return None
        # channels.sessions.InstanceSessionWrapper.send -> its real_send
        send = getattr(getattr(send, "__self__", None), "real_send", None)
        if send is None:
            return None
    return None


class Frame:
    """One text message, framed once per server factory (normally once per process)."""

    __slots__ = ("_prepared", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._prepared: dict[int, Any] = {}

    def _for(self, protocol: Any) -> Any:
        factory = protocol.factory
        prepared = self._prepared.get(id(factory))
        if prepared is None:
            prepared = factory.prepareMessage(self.text.encode("utf8"))
            self._prepared[id(factory)] = prepared
        return prepared

    def send(self, protocol: Any) -> None:
        """Send to one autobahn protocol; same effect as ``protocol.sendMessage(text)``."""
        if protocol.state != _STATE_OPEN:
            return  # closing or closed: nothing more goes out (autobahn would raise Disconnected)
        prepared = self._for(protocol)
        if protocol._perMessageCompress is not None or protocol.send_queue:
            protocol.sendPreparedMessage(prepared)
            return
        write_now(protocol.transport, prepared.payloadHybi)


def write_now(transport: Any, data: bytes) -> None:
    """``transport.write(data)``, but try the socket first when Twisted has nothing buffered.

    Twisted's ``write`` always buffers and waits for the reactor to report the socket writable;
    a socket with an empty buffer is almost always writable now, so one ``send()`` does it.
    Order is kept: if anything is pending, the data goes behind it through Twisted.
    """
    sock = getattr(transport, "socket", None)
    if (
        sock is None
        or getattr(transport, "TLS", True)
        or not getattr(transport, "connected", False)
        or getattr(transport, "_writeDisconnected", True)
        or getattr(transport, "disconnecting", True)
        or getattr(transport, "_tempDataLen", 1)
        or len(getattr(transport, "dataBuffer", b"x")) != getattr(transport, "offset", -1)
    ):
        transport.write(data)
        return
    try:
        sent = sock.send(data)
    except (BlockingIOError, InterruptedError):
        sent = 0
    except OSError:
        # Let Twisted meet the error on its own write and close the connection its way.
        transport.write(data)
        return
    if sent < len(data):
        transport.write(data[sent:])
