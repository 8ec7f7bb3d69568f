"""The real ``manage.py outbox_worker`` process, killed mid-send and racing another worker.

The child processes use the test database (``DATABASE_URL`` points at it) and the settings in
``worker_settings.py``, which add the "recorder" channel: its sender writes ``started``/``sent``
lines to a file and waits while a block file exists, so the test can SIGKILL a worker after it
claimed a delivery and before it finished.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from forum.notifications.models import Delivery, Notification
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
S = Delivery.Status


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _start_worker(tmp_path: Path, *args: str) -> subprocess.Popen:
    env = os.environ | {
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DEBUG": "1",
        "OUTBOX_RECORD_FILE": str(tmp_path / "record.log"),
        "OUTBOX_BLOCK_FILE": str(tmp_path / "block"),
        "LOG_LEVEL": "INFO",
    }
    log = (tmp_path / f"worker-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen(
        [sys.executable, "manage.py", "outbox_worker", "--sleep", "0.1", *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def _records(tmp_path: Path) -> list[tuple[str, int, int]]:
    path = tmp_path / "record.log"
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        what, pid, delivery = line.split()
        rows.append((what, int(pid), int(delivery)))
    return rows


def _wait_for(predicate, timeout: float = 90.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def _recorder_deliveries(n: int) -> list[int]:
    # No idea needed (and no regions: a transactional test flushes data migrations' rows).
    person = factories.person()
    notes = Notification.objects.bulk_create(
        [
            Notification(
                person=person,
                kind=Notification.Kind.THREAD_POST,
                payload={"thread_id": 1, "thread_title": "t"},
            )
            for _ in range(n)
        ]
    )
    rows = Delivery.objects.bulk_create(
        [
            Delivery(
                notification=note,
                channel="recorder",
                address=f"chat-{i}",
                available_at=timezone.now(),
            )
            for i, note in enumerate(notes)
        ]
    )
    return [d.pk for d in rows]


def _stop(proc: subprocess.Popen) -> int:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            return proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise
    return proc.returncode


def test_a_killed_worker_loses_nothing_and_sends_nothing_twice(tmp_path):
    [delivery_id] = _recorder_deliveries(1)
    (tmp_path / "block").touch()
    first = _start_worker(tmp_path, "--lease", "3")
    try:
        _wait_for(lambda: any(r[0] == "started" for r in _records(tmp_path)), what="a claim")
        row = Delivery.objects.get(pk=delivery_id)
        assert row.status == S.SENDING  # claimed and committed, the send in progress
        first.send_signal(signal.SIGKILL)  # no chance to clean up
        assert first.wait(timeout=10) == -signal.SIGKILL
    finally:
        if first.poll() is None:
            first.kill()
    assert [r[0] for r in _records(tmp_path)] == ["started"]  # nothing reached the platform

    (tmp_path / "block").unlink()
    second = _start_worker(tmp_path, "--lease", "3")
    try:
        _wait_for(
            lambda: Delivery.objects.get(pk=delivery_id).status == S.SENT,
            timeout=90,
            what="the second worker to take over the expired lease",
        )
    finally:
        assert _stop(second) == 0  # SIGTERM: clean exit

    sent = [r for r in _records(tmp_path) if r[0] == "sent"]
    assert [(r[1], r[2]) for r in sent] == [(second.pid, delivery_id)]  # exactly once
    row = Delivery.objects.get(pk=delivery_id)
    assert row.attempts == 1  # the lost lease is counted
    assert row.sent_at is not None


def test_two_workers_deliver_200_each_exactly_once(tmp_path):
    ids = _recorder_deliveries(200)
    (tmp_path / "block").touch()
    workers = [_start_worker(tmp_path, "--batch", "5") for _ in range(2)]
    try:
        # Both workers hold a claimed batch before anything is sent: they really overlap.
        _wait_for(lambda: len({r[1] for r in _records(tmp_path)}) == 2, what="both workers")
        (tmp_path / "block").unlink()
        _wait_for(
            lambda: Delivery.objects.filter(pk__in=ids, status=S.SENT).count() == 200,
            timeout=120,
            what="200 deliveries",
        )
    finally:
        codes = [_stop(w) for w in workers]
    assert codes == [0, 0]

    sent = Counter(r[2] for r in _records(tmp_path) if r[0] == "sent")
    assert set(sent) == set(ids)
    assert max(sent.values()) == 1
    by_worker = Counter(r[1] for r in _records(tmp_path) if r[0] == "sent")
    assert set(by_worker) == {w.pid for w in workers}
    assert not Delivery.objects.exclude(status=S.SENT).exists()
