"""The one job mechanism (forum/core/jobs.py) and the one worker command, ``manage.py work``."""

from __future__ import annotations

import io
import logging
import re
import threading
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone

from forum.bots.models import InboundUpdate
from forum.bots.queues import UPDATES
from forum.core import jobs
from forum.notifications.models import Delivery, Notification
from tests import factories

pytestmark = pytest.mark.django_db


def test_backoff_doubles_and_stops_at_the_cap():
    delays = [jobs.backoff_delay(n, base=5, cap=60, jitter=0) for n in range(1, 7)]
    assert delays == [5, 10, 20, 40, 60, 60]
    spread = {round(jobs.backoff_delay(3, base=5, cap=60), 3) for _ in range(20)}
    assert len(spread) > 1
    assert all(16 <= d <= 24 for d in spread)


def test_every_queue_kind_is_registered():
    assert {"outbox", "updates", "replies"} <= set(jobs.kinds())


def test_every_kind_has_a_process_in_the_procfile():
    """A kind no deployed process runs is work that silently never happens (an uploaded
    import waiting forever): each one is named by a ``work`` line of the Procfile."""
    procfile = (Path(__file__).resolve().parents[2] / "Procfile").read_text()
    deployed = {
        kind
        for line in procfile.splitlines()
        if "manage.py work" in line
        for kind in re.findall(r"--kind (\S+)", line)
    }
    assert set(jobs.kinds()) == deployed


def test_unknown_kind_is_refused():
    with pytest.raises(CommandError):
        call_command("work", "--kind", "nonsense", "--once", stdout=io.StringIO())


def test_work_once_delivers_the_outbox_and_reprocesses_updates():
    person = factories.person()
    note = Notification.objects.create(
        person=person, kind=Notification.Kind.THREAD_POST, payload={"thread_id": 1}
    )
    delivery = Delivery.objects.create(
        notification=note, channel="inbox", available_at=timezone.now()
    )
    call_command("work", "--once", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT


def test_a_failed_job_is_retried_with_backoff_then_dead():
    stored = InboundUpdate.objects.create(platform="telegram", update_id="1", payload={})

    def broken(_row):
        raise ValueError("bug")

    for attempt in range(1, 6):
        assert UPDATES.run_locked(stored.pk, broken) == (False, None)
        stored.refresh_from_db()
        assert stored.attempts == attempt
    assert stored.status == InboundUpdate.Status.DEAD
    assert UPDATES.counts(timezone.now())["dead"] == 1


class _Flaky:
    """A job whose database is away for its first two steps."""

    def __init__(self, worker_box):
        self.calls = 0
        self.worker_box = worker_box

    def step(self) -> int:
        self.calls += 1
        if self.calls <= 2:
            raise OperationalError("the database system is shutting down")
        self.worker_box[0].stop()
        return 1

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_the_worker_rides_out_a_database_outage(caplog, monkeypatch):
    box: list[jobs.Worker] = []
    flaky = _Flaky(box)
    monkeypatch.setitem(jobs._KINDS, "flaky", lambda _options: flaky)
    worker = jobs.Worker(["flaky"], outage_cap=0.01)
    box.append(worker)
    monkeypatch.setattr(worker._stop, "wait", lambda _s: False)  # no real sleeping
    with caplog.at_level(logging.WARNING, logger="forum.core.jobs"):
        assert worker.run() == 1
    assert flaky.calls == 3
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("OperationalError" in w and "retrying" in w for w in warnings)
    assert any("back after 2 failed tries" in w for w in warnings)


class _Counting:
    """A kind with nothing to do that counts how often the worker looks."""

    def __init__(self, poll_interval: float | None) -> None:
        self.poll_interval = poll_interval
        self.steps = 0

    def step(self) -> int:
        self.steps += 1
        return 0

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


def test_an_idle_worker_looks_for_bot_updates_sooner_than_for_the_rest(monkeypatch):
    prompt, patient = _Counting(0.02), _Counting(None)
    monkeypatch.setitem(jobs._KINDS, "prompt", lambda _options: prompt)
    monkeypatch.setitem(jobs._KINDS, "patient", lambda _options: patient)
    worker = jobs.Worker(["prompt", "patient"], idle_sleep=30)
    runner = threading.Thread(target=worker.run)
    runner.start()
    threading.Event().wait(0.5)
    worker.stop()
    runner.join(5)
    assert not runner.is_alive()
    assert patient.steps == 1  # looked once; next look in 30 s
    assert prompt.steps >= 5  # every 0.02 s meanwhile
    assert getattr(jobs._KINDS["updates"]({}), "poll_interval", 1.0) <= 0.1
