"""Two daphne processes on PostgreSQL + Redis: a post made through one reaches a client of the
other, and a client resuming on the other gets what it missed."""

from __future__ import annotations

import asyncio
import json

import pytest
from websockets.asyncio.client import connect

from .helpers import citizen, public_thread
from .servers import session_cookie, start_daphne

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def two_daphnes():
    a = start_daphne()
    try:
        b = start_daphne()
    except Exception:
        a.stop()
        raise
    yield a, b
    a.stop()
    b.stop()


async def _next(ws, wanted: str) -> dict:
    while True:
        msg = json.loads(await asyncio.wait_for(ws.recv(), 10))
        if msg["type"] == wanted:
            return msg


async def _scenario(a, b, thread_id: int, cookie: str) -> None:
    path = f"/ws/threads/{thread_id}/"
    async with (
        connect(b.ws(path), origin=b.origin) as listener,
        connect(a.ws(path), origin=a.origin, additional_headers={"Cookie": cookie}) as poster,
    ):
        assert (await _next(listener, "hello"))["can_post"] is False
        assert (await _next(poster, "hello"))["can_post"] is True

        await poster.send(
            json.dumps({"type": "post.create", "body": "desde **A**", "client_id": "1"})
        )
        ack = await _next(poster, "post.ack")
        seen = await _next(listener, "post.created")
        assert seen["post_id"] == ack["post_id"]
        assert "<strong>A</strong>" in seen["body_html"]
        last_seen = seen["post_id"]

    # The listener is gone; two more posts are made on A meanwhile.
    missed = []
    async with connect(
        a.ws(path), origin=a.origin, additional_headers={"Cookie": cookie}
    ) as poster:
        await _next(poster, "hello")
        for i in range(2):
            await poster.send(json.dumps({"type": "post.create", "body": f"perdido {i}"}))
            missed.append((await _next(poster, "post.ack"))["post_id"])

    async with connect(b.ws(path), origin=b.origin) as listener:
        await _next(listener, "hello")
        await listener.send(json.dumps({"type": "resume", "after": last_seen}))
        got = []
        while True:
            msg = json.loads(await asyncio.wait_for(listener.recv(), 10))
            if msg["type"] == "resume.done":
                break
            assert msg["type"] == "post.created"
            got.append(msg["post_id"])
        assert got == missed
        assert msg["last_post_id"] == missed[-1]


def test_post_on_one_daphne_reaches_the_other_and_resume_works(two_daphnes):
    a, b = two_daphnes
    user, _person = citizen()
    thread = public_thread()
    cookie = session_cookie(user)
    try:
        asyncio.run(_scenario(a, b, thread.pk, cookie))
    except Exception:
        print("daphne A:", a.output(), "\ndaphne B:", b.output())
        raise
    assert thread.posts.count() == 3
