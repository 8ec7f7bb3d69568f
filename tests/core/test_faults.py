"""Faults (issue 14, items 1-3) on private PostgreSQL and Redis servers this module starts on
free ports (tests/fault_servers.py): PostgreSQL restarted under webhooks and page loads, Redis
stopped under a live thread, the worker SIGKILLed during pushes. docs/reliability.md, "Faults".

Real processes: daphne (DEBUG off), ``manage.py work``, a fake Telegram API in this process.
Marked ``faults``: run in CI's second pass (CI=true) or with FAULT_TESTS=1.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import websockets
from websockets.typing import Origin

from tests.bots.conftest import SECRET, tg_message
from tests.bots.fake_telegram import FakeTelegram
from tests.daphne_proc import ROOT, start_daphne
from tests.fault_servers import PrivatePostgres, PrivateRedis

pytestmark = [pytest.mark.faults, pytest.mark.slow]

PASSWORD = "faults-pw-1234"


def _wait(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


class Stack:
    """PostgreSQL + Redis of our own, migrated, with a user and a public thread."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.pg = PrivatePostgres.start()
        self.redis = PrivateRedis.start()
        self.telegram = FakeTelegram().start()
        self.env = {
            k: v
            for k, v in os.environ.items()
            if k not in {"PYTEST_CURRENT_TEST", "DEBUG", "PYTEST_XDIST_WORKER", "CI"}
        } | {
            "DATABASE_URL": self.pg.url,
            "REDIS_URL": self.redis.url,
            "REDIS_PREFIX": "faults",
            "SECRET_KEY": "faults-test-" + "x" * 40,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_COOKIES": "0",
            "DATABASE_POOL_TIMEOUT": "3",
            "TELEGRAM_API_URL": self.telegram.base_url,
            "TELEGRAM_BOT_TOKEN": "123456:TEST-token",
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "THREADS_RESYNC_SECONDS": "1",
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "OUTBOX_RECORD_FILE": str(tmp / "record.log"),
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
        self.manage("migrate", "--noinput", "-v", "0")
        self.thread_id = int(
            self.shell(
                "from django.contrib.auth import get_user_model\n"
                "from forum.threads.models import Thread\n"
                f"get_user_model().objects.create_user('ana', 'ana@example.cl', '{PASSWORD}')\n"
                "print(Thread.objects.create(kind='topic', title='Vivo', visibility='public').pk)"
            )
        )

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def shell(self, code: str) -> str:
        return self.manage("shell", "-c", code).strip().splitlines()[-1]

    def worker(self, *args: str) -> subprocess.Popen:
        log = (self.tmp / f"work-{time.monotonic_ns()}.log").open("w")
        return subprocess.Popen(
            [sys.executable, "manage.py", "work", "--sleep", "0.1", *args],
            cwd=ROOT,
            env=self.env | {"LOG_LEVEL": "INFO"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def close(self) -> None:
        self.telegram.stop()
        self.redis.stop()
        self.pg.remove()


@pytest.fixture(scope="module")
def stack(tmp_path_factory) -> Iterator[Stack]:
    s = Stack(tmp_path_factory.mktemp("faults"))
    try:
        yield s
    finally:
        s.close()


@contextlib.contextmanager
def running(stack: Stack, *worker_args: str) -> Iterator[tuple[str, subprocess.Popen]]:
    web = start_daphne(stack.env, log=stack.tmp / f"daphne-{time.monotonic_ns()}.log")
    work = stack.worker(*worker_args)
    try:
        yield web.origin, work
    finally:
        web.stop()
        if work.poll() is None:
            work.send_signal(signal.SIGTERM)
            work.wait(timeout=60)


def csrf_token(page: httpx.Response) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found is not None, page.text[:500]
    return found.group(1)


def signed_in(origin: str) -> httpx.Client:
    client = httpx.Client(base_url=origin, timeout=30)
    token = csrf_token(client.get("/cuenta/entrar/"))
    answer = client.post(
        "/cuenta/entrar/",
        data={"csrfmiddlewaretoken": token, "username": "ana", "password": PASSWORD},
    )
    assert answer.status_code == 302, answer.text[:500]
    return client


def visit_everything(client: httpx.Client, anonymous: httpx.Client) -> list[tuple[str, int]]:
    """The pages the issue found answering 500; (path, status) of each."""
    seen = []
    for path in ("/ideas/NOEXISTE/", "/", "/ideas/", "/api/ideas", "/salud/"):
        seen.append((path, client.get(path).status_code))
    token = csrf_token(anonymous.get("/cuenta/entrar/"))
    wrong = anonymous.post(
        "/cuenta/entrar/",
        data={"csrfmiddlewaretoken": token, "username": "ana", "password": "wrong"},
    )
    seen.append(("POST /cuenta/entrar/", wrong.status_code))
    return seen


def test_postgres_restart_under_webhooks_and_pages(stack):
    chats = list(range(7_100_001, 7_100_061))
    with running(stack) as (origin, work):
        client, anonymous = signed_in(origin), httpx.Client(base_url=origin, timeout=30)
        assert client.get("/ideas/NOEXISTE/").status_code == 404  # the error page, signed in

        statuses: Counter[int] = Counter()

        def post_updates() -> None:
            with httpx.Client(base_url=origin, timeout=30) as hook:
                for chat in chats:
                    body = json.dumps(tg_message(chat, "/start"))
                    for _ in range(100):  # as Telegram does: again until a 2xx
                        answer = hook.post(
                            "/bots/telegram/webhook/",
                            content=body,
                            headers={
                                "X-Telegram-Bot-Api-Secret-Token": SECRET,
                                "Content-Type": "application/json",
                            },
                        )
                        statuses[answer.status_code] += 1
                        if answer.status_code == 200:
                            break
                        time.sleep(0.3)
                    time.sleep(1 / 15)

        sender = threading.Thread(target=post_updates)
        sender.start()
        time.sleep(1.5)
        stack.pg.pg_ctl("restart")  # -m fast: every connection is cut
        sender.join(timeout=120)
        assert not sender.is_alive()
        print(f"\nwebhook answers during the restart: {dict(statuses)}")
        assert statuses[500] == 0, statuses

        # After recovery: no 500 anywhere, the signed-in error page included.
        for _ in range(3):
            seen = visit_everything(client, anonymous)
            assert [s for s in seen if s[1] == 500] == [], seen
        assert dict(seen)["/ideas/NOEXISTE/"] == 404
        assert dict(seen)["/salud/"] == 200

        # Every update answered exactly once (the /start welcome is two messages).
        _wait(
            lambda: all(len(stack.telegram.sent(c)) >= 2 for c in chats),
            90,
            "every update answered",
        )
        time.sleep(2)
        counts = Counter(len(stack.telegram.sent(c)) for c in chats)
        assert counts == {2: len(chats)}, counts
        assert work.poll() is None  # the worker rode it out


async def _listen(url: str, origin: str, got: list[dict], ready: asyncio.Event) -> None:
    with contextlib.suppress(websockets.ConnectionClosed, asyncio.CancelledError):
        async with websockets.connect(url, origin=Origin(origin)) as socket:
            while True:
                frame = json.loads(await socket.recv())
                got.append(frame)
                if frame.get("type") == "hello":
                    ready.set()


def test_redis_stopped_pages_work_and_posts_reach_open_sockets(stack):
    with running(stack) as (origin, _work):
        client, anonymous = signed_in(origin), httpx.Client(base_url=origin, timeout=30)
        got: list[dict] = []
        url = origin.replace("http", "ws") + f"/ws/threads/{stack.thread_id}/"
        loop = asyncio.new_event_loop()
        ready = asyncio.Event()
        listener = loop.create_task(_listen(url, origin, got, ready))
        runner = threading.Thread(target=loop.run_until_complete, args=(listener,), daemon=True)
        runner.start()
        _wait(ready.is_set, 30, "the socket's hello")

        def post(body: str) -> int:
            return int(
                stack.shell(
                    "from forum.threads import services\n"
                    "from forum.threads.models import Thread\n"
                    "from forum.participation.services import person_for_user\n"
                    "from django.contrib.auth import get_user_model\n"
                    "author = person_for_user(user=get_user_model().objects.get(username='ana'))\n"
                    f"t = Thread.objects.get(pk={stack.thread_id})\n"
                    f"print(services.post_create(thread=t, author=author, body='{body}').pk)"
                )
            )

        def delivered(post_id: int) -> bool:
            return any(
                f.get("type") == "post.created" and f.get("post_id") == post_id for f in list(got)
            )

        stack.redis.stop()
        try:
            seen = visit_everything(client, anonymous)
            assert [s for s in seen if s[1] == 500] == [], seen
            assert dict(seen)["/salud/"] == 503  # and it says so
            during = post("Escrito con Redis detenido")
            _wait(lambda: delivered(during), 30, "the post made during the outage")
        finally:
            stack.redis.restart()
        after = post("Escrito con Redis de vuelta")
        _wait(lambda: delivered(after), 30, "the post made after the outage")
        _wait(lambda: client.get("/salud/").status_code == 200, 30, "a healthy probe")
        created = [f["post_id"] for f in got if f.get("type") == "post.created"]
        assert Counter(created) == {during: 1, after: 1}  # each once, the socket still open
        loop.call_soon_threadsafe(listener.cancel)
        runner.join(timeout=10)


def test_worker_sigkill_during_pushes_doubles_at_most_one_per_kill(stack):
    n, kills = 150, 2
    ids = json.loads(
        stack.shell(
            "import json\n"
            "from django.utils import timezone\n"
            "from forum.notifications.models import Delivery, Notification\n"
            "from forum.participation.models import Person\n"
            "p = Person.objects.create(display_name='Push')\n"
            f"notes = Notification.objects.bulk_create([Notification(person=p, kind='thread_post',"
            f" payload={{'thread_id': 1, 'thread_title': 't'}}) for _ in range({n})])\n"
            "rows = Delivery.objects.bulk_create([Delivery(notification=x, channel='recorder',"
            " address=f'chat-{i}', available_at=timezone.now()) for i, x in enumerate(notes)])\n"
            "print(json.dumps([d.pk for d in rows]))"
        )
    )
    record = Path(stack.env["OUTBOX_RECORD_FILE"])
    env = {"OUTBOX_RECORD_DELAY": "0.01"}

    def sent() -> Counter[int]:
        lines = record.read_text().splitlines() if record.exists() else []
        return Counter(int(x.split()[2]) for x in lines if x.startswith("sent "))

    stack.env.update(env)
    for k in range(kills):
        work = stack.worker("--kind", "outbox", "--lease", "2", "--batch", "10")
        _wait(lambda k=k: len(sent()) >= (k + 1) * n // (kills + 1), 120, "pushes under way")
        work.send_signal(signal.SIGKILL)
        work.wait(timeout=30)
    work = stack.worker("--kind", "outbox", "--lease", "2", "--batch", "10")
    try:
        _wait(lambda: set(sent()) >= set(ids), 120, "every push")
    finally:
        work.send_signal(signal.SIGTERM)
        work.wait(timeout=60)
    counts = sent()
    duplicates = sum(c - 1 for c in counts.values())
    print(f"\n{n} pushes, {kills} SIGKILLs: {duplicates} sent twice, 0 lost")
    assert set(counts) == set(ids)  # nothing lost
    assert duplicates <= kills
