"""The one durable job mechanism: claim, lease, retry with backoff, dead letter, and the worker.

Everything that must not be lost is a row in a table of its own app, written in the same
transaction as the change that caused it (the notification outbox's ``Delivery``, the bots'
``InboundUpdate`` and outgoing ``ChatMessage``). Each app describes its table once as a
:class:`Queue`; this module is the only code that takes, leases, retries and gives up on rows,
and :func:`run` (``manage.py work``) is the only loop that drives them. docs/jobs.md says why
the tables stay apart and why no library does this for us.

A job is taken in one of two ways:

- **run under the row lock** (:meth:`Queue.run_locked`): work that only writes to the database
  (processing an inbound update, delivering to the inbox) runs in the transaction that locks the
  row and marks it done, so it happens exactly once; the lock *is* the lease, and PostgreSQL drops
  it with a dead worker's connection.
- **claim, then work outside any transaction** (:meth:`Queue.claim`): work that calls another
  system (an HTTP send) cannot be rolled back. One short transaction leases due rows to a token
  (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so concurrent workers take different rows; on SQLite
  the ``BEGIN IMMEDIATE`` transaction serialises claimers); the outcome is written only if the
  lease is still ours. A worker killed mid-way loses nothing: the lease runs out and another
  takes the row. At most the one row in flight at the kill is done twice.

Two lease styles, one per kind of table: a *leased status* (``sending`` + ``leased_until`` +
``lease_token``, the outbox: an expired lease counts as a failed try, so a row that kills every
worker ends up dead) or a *visibility timeout* (``available_at`` pushed past the lease, the bots'
replies, which the worker that wrote them is already sending).

Failures: :meth:`Queue.retry` puts the row back with exponential backoff (:func:`backoff_delay`)
or, past ``max_attempts``, in its dead status (the dead letter: kept, counted in ``/salud/``
and in the admin, never retried by itself).
"""

from __future__ import annotations

import logging
import random
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import redis.exceptions
from django.conf import settings
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    transaction,
)
from django.db.models import Count, F, Min, Model, Q, QuerySet
from django.utils import timezone

logger = logging.getLogger(__name__)

M = TypeVar("M", bound=Model)
T = TypeVar("T")


def backoff_delay(
    attempts: int,
    *,
    base: float = 5.0,
    cap: float = 3600.0,
    jitter: float = 0.2,
    rnd: Callable[[float, float], float] = random.uniform,
) -> float:
    """Seconds to wait after the ``attempts``-th failed try (1-based): ``base * 2**(n-1)``,
    capped, times a random factor in ``1 ± jitter`` (workers that failed together spread out)."""
    delay = min(cap, base * 2 ** max(0, attempts - 1))
    return delay * rnd(1 - jitter, 1 + jitter) if jitter else delay


@dataclass
class Claim:
    token: str
    ids: list[int] = field(default_factory=list)
    dead: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Queue:
    """A table of durable jobs. Field names are the same in every table except the error's."""

    name: str
    model: type[Model]
    ready: tuple[str, ...]  # statuses that wait for ``available_at``
    done: str
    dead: str
    leased: str | None = None  # a leased status (with leased_until, lease_token); None: visibility
    error_field: str = "last_error"
    base: Q = field(default_factory=Q)  # rows of this table that belong to the queue
    order: tuple[str, ...] = ("available_at", "id")
    max_attempts: Callable[[], int] = lambda: int(settings.OUTBOX_MAX_ATTEMPTS)
    backoff_base: float = 5.0
    backoff_cap: float = 3600.0
    jitter: float = 0.2

    # ------------------------------------------------------------ reading

    def rows(self) -> QuerySet:
        return self.model._default_manager.filter(self.base)

    def due(self, now: datetime) -> QuerySet:
        """Rows to take now: ready and due, or (leased status) leased and past the lease."""
        condition = Q(status__in=self.ready) & (
            Q(available_at__lte=now) | Q(available_at__isnull=True)
        )
        if self.leased is not None:
            condition |= Q(status=self.leased, leased_until__lt=now)
        return self.rows().filter(condition)

    def counts(self, now: datetime) -> dict[str, Any]:
        """Figures for metrics and ``/salud/``: rows per status, due now, age of the oldest due."""
        by_status = dict(
            self.rows().values_list("status").annotate(n=Count("id")).values_list("status", "n")
        )
        due = self.due(now).aggregate(n=Count("id"), oldest=Min("available_at"))
        oldest = due["oldest"]
        return {
            "by_status": by_status,
            "due": due["n"],
            "oldest_due_seconds": None
            if oldest is None
            else max(0, int((now - oldest).total_seconds())),
            "dead": by_status.get(self.dead, 0),
        }

    # ------------------------------------------------------------ taking

    def claim(
        self,
        *,
        limit: int,
        lease_seconds: float,
        where: Q | None = None,
        columns: Sequence[str] = (),
        keep: Callable[[list[tuple]], list[tuple]] | None = None,
        inside: Callable[[list[tuple], datetime], set[int]] | None = None,
    ) -> Claim:
        """Lease up to ``limit`` due rows to a new token in one short transaction: the token,
        the leased ids (oldest first) and the ids found dead.

        Each selected row is a tuple ``(id, status, attempts, *columns)``. ``keep`` may drop
        some (a conversation's order); ``inside`` runs in the claim transaction and returns ids
        it completed there (work done under the lock, not leased). With a leased status, a row
        found past its lease counts one failed try ("worker lost"); at ``max_attempts`` it is
        dead instead of leased again."""
        now = timezone.now()
        token = uuid.uuid4().hex
        due = self.due(now).filter(where or Q()).order_by(*self.order)
        # A plain read first: an idle worker never takes SQLite's write lock (BEGIN IMMEDIATE)
        # or opens a locking transaction on PostgreSQL at every poll.
        if not due.exists():
            return Claim(token)
        with transaction.atomic():
            if connection.features.has_select_for_update_skip_locked:
                due = due.select_for_update(skip_locked=True)
            rows = list(due.values_list("id", "status", "attempts", *columns)[:limit])
            if keep is not None:
                rows = keep(rows)
            if not rows:
                return Claim(token)
            dead: set[int] = set()
            if self.leased is not None:
                lost = [r[0] for r in rows if r[1] == self.leased]
                if lost:
                    logger.warning("%s: lease expired on %s, taking them over", self.name, lost)
                    dead = {r[0] for r in rows if r[1] == self.leased and r[2] + 1 >= self._max()}
                    for pk in lost:
                        self.model._default_manager.filter(pk=pk).update(
                            attempts=F("attempts") + 1,
                            **{self.error_field: "lease expired: worker lost"},
                        )
                    if dead:
                        self.model._default_manager.filter(pk__in=dead).update(
                            status=self.dead, leased_until=None
                        )
                        logger.error("%s: %s dead after a lost lease too many", self.name, dead)
            rows = [r for r in rows if r[0] not in dead]
            local = inside(rows, now) if inside is not None and rows else set()
            ids = [r[0] for r in rows if r[0] not in local]
            until = now + timedelta(seconds=lease_seconds)
            if self.leased is not None:
                lease: dict[str, Any] = {
                    "status": self.leased,
                    "leased_until": until,
                    "lease_token": token,
                }
            else:
                lease = {"available_at": until}
            self.model._default_manager.filter(pk__in=ids).update(**lease)
        return Claim(token, ids, dead)

    def run_locked(self, pk: int, work: Callable[[M], T]) -> tuple[bool, T | None]:
        """Run ``work(row)`` once, in one transaction with the row locked and marked done.

        Returns ``(True, result)``; ``(False, None)`` when the row is done, dead or being run by
        another worker (locked: skipped, not waited for). When ``work`` raises, its writes roll
        back, the row is retried with backoff (or dead) and ``(False, None)`` is returned."""
        try:
            with transaction.atomic():
                qs = self.rows().filter(pk=pk).exclude(status__in=[self.done, self.dead])
                if connection.features.has_select_for_update_skip_locked:
                    qs = qs.select_for_update(skip_locked=True)
                row = qs.first()
                if row is None:
                    return False, None
                result = work(row)
                self.rows().filter(pk=pk).update(**self._done_fields(row))
                return True, result
        except (OperationalError, InterfaceError):
            raise  # the database is away: nothing was written, the worker waits and retries
        except Exception as exc:
            logger.exception("%s: job %s failed", self.name, pk)
            row = self.rows().filter(pk=pk).exclude(status=self.done).first()
            if row is not None:
                self.retry(pk, attempts=row.attempts + 1, error=_describe(exc))
            return False, None

    def _done_fields(self, row: Model) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "status": self.done,
            "attempts": row.attempts + 1,  # type: ignore[attr-defined]
            self.error_field: "",
        }
        for name in ("processed_at", "sent_at"):
            if hasattr(row, name):
                fields[name] = timezone.now()
        if self.leased is not None:
            fields["leased_until"] = None
        return fields

    # ------------------------------------------------------------ outcomes

    def mine(self, pk: int | Iterable[int], token: str | None = None) -> QuerySet:
        """The row(s) if still leased to ``token`` (any, for the visibility style)."""
        qs = self.rows().filter(pk__in=[pk] if isinstance(pk, int) else list(pk))
        if self.leased is not None and token is not None:
            qs = qs.filter(status=self.leased, lease_token=token)
        return qs

    def renew(self, pk: int, token: str, *, lease_seconds: float, **fields: Any) -> bool:
        """A long job keeps its lease for ``lease_seconds`` more, recording its progress
        (``fields``) in the same write; False when another worker has taken the row over (the
        caller stops without writing anything else)."""
        until = timezone.now() + timedelta(seconds=lease_seconds)
        return bool(self.mine(pk, token).update(leased_until=until, **fields))

    def finish(self, pk: int, token: str) -> bool:
        """A leased row done, its attempt counted (what ``run_locked`` does for short jobs);
        False when the lease was lost meanwhile."""
        row = self.mine(pk, token).first()
        return row is not None and bool(self.mine(pk, token).update(**self._done_fields(row)))

    def retry(
        self,
        pk: int,
        *,
        attempts: int,
        error: str,
        delay: float | None = None,
        token: str | None = None,
    ) -> str:
        """Back to the queue after a failed try (``attempts`` counts it), due after ``delay``
        seconds or the backoff; dead once ``max_attempts`` is reached. Returns "retried" or
        "failed" (the word the outbox's results use for dead)."""
        error = error[:2000]
        if attempts >= self._max():
            self.bury(pk, attempts=attempts, error=error, token=token)
            return "failed"
        seconds = (
            delay + random.uniform(0, 0.5)  # noqa: S311 — spreading, not secrecy
            if delay
            else backoff_delay(
                attempts, base=self.backoff_base, cap=self.backoff_cap, jitter=self.jitter
            )
        )
        fields: dict[str, Any] = {
            "status": self.ready[-1],
            "attempts": attempts,
            "available_at": timezone.now() + timedelta(seconds=seconds),
            self.error_field: error,
        }
        if self.leased is not None:
            fields["leased_until"] = None
        self.mine(pk, token).update(**fields)
        logger.info("%s: job %s retry %d in %.1f s (%s)", self.name, pk, attempts, seconds, error)
        return "retried"

    def bury(self, pk: int, *, attempts: int, error: str, token: str | None = None) -> None:
        """The dead letter: kept for a person to look at, never taken again by itself."""
        fields: dict[str, Any] = {
            "status": self.dead,
            "attempts": attempts,
            self.error_field: error[:2000],
        }
        if self.leased is not None:
            fields["leased_until"] = None
        self.mine(pk, token).update(**fields)
        logger.error("%s: job %s dead after %d attempts: %s", self.name, pk, attempts, error)

    def release(
        self, pk: int, *, token: str | None, available_at: datetime, error: str = ""
    ) -> None:
        """Hand a leased row back untouched (no attempt counted)."""
        fields: dict[str, Any] = {"status": self.ready[0], "available_at": available_at}
        if self.leased is not None:
            fields["leased_until"] = None
        if error:
            fields[self.error_field] = error
        self.mine(pk, token).update(**fields)

    def _max(self) -> int:
        return self.max_attempts()


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


# ---------------------------------------------------------------- the worker


class Job(Protocol):
    """One kind of work in a worker process: ``step()`` does one batch and returns how many
    rows it handled (0: nothing due); ``stop()`` asks it to hand back what it holds. A job may
    set ``poll_interval`` (seconds): how often an idle worker looks for its rows, when that
    must be sooner than the worker's ``--sleep`` (bot updates: someone waits for the reply)."""

    def step(self) -> int: ...

    def stop(self) -> None: ...

    def close(self) -> None: ...


JobFactory = Callable[[dict[str, Any]], Job]
_KINDS: dict[str, JobFactory] = {}


def register_kind(name: str, factory: JobFactory) -> None:
    """An app with a queue says how a worker runs it (``AppConfig.ready``); ``factory`` gets
    the ``work`` command's options."""
    _KINDS[name] = factory


def kinds() -> list[str]:
    return list(_KINDS)


def outage_errors() -> tuple[type[BaseException], ...]:
    """Errors that mean a server is away (not a bug in a job): the worker waits and retries."""
    return (
        OperationalError,
        InterfaceError,
        DatabaseError,
        redis.exceptions.ConnectionError,
        redis.exceptions.TimeoutError,
        ConnectionError,
    )


@dataclass
class Worker:
    """Runs the given kinds round-robin until stopped. A database or Redis outage is a logged
    warning and a wait (1, 2, 4 … 30 s), never an exit: leases keep the rows safe meanwhile."""

    names: list[str]
    options: dict[str, Any] = field(default_factory=dict)
    idle_sleep: float = 0.5
    outage_cap: float = 30.0
    _stop: threading.Event = field(default_factory=threading.Event)
    handled: int = 0

    def stop(self) -> None:
        self._stop.set()
        for job in getattr(self, "_jobs", {}).values():
            job.stop()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, *, once: bool = False) -> int:
        """Step every due kind; a kind that handled rows is stepped again at once, an idle one
        after its poll interval (the smaller of ``idle_sleep`` and its ``poll_interval``).
        ``once``: step every kind until a whole pass finds nothing, then return."""
        unknown = [n for n in self.names if n not in _KINDS]
        if unknown:
            raise ValueError(f"unknown job kind(s) {unknown}; known: {kinds()}")
        self._jobs = {name: _KINDS[name](self.options) for name in self.names}
        interval = {
            name: min(self.idle_sleep, getattr(job, "poll_interval", None) or self.idle_sleep)
            for name, job in self._jobs.items()
        }
        next_at = dict.fromkeys(self._jobs, 0.0)
        outages = 0
        try:
            while not self.stopping:
                self._fresh_connection()
                now = time.monotonic()
                due = [n for n in self._jobs if once or next_at[n] <= now]
                try:
                    done = 0
                    for name in due:
                        handled = self._jobs[name].step()
                        done += handled
                        next_at[name] = now if handled else now + interval[name]
                except outage_errors() as exc:
                    if once:
                        raise
                    outages += 1
                    self._outage(exc, outages)
                    continue
                if outages:
                    logger.warning("worker: back after %d failed tries", outages)
                    outages = 0
                self.handled += done
                if once and not done:
                    break
                wait = min(next_at.values()) - time.monotonic()
                if wait > 0:
                    self._stop.wait(wait)
        finally:
            for job in self._jobs.values():
                job.close()
        return self.handled

    def _outage(self, exc: BaseException, outages: int) -> None:
        wait = min(self.outage_cap, 2 ** (outages - 1))
        logger.warning("worker: %s (%s); retrying in %.0f s", type(exc).__name__, exc, wait)
        self._drop_connection()
        self._stop.wait(wait)

    @staticmethod
    def _fresh_connection() -> None:
        # Like a request: drop broken or expired connections between batches (not when a caller
        # holds a transaction open: tests, call_command inside atomic).
        if not connection.in_atomic_block:
            close_old_connections()

    @staticmethod
    def _drop_connection() -> None:
        if connection.in_atomic_block:
            return
        try:
            connection.close()
        except Exception:
            connection.connection = None


def run(names: Iterable[str] | None = None, *, once: bool = False, **options: Any) -> int:
    """Run ``names`` (default: every registered kind) in this thread; returns rows handled."""
    worker = Worker(list(names or kinds()), options, idle_sleep=options.get("sleep", 0.5))
    return worker.run(once=once)
