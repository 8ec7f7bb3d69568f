"""The health endpoint (``/salud/``, ``/health/``): what a load balancer and an operator read.

In-process: the components and the backlog figures (outbox, bot updates), which a worker that
does its job brings back to zero. Real daphne processes: a probe with the load balancer's own
Host over plain HTTP, behind ``ALLOWED_HOSTS`` and ``SECURE_SSL_REDIRECT``, and the 503 that
names the database or Redis when it is unreachable; the probe returns then instead of hanging.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pytest
from channels.testing import HttpCommunicator
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import timezone

from forum.bots import services as bot_services
from forum.bots.models import InboundUpdate
from forum.core import health
from forum.notifications.kinds import StatusChanged
from forum.notifications.models import Delivery
from forum.notifications.services import notification_create_many
from forum.notifications.worker import OutboxWorker
from tests import factories
from tests.daphne_proc import ROOT, free_port, start_daphne

# The checks read the database from threads of their own: rows must be committed to be seen.
pytestmark = pytest.mark.django_db(transaction=True)

LONG_AGO = dt.timedelta(minutes=20)
S = Delivery.Status


def probe(client, path: str = "/salud/") -> tuple[int, dict]:
    response = client.get(path)
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def expected_backends() -> dict[str, str]:
    on_redis = bool(django_settings.REDIS_URL)
    return {
        "database": django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "cache": "redis" if on_redis else "local-memory",
        "channel_layer": "redis" if on_redis else "in-memory",
    }


def test_a_healthy_process_answers_200_naming_every_component(client):
    status, body = probe(client)

    assert status == 200
    assert body["status"] == "ok"
    assert body["failed"] == []
    assert {name: c["backend"] for name, c in body["checks"].items()} == expected_backends()
    assert all(c["ok"] for c in body["checks"].values())
    assert body["outbox"] == {"due": 0, "oldest_due_seconds": None, "failed": 0}
    assert body["bots"] == {"unprocessed": 0, "oldest_unprocessed_seconds": None, "dead": 0}
    assert body["late"] == []

    response = client.get("/health/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Anonymous and without a CSRF token; only reads.
    assert client.post("/salud/").status_code == 405


def test_an_overdue_notification_shows_in_the_outbox_figures(client, settings):
    person = factories.person(email="ana@example.cl")
    idea = factories.idea(author=person)
    [note] = notification_create_many(
        people=[person],
        idea=idea,
        notice=StatusChanged(code=idea.tracking_code, title=idea.title, from_status="received"),
    )
    assert sorted(note.deliveries.values_list("channel", flat=True)) == ["email", "inbox"]
    # Written twenty minutes ago, and no worker has run since.
    Delivery.objects.update(available_at=timezone.now() - LONG_AGO)

    status, body = probe(client)
    assert status == 200  # a stopped worker is not a dead web process
    assert body["outbox"]["due"] == Delivery.objects.filter(status=S.PENDING).count() >= 2
    assert body["outbox"]["oldest_due_seconds"] >= LONG_AGO.total_seconds()
    assert body["late"] == ["outbox"]

    status, body = probe(client, "/salud/?strict=1")
    assert status == 503
    assert (body["status"], body["failed"], body["late"]) == ("late", [], ["outbox"])

    # A worker runs; the mail server refuses connections, and one attempt is all it gets.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    OutboxWorker(max_attempts=1).run_until_idle()
    assert note.deliveries.get(channel="email").status == S.FAILED

    status, body = probe(client, "/salud/?strict=1")
    assert status == 200
    assert body["outbox"] == {"due": 0, "oldest_due_seconds": None, "failed": 1}
    assert body["late"] == []


def test_bot_updates_waiting_and_given_up_show_in_the_bots_figures(client):
    stored = bot_services.update_store(
        platform="telegram",
        update_id="880001",
        payload={"update_id": 880001, "message": {"message_id": 1, "text": "/start"}},
    )
    assert stored is not None
    InboundUpdate.objects.update(created_at=timezone.now() - LONG_AGO)

    _status, body = probe(client)
    assert body["bots"]["unprocessed"] == 1
    assert body["bots"]["oldest_unprocessed_seconds"] >= LONG_AGO.total_seconds()
    assert body["late"] == ["bots"]

    def broken(update):
        raise RuntimeError("the engine fails on this update")

    for _ in range(bot_services.MAX_UPDATE_ATTEMPTS):
        bot_services.update_process(update_pk=stored.pk, handler=broken)

    _status, body = probe(client)
    assert body["bots"] == {"unprocessed": 0, "oldest_unprocessed_seconds": None, "dead": 1}
    assert body["late"] == []


@pytest.mark.asyncio
async def test_the_probe_is_answered_whatever_host_the_load_balancer_sends():
    from forum.asgi import application

    async def get(path: str) -> dict:
        communicator = HttpCommunicator(
            application, "GET", path, headers=[(b"host", b"10.0.0.7:8000")]
        )
        response = await communicator.get_response(timeout=10)
        await communicator.wait(timeout=10)
        return response

    response = await get("/salud/")
    assert response["status"] == 200
    assert json.loads(response["body"])["status"] == "ok"
    headers = dict(response["headers"])
    assert b"no-store" in headers[b"Cache-Control"]
    assert headers[b"X-Content-Type-Options"] == b"nosniff"
    # Every other page still refuses a host that is not in ALLOWED_HOSTS.
    assert (await get("/"))["status"] == 400


@pytest.mark.redis
@pytest.mark.asyncio
async def test_with_real_redis_the_cache_and_channel_layer_checks_pass_and_leave_nothing():
    import redis

    status, body = await health.report()

    assert status == 200
    assert body["checks"]["cache"] == body["checks"]["cache"] | {"backend": "redis", "ok": True}
    assert body["checks"]["channel_layer"]["backend"] == "redis"
    assert body["checks"]["channel_layer"]["ok"] is True
    # The probe's channel is let go while this loop (and its connection to Redis) lives on:
    # a load balancer probing every few seconds must not pile up subscriptions.
    server = redis.Redis.from_url(os.environ["REDIS_URL"])
    try:
        prefix = django_settings.CHANNEL_LAYERS["default"]["CONFIG"]["prefix"]
        assert server.pubsub_channels(f"{prefix}health.*") == []
        assert server.keys(cache.make_key("health:*")) == []
    finally:
        server.close()


# ---------------------------------------------------------------- real daphne processes


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> str:
    """A migrated SQLite file for the daphne children (the suite's test database may be an
    in-memory one they cannot open)."""
    path = str(tmp_path_factory.mktemp("health") / "db.sqlite3")
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env={**env, "SQLITE_PATH": path, "DEBUG": "1"},
        check=True,
        timeout=300,
    )
    return path


def production_env(sqlite_path: str, **extra: str) -> dict[str, str]:
    """Production settings: DEBUG off, one public host name, HTTPS redirect on."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "PYTEST_CURRENT_TEST", "DEBUG"}
    }
    env.update(
        SECRET_KEY="health-test-" + "x" * 40,
        ALLOWED_HOSTS="foro.example.cl",
        SECURE_SSL_REDIRECT="1",
        SQLITE_PATH=sqlite_path,
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    env.update(extra)
    return env


def http_get(
    port: int, path: str, host: str = "10.0.0.7:8000"
) -> tuple[int, dict[str, str], bytes]:
    """One request as a load balancer sends it (its own Host, plain HTTP). The socket timeout
    only keeps a hang from blocking the suite; nothing here measures speed."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", path, headers={"Host": host})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def daphne(env: dict[str, str]) -> Iterator[int]:
    server = start_daphne(env)
    try:
        yield server.port
    finally:
        server.stop()


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """Accepts connections and never answers: a Redis that stopped responding."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                accepted.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


@pytest.mark.slow
@pytest.mark.parametrize("redis_state", ["closed port", "not answering"])
def test_unreachable_redis_is_named_and_the_probe_returns(migrated_sqlite, redis_state):
    with contextlib.ExitStack() as stack:
        port = free_port() if redis_state == "closed port" else stack.enter_context(silent_server())
        env = production_env(migrated_sqlite, REDIS_URL=f"redis://127.0.0.1:{port}/0")
        web = stack.enter_context(daphne(env))

        status, headers, raw = http_get(web, "/salud/")

        assert status == 503, raw
        assert "no-store" in headers["Cache-Control"]
        body = json.loads(raw)
        assert body["status"] == "unavailable"
        assert body["failed"] == ["cache", "channel_layer"]
        for name in body["failed"]:
            assert body["checks"][name]["backend"] == "redis"
            assert body["checks"][name]["error"]
        assert body["checks"]["database"]["ok"] is True
        assert body["outbox"]["due"] == 0
        # The same process refuses the load balancer's Host on a page, and redirects the
        # site's own host to HTTPS: the probe is let through, not the settings relaxed.
        assert http_get(web, "/")[0] == 400
        page_status, page_headers, _ = http_get(web, "/", host="foro.example.cl")
        assert page_status == 301
        assert page_headers["Location"].startswith("https://foro.example.cl/")


@pytest.mark.slow
def test_unreachable_database_is_named_and_the_probe_returns(migrated_sqlite):
    url = f"postgres://foro@127.0.0.1:{free_port()}/foro"
    with daphne(production_env(migrated_sqlite, DATABASE_URL=url)) as web:
        status, _headers, raw = http_get(web, "/health/")

    assert status == 503, raw
    body = json.loads(raw)
    assert body["failed"] == ["database"]
    assert body["checks"]["database"]["backend"] == "postgresql"
    assert body["checks"]["database"]["error"]
    assert body["checks"]["cache"]["ok"] is True
    assert body["outbox"] is None
    assert body["bots"] is None
