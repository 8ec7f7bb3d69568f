"""A streamed body waits while daphne's transport holds more than LIMIT bytes for the client."""

from __future__ import annotations

import asyncio
from functools import partial

from forum.core import backpressure


async def _receive() -> dict:
    return {"type": "http.request"}


async def _run(app, send) -> None:
    await app({"type": "http"}, _receive, send)


class FakeTransport:
    """What Twisted's FileDescriptor keeps: written bytes not yet taken by the socket."""

    def __init__(self) -> None:
        self.connected, self.disconnecting = True, False
        self.dataBuffer, self.offset, self._tempDataLen = b"", 0, 0

    def write(self, data: bytes) -> None:
        self._tempDataLen += len(data)


class FakeProtocol:
    def __init__(self) -> None:
        self.transport = FakeTransport()


def _app(chunks: int, size: int):
    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(chunks):
            await send({"type": "http.response.body", "body": b"x" * size, "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    return app


def test_a_streamed_body_waits_for_a_slow_client():
    protocol = FakeProtocol()
    peak = 0

    async def reply(proto, message):
        nonlocal peak
        proto.transport.write(message.get("body", b""))
        peak = max(peak, proto.transport._tempDataLen)

    async def client_reads_slowly():
        for _ in range(400):
            await asyncio.sleep(0.002)
            protocol.transport._tempDataLen = max(0, protocol.transport._tempDataLen - 200_000)

    async def main():
        app = backpressure.paced(_app(chunks=20, size=500_000))  # 10 MB
        reader = asyncio.create_task(client_reads_slowly())
        await app({"type": "http"}, _receive, partial(reply, protocol))
        reader.cancel()

    asyncio.run(main())
    # Never more than the limit plus one chunk queued (10 MB without the wait).
    assert peak <= backpressure.LIMIT + 500_000


def test_a_closed_connection_or_another_server_is_not_waited_for():
    protocol = FakeProtocol()
    protocol.transport._tempDataLen = 10 * backpressure.LIMIT
    protocol.transport.disconnecting = True
    sent = []

    async def reply(proto, message):
        sent.append(message)

    async def other_server(message):
        sent.append(message)

    asyncio.run(_run(backpressure.paced(_app(3, 10)), partial(reply, protocol)))
    asyncio.run(_run(backpressure.paced(_app(3, 10)), other_server))
    assert len(sent) == 10
