"""``python manage.py outbox_worker``: deliver the notification outbox until told to stop.

SIGTERM/SIGINT finish the delivery in hand, hand the rest of the batch back, and exit 0.
"""

from __future__ import annotations

import logging
import signal

from django.core.management.base import BaseCommand

from forum.notifications.worker import OutboxWorker

logger = logging.getLogger("forum.notifications.worker")


class Command(BaseCommand):
    help = "Deliver pending notifications (inbox, e-mail, bots) with retries and leases."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--once", action="store_true", help="Deliver what is due now, then exit."
        )
        parser.add_argument(
            "--batch", type=int, default=20, help="Deliveries claimed per transaction (default 20)."
        )
        parser.add_argument(
            "--sleep",
            type=float,
            default=0.5,
            help="Seconds to wait when nothing is due (default 0.5).",
        )
        parser.add_argument(
            "--lease",
            type=float,
            default=None,
            help="Lease in seconds (default settings.OUTBOX_LEASE_SECONDS).",
        )
        parser.add_argument(
            "--concurrency",
            type=int,
            default=1,
            help="Senders running at once, in threads (slow HTTP platforms); default 1.",
        )
        parser.add_argument(
            "--channel",
            action="append",
            dest="channels",
            default=None,
            help="Only these channels (repeatable); default all.",
        )

    def handle(self, *args, **options) -> None:
        worker = OutboxWorker(
            batch_size=max(1, options["batch"]),
            lease_seconds=options["lease"],
            channels=options["channels"],
            concurrency=options["concurrency"],
        )

        def _stop(signum, _frame) -> None:
            logger.info(
                "outbox worker: %s received, finishing the current delivery",
                signal.Signals(signum).name,
            )
            worker.stop()

        previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        logger.info(
            "outbox worker started (batch %d, lease %.0f s, concurrency %d)",
            worker.batch_size,
            worker.lease_seconds,
            worker.concurrency,
        )
        try:
            total = worker.run(idle_sleep=max(0.01, options["sleep"]), once=options["once"])
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("outbox worker stopped after %d deliveries", total)
