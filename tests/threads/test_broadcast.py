"""The direct broadcast path under daphne: finding the connection, framing once, writing now.

End to end (real daphne processes, real sockets) it is exercised by test_multiprocess.py; these
tests pin down the pieces, with daphne's and autobahn's own classes where it matters.
"""

from __future__ import annotations

import collections
import functools
import socket

import pytest
from autobahn.websocket.protocol import TrafficStats, WebSocketProtocol
from channels.sessions import InstanceSessionWrapper
from daphne.server import Server
from daphne.ws_protocol import WebSocketFactory
from twisted.internet import tcp
from twisted.internet.protocol import Protocol

from forum.threads.broadcast import Frame, connection_of, write_now


@pytest.fixture
def daphne_protocol():
    server = Server(application=None, endpoints=["tcp:port=0:interface=127.0.0.1"])
    protocol = WebSocketFactory(server).buildProtocol(None)
    # What autobahn's _connectionMade sets up once a handshake completes without compression.
    for name in protocol.CONFIG_ATTRS:
        setattr(protocol, name, getattr(protocol.factory, name))
    protocol._perMessageCompress = None
    protocol.send_queue = collections.deque()
    protocol.send_state = WebSocketProtocol.SEND_STATE_GROUND
    protocol.trafficStats = TrafficStats()
    protocol.logFrames = protocol.logOctets = False
    protocol.trackedTimings = None
    return server, protocol


class FakeTransport:
    """The attributes of Twisted's tcp.Connection that write_now reads, over a real socket."""

    TLS = False
    connected = True
    disconnecting = False
    _writeDisconnected = False

    def __init__(self, sock: socket.socket) -> None:
        self.socket = sock
        self.dataBuffer = b""
        self.offset = 0
        self._tempDataLen = 0
        self.written: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.written.append(data)
        self._tempDataLen += len(data)


@pytest.fixture
def pair():
    a, b = socket.socketpair()
    a.setblocking(False)
    b.setblocking(False)
    yield a, b
    a.close()
    b.close()


def test_connection_of_finds_daphnes_protocol_behind_the_asgi_send(daphne_protocol):
    server, protocol = daphne_protocol
    send = functools.partial(server.handle_reply, protocol)
    assert connection_of(send) is protocol
    wrapper = InstanceSessionWrapper({"type": "websocket", "cookies": {}}, send)
    assert connection_of(wrapper.send) is protocol


async def test_connection_of_the_send_daphne_really_hands_the_application(
    daphne_protocol,
) -> None:
    """Pins daphne's own create_application, not a copy of its shape: if an upgrade changes
    what ``send`` is, this fails instead of the broadcast silently taking the slow path."""
    server, protocol = daphne_protocol
    handed: dict = {}

    async def application(scope, receive, send):
        handed["send"] = send

    server.application = application
    server.connections = {protocol: {}}
    server.create_application(protocol, {"type": "websocket", "path": "/ws/threads/1/"})
    await server.connections[protocol]["application_instance"]
    assert connection_of(handed["send"]) is protocol


def test_connection_of_anything_else_is_none(daphne_protocol):
    _server, protocol = daphne_protocol

    async def send(message):
        return None

    assert connection_of(send) is None
    assert connection_of(functools.partial(print, protocol)) is None
    assert connection_of(None) is None


def test_empty_buffer_goes_straight_to_the_socket(pair):
    a, b = pair
    transport = FakeTransport(a)
    write_now(transport, b"hello")
    assert b.recv(100) == b"hello"
    assert transport.written == []


class RecordingReactor:
    def __init__(self) -> None:
        self.writers: list = []

    def addReader(self, reader) -> None:
        pass

    def addWriter(self, writer) -> None:
        self.writers.append(writer)


def test_twisted_tcp_transport_is_written_directly_only_when_its_buffer_is_empty(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    """Pins the Twisted attributes write_now reads, on Twisted's own TCP transport."""
    a, b = pair
    reactor = RecordingReactor()
    # arg-type: a recording stand-in for the reactor and no Port (Server.__init__ checks for
    # None itself), where Twisted's annotations want the real ones; and without a zope plugin
    # mypy cannot see that Protocol implements IProtocol.
    transport = tcp.Server(a, Protocol(), ("127.0.0.1", 1), None, 1, reactor)  # type: ignore[arg-type]
    write_now(transport, b"first")
    assert b.recv(100) == b"first"
    assert reactor.writers == []  # no add_writer / epoll round for an idle socket
    transport.write(b"queued")  # Twisted buffers this until the reactor says "writable"
    write_now(transport, b"second")
    assert reactor.writers
    assert all(w is transport for w in reactor.writers)
    assert b"".join(transport._tempDataBuffer) == b"queuedsecond"
    with pytest.raises(BlockingIOError):
        b.recv(100)


def test_pending_data_keeps_its_place(pair):
    a, b = pair
    transport = FakeTransport(a)
    transport._tempDataLen = 3  # Twisted still holds bytes for this socket
    write_now(transport, b"later")
    assert transport.written == [b"later"]
    with pytest.raises(BlockingIOError):
        b.recv(100)


def test_partial_write_hands_the_rest_to_twisted(pair):
    a, b = pair
    transport = FakeTransport(a)
    a.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    data = bytes(range(256)) * 4096  # 1 MiB: more than the socket takes at once
    write_now(transport, data)
    assert len(transport.written) == 1
    received = b""
    while True:
        try:
            chunk = b.recv(1 << 20)
        except BlockingIOError:
            break
        assert chunk
        received += chunk
    assert received + transport.written[0] == data


def test_tls_and_closed_transports_use_twisted(pair):
    a, _b = pair
    tls = FakeTransport(a)
    tls.TLS = True
    write_now(tls, b"x")
    closed = FakeTransport(a)
    closed._writeDisconnected = True
    write_now(closed, b"y")
    closing = FakeTransport(a)
    closing.disconnecting = True
    write_now(closing, b"z")
    assert (tls.written, closed.written, closing.written) == ([b"x"], [b"y"], [b"z"])


def test_frame_is_what_autobahn_sends(daphne_protocol, pair):
    _server, protocol = daphne_protocol
    a, b = pair
    protocol.transport = FakeTransport(a)
    protocol.state = WebSocketProtocol.STATE_OPEN
    text = '{"type": "post.created", "body_html": "' + "ñ" * 200 + '"}'
    Frame(text).send(protocol)
    direct = b.recv(1 << 16)
    protocol.sendMessage(text.encode("utf8"))
    assert protocol.transport.written == [direct]
    payload = text.encode("utf8")
    assert direct == b"\x81\x7e" + len(payload).to_bytes(2, "big") + payload


def test_frame_is_not_sent_on_a_closing_socket(daphne_protocol, pair):
    _server, protocol = daphne_protocol
    a, b = pair
    protocol.transport = FakeTransport(a)
    protocol.state = WebSocketProtocol.STATE_CLOSING
    Frame("{}").send(protocol)
    assert protocol.transport.written == []
    with pytest.raises(BlockingIOError):
        b.recv(100)
