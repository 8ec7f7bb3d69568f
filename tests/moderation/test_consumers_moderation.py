"""The moderators' live queue socket, through the real ASGI stack (origin check + session)."""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from forum.asgi import application
from forum.moderation import services
from forum.participation import services as participation
from forum.participation.models import Channel
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = (b"origin", b"http://testserver")
PATH = "/ws/moderacion/"


def _cookie(user) -> bytes:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}".encode()


async def _connect(user=None):
    headers = [ORIGIN]
    if user is not None:
        headers.append((b"cookie", await database_sync_to_async(_cookie)(user)))
    comm = WebsocketCommunicator(application, PATH, headers=headers)
    connected, _code = await comm.connect(timeout=3)
    return comm, connected


async def _expect(comm, predicate, *, limit: int = 200):
    """The first message matching ``predicate``. With a shared Redis, other processes on this
    machine may publish on the same group: their events are skipped."""
    for _ in range(limit):
        msg = await comm.receive_json_from(timeout=3)
        if predicate(msg):
            return msg
    raise AssertionError("expected event never arrived")


def _submit(title: str):
    # No region: transactional tests flush the regions the data migration made.
    return participation.idea_submit(author=factories.person(), title=title, channel=Channel.WEB)


async def test_moderator_hears_new_ideas_and_merges(django_capture_on_commit_callbacks):
    user = await database_sync_to_async(moderator)("mod-ws")
    comm, connected = await _connect(user)
    assert connected

    def submit_and_capture():
        with django_capture_on_commit_callbacks(execute=True):
            return _submit("Más cursos de soldadura en Coronel")

    idea = await database_sync_to_async(submit_and_capture)()
    msg = await _expect(comm, lambda m: m["type"] == "idea.created" and m.get("idea_id") == idea.pk)
    assert msg == {"type": "idea.created", "idea_id": idea.pk}

    other = await database_sync_to_async(_submit)("Cursos de soldadura en Coronel")
    await _expect(comm, lambda m: m["type"] == "idea.created" and m.get("idea_id") == other.pk)
    await database_sync_to_async(services.idea_merge)(canonical=idea, merged=[other], actor=user)
    changed = await _expect(
        comm, lambda m: m["type"] == "idea.status_changed" and m.get("idea_id") == other.pk
    )
    assert changed == {"type": "idea.status_changed", "idea_id": other.pk, "status": "merged"}
    merged = await _expect(
        comm, lambda m: m["type"] == "idea.merged" and m.get("canonical_id") == idea.pk
    )
    assert merged["merged_ids"] == [other.pk]
    await comm.disconnect()


async def test_participant_is_refused():
    user = await database_sync_to_async(factories.user)("vecino-ws")
    comm, connected = await _connect(user)
    assert not connected
    await comm.disconnect()


async def test_anonymous_is_refused():
    comm, connected = await _connect(None)
    assert not connected
    await comm.disconnect()
