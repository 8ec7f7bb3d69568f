"""The outbox worker: takes due deliveries, sends them through their channel, records the outcome.

One delivery moves through this state machine (docs/notifications.md has the diagram):

- **claim** (one short transaction, :meth:`forum.core.jobs.Queue.claim`, the project's one
  claim/lease mechanism): rows that are ``pending`` and due, or ``sending`` with an expired
  lease (their worker died), are locked (``FOR UPDATE SKIP LOCKED`` on PostgreSQL; on SQLite
  the ``BEGIN IMMEDIATE`` transaction serialises claimers) and set to ``sending`` with
  ``leased_until = now + lease`` and a fresh ``lease_token``; commit.
- **send**: the channel's sender runs outside any transaction.
- **finish** (conditional on the lease token still being ours): ``sent``; or back to
  ``pending`` with exponential backoff on :class:`RetryLater` (``failed`` after
  ``OUTBOX_MAX_ATTEMPTS``); or ``skipped`` on :class:`Unreachable`, which also marks the
  identity unreachable and skips every other pending delivery to it.

A worker killed after the claim loses nothing: the lease runs out and another worker takes the
row. The one remaining double-send window is a kill after the platform accepted the message and
before ``sent`` was committed; senders narrow it with the delivery id as idempotency key.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import (
    transaction,
)
from django.db.models import Q
from django.utils import timezone

from forum.core import jobs
from forum.core.ratelimit import SendLimiter
from forum.participation import services as participation_services

from . import registry
from .models import Delivery

logger = logging.getLogger(__name__)

S = Delivery.Status

# Backoff after a temporary failure: BASE * 2**(attempt-1) seconds, ±20 % jitter, capped.
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 3600.0
# A channel that is not registered in this process (e.g. the bot app is not installed here):
# keep the row and look again later.
UNKNOWN_CHANNEL_RECHECK_SECONDS = 60.0
# Waiting longer than this for a per-address slot hands the row back instead of blocking.
MAX_INLINE_WAIT_SECONDS = 0.25


def backoff_delay(attempts: int, *, rnd: Callable[[float, float], float] = random.uniform) -> float:
    """Seconds to wait after the ``attempts``-th failed try (1-based), with jitter."""
    return jobs.backoff_delay(
        attempts,
        base=getattr(settings, "OUTBOX_BACKOFF_BASE_SECONDS", BACKOFF_BASE_SECONDS),
        cap=getattr(settings, "OUTBOX_BACKOFF_CAP_SECONDS", BACKOFF_CAP_SECONDS),
        rnd=rnd,
    )


def _outbox_queue(max_attempts: Callable[[], int]) -> jobs.Queue:
    return jobs.Queue(
        name="outbox",
        model=Delivery,
        ready=(S.PENDING,),
        done=S.SENT,
        dead=S.FAILED,
        leased=S.SENDING,
        max_attempts=max_attempts,
        backoff_base=getattr(settings, "OUTBOX_BACKOFF_BASE_SECONDS", BACKOFF_BASE_SECONDS),
        backoff_cap=getattr(settings, "OUTBOX_BACKOFF_CAP_SECONDS", BACKOFF_CAP_SECONDS),
    )


# The outbox as a job queue (counts for /salud/ and metrics; workers build their own copy with
# their max_attempts).
OUTBOX = _outbox_queue(lambda: int(settings.OUTBOX_MAX_ATTEMPTS))


@dataclass
class BatchResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    released: int = 0
    outcomes: dict[int, str] = field(default_factory=dict)

    def add(self, delivery_id: int, outcome: str) -> None:
        self.outcomes[delivery_id] = outcome
        setattr(self, outcome, getattr(self, outcome) + 1)


class OutboxWorker:
    """Claims and delivers outbox rows. One instance per process; not thread-safe."""

    def __init__(
        self,
        *,
        batch_size: int = 20,
        lease_seconds: float | None = None,
        max_attempts: int | None = None,
        limiter: SendLimiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
        channels: list[str] | None = None,
        concurrency: int = 1,
    ) -> None:
        self.batch_size = batch_size
        self.lease_seconds = float(
            lease_seconds if lease_seconds is not None else settings.OUTBOX_LEASE_SECONDS
        )
        self.max_attempts = max_attempts or settings.OUTBOX_MAX_ATTEMPTS
        self.limiter = limiter or SendLimiter()
        self._sleep = sleep
        self.channels = channels
        self._stop = threading.Event()
        self.concurrency = max(1, concurrency)
        self._pool: ThreadPoolExecutor | None = None
        self.last_local_outcomes: dict[int, str] = {}
        self.queue = _outbox_queue(lambda: self.max_attempts)

    # ------------------------------------------------------------ loop

    def stop(self) -> None:
        """Finish the current item, hand back the rest of the batch, then return from run()."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def step(self) -> int:
        """One batch, for ``manage.py work`` (:class:`forum.core.jobs.Worker`, which also rides
        out database outages): rows handled, 0 when nothing was due."""
        result = self.run_once()
        if result.claimed:
            logger.info(
                "outbox: %d claimed, %d sent, %d retried, %d failed, %d skipped, %d released",
                result.claimed,
                result.sent,
                result.retried,
                result.failed,
                result.skipped,
                result.released,
            )
        return result.claimed

    @classmethod
    def from_options(cls, options: dict) -> OutboxWorker:
        """The worker ``manage.py work`` runs for the ``outbox`` kind."""
        return cls(
            batch_size=max(1, int(options.get("batch") or 20)),
            lease_seconds=options.get("lease"),
            channels=options.get("channels") or None,
            concurrency=int(options.get("concurrency") or 1),
        )

    def run_until_idle(self, *, max_batches: int = 1000) -> BatchResult:
        """Process batches until none is due (tests, ``--once``). Sums the outcomes."""
        summary = BatchResult()
        try:
            for _ in range(max_batches):
                result = self.run_once()
                if not result.claimed:
                    break
                for key in ("claimed", "sent", "retried", "failed", "skipped", "released"):
                    setattr(summary, key, getattr(summary, key) + getattr(result, key))
                summary.outcomes.update(result.outcomes)
        finally:
            self.close()
        return summary

    def run_once(self) -> BatchResult:
        """Claim one batch and deliver it. With ``concurrency`` > 1 the senders of the batch run
        in a thread pool (slow HTTP platforms); outcomes are still written from this thread."""
        result = BatchResult()
        claimed = self.claim()
        result.claimed = len(claimed) + len(self.last_local_outcomes)
        for pk, outcome in self.last_local_outcomes.items():
            result.add(pk, outcome)
        in_flight: list[tuple[Delivery, registry.ChannelSpec, Future]] = []
        for index, delivery in enumerate(claimed):
            if self.stopping:
                for rest in claimed[index:]:
                    self._release(rest, available_at=timezone.now(), error="")
                    result.add(rest.pk, "released")
                break
            if self.concurrency <= 1:
                result.add(delivery.pk, self.process(delivery))
                continue
            prepared = self._prepare(delivery)
            if isinstance(prepared, str):
                result.add(delivery.pk, prepared)
                continue
            future = self._executor().submit(self._send, prepared, delivery)
            in_flight.append((delivery, prepared, future))
        # Successes of a concurrent batch are marked in one statement (one commit instead of
        # one per message); failures are classified one by one.
        succeeded: list[Delivery] = []
        for delivery, spec, future in in_flight:
            error = future.result()
            if error is None:
                self.limiter.finished(
                    spec.name, delivery.address, interval=spec.per_address_interval
                )
                succeeded.append(delivery)
            else:
                result.add(delivery.pk, self._finish(delivery, spec, error))
        if succeeded:
            for pk in self._mark_sent_many(succeeded):
                result.add(pk, "sent")
        return result

    def _executor(self) -> ThreadPoolExecutor:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="outbox-send")
        return self._pool

    def close(self) -> None:
        """Wait for senders still running and free the thread pool."""
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None

    # ------------------------------------------------------------ claim

    def claim(self) -> list[Delivery]:
        """Lease up to ``batch_size`` due deliveries to this worker (one short transaction,
        :meth:`forum.core.jobs.Queue.claim`) and return those to send. Deliveries of
        transactional channels (the inbox) are completed inside that same transaction and not
        returned (see ``last_local_outcomes``)."""
        self.last_local_outcomes = {}
        transactional = {n for n, spec in registry.channels().items() if spec.transactional}

        def inside(rows: list[tuple], now) -> set[int]:
            local = [pk for pk, _s, _a, channel in rows if channel in transactional]
            if local:
                self._complete_locally(local, now)
            return set(local)

        claim = self.queue.claim(
            limit=self.batch_size,
            lease_seconds=self.lease_seconds,
            where=Q(channel__in=self.channels) if self.channels else None,
            columns=("channel",),
            inside=inside,
        )
        self.last_local_outcomes.update(dict.fromkeys(claim.dead, "failed"))
        if not claim.ids:
            return []
        return list(
            Delivery.objects.filter(pk__in=claim.ids, lease_token=claim.token)
            .select_related("notification__person", "notification__idea")
            .order_by("available_at", "id")
        )

    def _complete_locally(self, ids: list[int], now) -> None:
        """Run transactional senders inside the claim transaction: their writes and the "sent"
        mark commit together, so they happen exactly once."""
        sent: list[int] = []
        for delivery in Delivery.objects.filter(pk__in=ids).select_related(
            "notification__person", "notification__idea"
        ):
            spec = registry.get_channel(delivery.channel)
            try:
                with transaction.atomic():
                    spec.sender(delivery)  # type: ignore[union-attr]
            except Exception as exc:
                self.last_local_outcomes[delivery.pk] = self.queue.retry(
                    delivery.pk,
                    attempts=delivery.attempts + 1,
                    error=f"{type(exc).__name__}: {exc}",
                )
                logger.exception("outbox: local sender %s failed", delivery.channel)
                continue
            sent.append(delivery.pk)
        Delivery.objects.filter(pk__in=sent).update(
            status=S.SENT, sent_at=now, leased_until=None, last_error=""
        )
        self.last_local_outcomes.update(dict.fromkeys(sent, "sent"))

    # ------------------------------------------------------------ one delivery

    def process(self, delivery: Delivery) -> str:
        """Send one claimed delivery and record the outcome; returns it
        (sent/retried/failed/skipped/released)."""
        prepared = self._prepare(delivery)
        if isinstance(prepared, str):
            return prepared
        return self._finish(delivery, prepared, self._send(prepared, delivery))

    def _prepare(self, delivery: Delivery) -> registry.ChannelSpec | str:
        """Rate limits and lease check before a send: the channel spec, or an outcome."""
        spec = registry.get_channel(delivery.channel)
        if spec is None:
            self._release(
                delivery,
                available_at=timezone.now() + timedelta(seconds=UNKNOWN_CHANNEL_RECHECK_SECONDS),
                error=f"channel {delivery.channel!r} is not registered in this worker",
            )
            return "released"

        address_wait = self.limiter.address_wait(
            spec.name, delivery.address, spec.per_address_interval
        )
        if address_wait > MAX_INLINE_WAIT_SECONDS:
            # Another message just went to this chat: let the others in the batch go first.
            self._release(
                delivery, available_at=timezone.now() + timedelta(seconds=address_wait), error=""
            )
            return "released"
        wait = max(address_wait, self.limiter.channel_wait(spec.name, spec.rate_per_second))
        if wait > 0:
            self._sleep(wait)
        # Never start a send whose lease could run out mid-way: another worker may take it.
        margin = min(5.0, self.lease_seconds / 4)
        if delivery.leased_until and timezone.now() + timedelta(seconds=margin) >= (
            delivery.leased_until
        ):
            self._release(delivery, available_at=timezone.now(), error="")
            return "released"

        self.limiter.consume(
            spec.name,
            delivery.address,
            rate=spec.rate_per_second,
            interval=spec.per_address_interval,
        )
        return spec

    @staticmethod
    def _send(spec: registry.ChannelSpec, delivery: Delivery) -> Exception | None:
        """Run the sender (outside any transaction; maybe in a pool thread)."""
        try:
            spec.sender(delivery)
        except Exception as exc:  # classified by _finish, in the worker's thread
            return exc
        return None

    def _finish(
        self, delivery: Delivery, spec: registry.ChannelSpec, error: Exception | None
    ) -> str:
        self.limiter.finished(spec.name, delivery.address, interval=spec.per_address_interval)
        if error is None:
            self._mark_sent(delivery)
            return "sent"
        if isinstance(error, registry.RetryLater):
            if error.delay:
                # The platform says when: honour it for the whole channel (flood control).
                self.limiter.pause(spec.name, error.delay)
            return self._retry(delivery, error, delay=error.delay)
        if isinstance(error, registry.Unreachable):
            self._unreachable(delivery, spec, error)
            return "skipped"
        # A bug or an unexpected error: keep the row, retry later.
        logger.error(
            "outbox: sender %s failed on delivery %s",
            spec.name,
            delivery.pk,
            exc_info=(type(error), error, error.__traceback__),
        )
        return self._retry(delivery, error, delay=None)

    # ------------------------------------------------------------ outcomes

    def _mine(self, delivery: Delivery):
        return self.queue.mine(delivery.pk, delivery.lease_token)

    def _mark_sent(self, delivery: Delivery) -> None:
        now = timezone.now()
        updated = self._mine(delivery).update(
            status=S.SENT, sent_at=now, leased_until=None, last_error=""
        )
        if not updated:
            # Our lease ran out and another worker took the row (or it was deleted: erased
            # person). Logged because the other worker may send it again.
            logger.warning("outbox: delivery %s sent but its lease was lost", delivery.pk)
        else:
            delivery.status, delivery.sent_at = S.SENT, now

    def _mark_sent_many(self, deliveries: list[Delivery]) -> list[int]:
        now = timezone.now()
        ids = [d.pk for d in deliveries]
        token = deliveries[0].lease_token  # one token per claimed batch
        updated = self.queue.mine(ids, token).update(
            status=S.SENT, sent_at=now, leased_until=None, last_error=""
        )
        if updated != len(ids):
            logger.warning(
                "outbox: %d of %d sent deliveries had lost their lease",
                len(ids) - updated,
                len(ids),
            )
        return ids

    def _retry(self, delivery: Delivery, exc: BaseException, *, delay: float | None) -> str:
        return self.queue.retry(
            delivery.pk,
            attempts=delivery.attempts + 1,
            error=f"{type(exc).__name__}: {exc}",
            delay=delay,
            token=delivery.lease_token,
        )

    def _unreachable(
        self, delivery: Delivery, spec: registry.ChannelSpec, exc: BaseException
    ) -> None:
        error = f"unreachable: {exc}"[:2000]
        with transaction.atomic():
            self._mine(delivery).update(status=S.SKIPPED, leased_until=None, last_error=error)
            if not delivery.address:
                return
            if spec.identity_channel:
                participation_services.identity_mark_unreachable(
                    channel=spec.identity_channel, external_id=delivery.address
                )
            others = Delivery.objects.filter(
                channel=delivery.channel, address=delivery.address, status=S.PENDING
            ).update(status=S.SKIPPED, last_error=error)
        logger.info(
            "outbox: %s:%s unreachable; %d more deliveries skipped",
            delivery.channel,
            delivery.address,
            others,
        )

    def _release(self, delivery: Delivery, *, available_at, error: str) -> None:
        """Hand a claimed row back untouched (no attempt counted)."""
        self.queue.release(
            delivery.pk, token=delivery.lease_token, available_at=available_at, error=error
        )


def deliver_due(**kwargs) -> BatchResult:
    """Deliver everything due now in this process (tests, ``outbox_worker --once``)."""
    return OutboxWorker(**kwargs).run_until_idle()
