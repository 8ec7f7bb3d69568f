"""The live thread socket, through the real ASGI stack (origin check + session auth)."""

from __future__ import annotations

import contextlib
import json

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from forum.asgi import application
from forum.moderation.roles import MODERATION
from forum.threads import services
from tests import factories as f

from .helpers import citizen, ensure_council, internal_thread, public_thread

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


_opened: list[WebsocketCommunicator] = []


@pytest.fixture(autouse=True)
async def _disconnect_sockets():
    """Send every socket's disconnect at the end, as daphne does when a client goes away, so
    each consumer finishes (a consumer left running would keep a pooled connection)."""
    yield
    while _opened:
        comm = _opened.pop()
        with contextlib.suppress(Exception):
            await comm.disconnect()


async def _connect(thread_id: int, user=None, origin=ORIGIN):
    headers = [origin] if origin else []
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_cookie)(user)))
    comm = WebsocketCommunicator(application, f"/ws/threads/{thread_id}/", headers=headers)
    _opened.append(comm)
    connected, _ = await comm.connect(timeout=3)
    return comm, connected


async def _open(thread_id: int, user=None):
    comm, connected = await _connect(thread_id, user)
    assert connected
    hello = await comm.receive_json_from(timeout=2)
    assert hello["type"] == "hello"
    return comm, hello


def _setup_public():
    _u, person = citizen()
    return public_thread(), person


async def test_new_post_arrives_live_after_commit():
    thread, person = await database_sync_to_async(_setup_public)()
    comm, hello = await _open(thread.pk)
    assert hello["can_post"] is False  # anonymous
    post = await database_sync_to_async(services.post_create)(
        thread=thread, author=person, body="Hola **consejo** <script>alert(1)</script>"
    )
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.created"
    assert msg["thread_id"] == thread.pk
    assert msg["post_id"] == post.pk
    assert msg["author"] == str(person)
    assert "<strong>consejo</strong>" in msg["body_html"]
    assert "<script>" not in msg["body_html"]
    assert msg["body_tree"][0]["tag"] == "p"
    assert "<script>alert(1)</script>" in json.dumps(msg["body_tree"])  # as text, not markup
    assert msg["reply_to"] is None
    assert msg["created_at"]
    await comm.disconnect()


async def test_edits_hides_and_deletes_are_pushed():
    thread, person = await database_sync_to_async(_setup_public)()
    mod = await database_sync_to_async(f.user)(is_staff=True, groups=[MODERATION])
    post = await database_sync_to_async(services.post_create)(
        thread=thread, author=person, body="primera"
    )
    comm, _ = await _open(thread.pk)
    await database_sync_to_async(services.post_edit)(post=post, actor=person.user, body="segunda")
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.edited"
    assert "segunda" in msg["body_html"]
    assert msg["edited_at"]
    await database_sync_to_async(services.post_hide)(post=post, actor=mod, reason="Spam")
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.hidden"
    assert msg["state"] == "hidden"
    assert msg["hidden_reason"] == "Spam"
    assert msg["body_html"] == ""
    await database_sync_to_async(services.post_restore)(post=post, actor=mod)
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.restored"
    assert msg["state"] == "visible"
    await database_sync_to_async(services.post_delete)(post=post, actor=person.user)
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.deleted"
    assert msg["state"] == "deleted"
    await comm.disconnect()


async def test_resume_returns_missed_posts_in_order_without_duplicates():
    thread, person = await database_sync_to_async(_setup_public)()
    create = database_sync_to_async(services.post_create)
    posts = [await create(thread=thread, author=person, body=f"mensaje {i}") for i in range(5)]
    comm, _ = await _open(thread.pk)
    # A post that arrives live before the client asks to resume must not come twice.
    live = await create(thread=thread, author=person, body="en vivo")
    assert (await comm.receive_json_from(timeout=1))["post_id"] == live.pk
    await comm.send_json_to({"type": "resume", "after": posts[1].pk})
    got = []
    while True:
        msg = await comm.receive_json_from(timeout=1)
        if msg["type"] == "resume.done":
            break
        got.append(msg["post_id"])
    assert got == [p.pk for p in posts[2:]]
    assert msg["last_post_id"] == live.pk
    assert msg["complete"] is True
    assert await comm.receive_nothing(timeout=0.2)
    await comm.disconnect()


async def test_logged_in_person_posts_over_the_socket():
    user, _person = await database_sync_to_async(citizen)()
    thread = await database_sync_to_async(public_thread)()
    comm, hello = await _open(thread.pk, user)
    assert hello["can_post"] is True
    await comm.send_json_to({"type": "post.create", "body": "desde el *socket*", "client_id": "c1"})
    msgs = [await comm.receive_json_from(timeout=2) for _ in range(2)]
    by_type = {m["type"]: m for m in msgs}
    assert by_type["post.ack"]["client_id"] == "c1"
    assert by_type["post.created"]["post_id"] == by_type["post.ack"]["post_id"]
    assert "<em>socket</em>" in by_type["post.created"]["body_html"]
    # Validation errors come back as messages, not crashes.
    await comm.send_json_to({"type": "post.create", "body": "x" * 5001, "client_id": "c2"})
    err = await comm.receive_json_from(timeout=2)
    assert err["type"] == "error"
    assert err["code"] == "too_long"
    assert err["client_id"] == "c2"
    await comm.disconnect()


async def test_foreign_origin_refused():
    thread = await database_sync_to_async(public_thread)()
    _comm, connected = await _connect(thread.pk, origin=(b"origin", b"https://evil.example"))
    assert not connected


async def test_missing_origin_refused():
    thread = await database_sync_to_async(public_thread)()
    _comm, connected = await _connect(thread.pk, origin=None)
    assert not connected


async def test_anonymous_cannot_join_internal_thread():
    council = await database_sync_to_async(ensure_council)()
    thread = await database_sync_to_async(internal_thread)(council)
    comm, connected = await _connect(thread.pk)
    assert connected  # accepted only to say why
    closing = await comm.receive_output(timeout=2)
    assert closing == {"type": "websocket.close", "code": 4403}


async def test_citizen_cannot_join_internal_thread_but_member_can():
    from .helpers import member

    council = await database_sync_to_async(ensure_council)()
    thread = await database_sync_to_async(internal_thread)(council)
    outsider, _ = await database_sync_to_async(citizen)()
    insider, _ = await database_sync_to_async(member)(council)
    comm, _connected = await _connect(thread.pk, outsider)
    assert (await comm.receive_output(timeout=2))["code"] == 4403
    comm, hello = await _open(thread.pk, insider)
    assert hello["can_post"] is True
    await comm.disconnect()


async def test_unknown_thread_closes_with_4404():
    comm, connected = await _connect(999999)
    assert connected
    assert (await comm.receive_output(timeout=2))["code"] == 4404


async def test_anonymous_cannot_post():
    thread = await database_sync_to_async(public_thread)()
    comm, _ = await _open(thread.pk)
    await comm.send_json_to({"type": "post.create", "body": "hola", "client_id": "a"})
    err = await comm.receive_json_from(timeout=1)
    assert err["type"] == "error"
    assert err["code"] == "login_required"
    assert not await database_sync_to_async(thread.posts.exists)()
    await comm.disconnect()


async def test_invalid_json_is_an_error_not_a_crash():
    thread = await database_sync_to_async(public_thread)()
    comm, _ = await _open(thread.pk)
    await comm.send_to(text_data="{not json")
    assert (await comm.receive_json_from(timeout=1))["code"] == "invalid_json"
    await comm.send_to(text_data="[1, 2]")
    assert (await comm.receive_json_from(timeout=1))["code"] == "invalid_message"
    await comm.send_json_to({"type": "resume", "after": "abc"})
    assert (await comm.receive_json_from(timeout=1))["code"] == "invalid_message"
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from(timeout=1))["type"] == "pong"
    await comm.disconnect()


async def test_oversize_message_refused_with_its_client_id_and_the_socket_stays_open():
    thread = await database_sync_to_async(public_thread)()
    comm, _ = await _open(thread.pk)
    frame = {"type": "post.create", "body": "x" * 70_000, "client_id": "c7"}
    await comm.send_to(text_data=json.dumps(frame))
    err = await comm.receive_json_from(timeout=1)
    assert err["type"] == "error"
    assert err["code"] == "too_large"
    assert err["client_id"] == "c7"  # the page shows it beside that message
    # Not closed (daphne refuses a close with 1009: the client saw 1011).
    await comm.send_json_to({"type": "ping"})
    assert (await comm.receive_json_from(timeout=1))["type"] == "pong"


async def test_rate_limit_per_connection():
    thread = await database_sync_to_async(public_thread)()
    comm, _ = await _open(thread.pk)
    for _ in range(30):
        await comm.send_json_to({"type": "ping"})
    replies = [await comm.receive_json_from(timeout=1) for _ in range(30)]
    kinds = [r.get("code") or r["type"] for r in replies]
    assert "pong" in kinds
    assert "rate_limited" in kinds
    assert kinds.count("pong") < 30
    await comm.disconnect()


async def test_second_edit_is_not_served_from_the_first_edits_cache():
    thread, person = await database_sync_to_async(_setup_public)()
    post = await database_sync_to_async(services.post_create)(
        thread=thread, author=person, body="uno"
    )
    socks = [(await _open(thread.pk))[0] for _ in range(2)]
    edit = database_sync_to_async(services.post_edit)
    for text in ("dos", "tres"):
        await edit(post=post, actor=person.user, body=text)
        for comm in socks:
            msg = await comm.receive_json_from(timeout=1)
            assert msg["type"] == "post.edited"
            assert msg["body_html"] == f"<p>{text}</p>"
    for comm in socks:
        await comm.disconnect()


async def test_sockets_leaving_and_joining_keep_receiving():
    thread, person = await database_sync_to_async(_setup_public)()
    create = database_sync_to_async(services.post_create)
    first, _ = await _open(thread.pk)
    second, _ = await _open(thread.pk)
    await first.disconnect()
    post = await create(thread=thread, author=person, body="uno")
    assert (await second.receive_json_from(timeout=1))["post_id"] == post.pk
    await second.disconnect()
    third, _ = await _open(thread.pk)  # the process re-subscribes after everyone left
    post = await create(thread=thread, author=person, body="dos")
    assert (await third.receive_json_from(timeout=1))["post_id"] == post.pk
    assert await third.receive_nothing(timeout=0.2)
    await third.disconnect()


async def test_resume_replays_changes_to_older_posts_missed_while_away():
    thread, person = await database_sync_to_async(_setup_public)()
    mod = await database_sync_to_async(f.user)(is_staff=True, groups=[MODERATION])
    create = database_sync_to_async(services.post_create)
    kept = await create(thread=thread, author=person, body="sin cambios")
    edited = await create(thread=thread, author=person, body="antes")
    hidden = await create(thread=thread, author=person, body="ofensivo")
    comm, hello = await _open(thread.pk)
    since = hello["server_time"]
    await comm.disconnect()

    await database_sync_to_async(services.post_edit)(post=edited, actor=person.user, body="después")
    await database_sync_to_async(services.post_hide)(post=hidden, actor=mod, reason="Insultos")
    newer = await create(thread=thread, author=person, body="nuevo")

    comm, _ = await _open(thread.pk)
    await comm.send_json_to({"type": "resume", "after": hidden.pk, "changed_since": since})
    got = []
    while True:
        msg = await comm.receive_json_from(timeout=1)
        if msg["type"] == "resume.done":
            break
        got.append((msg["type"], msg["post_id"]))
    assert got == [
        ("post.edited", edited.pk),
        ("post.hidden", hidden.pk),
        ("post.created", newer.pk),
    ]
    assert kept.pk not in [post_id for _t, post_id in got]
    await comm.send_json_to({"type": "resume", "after": 0, "changed_since": "ayer"})
    assert (await comm.receive_json_from(timeout=1))["code"] == "invalid_message"
    await comm.disconnect()


async def test_a_socket_that_fails_does_not_stop_the_others(monkeypatch):
    from forum.threads.consumers import hub

    thread, person = await database_sync_to_async(_setup_public)()
    first, _ = await _open(thread.pk)
    (broken,) = hub().members[thread.pk]  # the first socket's consumer
    second, _ = await _open(thread.pk)

    def fail(*args, **kwargs):
        raise RuntimeError("socket gone wrong")

    monkeypatch.setattr(broken, "deliver", fail)
    create = database_sync_to_async(services.post_create)
    post = await create(thread=thread, author=person, body="para todos")
    assert (await second.receive_json_from(timeout=1))["post_id"] == post.pk
    post = await create(thread=thread, author=person, body="y después")
    assert (await second.receive_json_from(timeout=1))["post_id"] == post.pk
    await first.disconnect()
    await second.disconnect()


def _idea_begun_by_its_first_message():
    _u1, first = citizen()
    _u2, second = citizen()
    idea = f.idea(title="Bebederos en la costanera de Puerto Montt")
    post = services.idea_post_create(idea=idea, author=first, body="Primera opinión")
    return idea, post.thread, second


async def test_an_ideas_conversation_opened_by_its_first_message_is_live():
    idea, thread, second = await database_sync_to_async(_idea_begun_by_its_first_message)()
    comm, _hello = await _open(thread.pk)
    post = await database_sync_to_async(services.idea_post_create)(
        idea=idea, author=second, body="Segunda opinión, en vivo"
    )
    msg = await comm.receive_json_from(timeout=1)
    assert msg["type"] == "post.created"
    assert msg["thread_id"] == thread.pk
    assert msg["post_id"] == post.pk
