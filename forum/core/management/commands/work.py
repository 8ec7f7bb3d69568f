"""``python manage.py work``: the one worker command. Runs every kind of durable job
(:mod:`forum.core.jobs`): ``outbox`` (notifications to inbox, e-mail, Telegram, WhatsApp),
``updates`` (every Telegram/WhatsApp update the webhooks stored: this worker is the only one
that answers them) and ``replies`` (bot replies still unsent).

An idle worker looks for new rows every ``--sleep`` seconds (0.5), and for new bot updates every
0.1 s (``UpdatesJob.poll_interval``): a Telegram or WhatsApp user gets the reply about 0.1 s plus
the engine's and the platform's time after the webhook answered.

``--kind`` (repeatable) runs only some, to scale one kind with more processes. SIGTERM/SIGINT
finish the item in hand, hand the rest of the batch back and exit 0. A database or Redis outage
is a logged warning and a wait with backoff, never an exit.
"""

from __future__ import annotations

import logging
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forum.core import jobs

logger = logging.getLogger("forum.core.jobs")


def add_worker_arguments(parser, *, kinds: bool = True) -> None:
    """The options of ``work`` (and of its aliases ``outbox_worker`` and ``process_updates``)."""
    if kinds:
        parser.add_argument(
            "--kind",
            action="append",
            dest="kinds",
            default=None,
            help="Only this kind of job (repeatable): " + ", ".join(jobs.kinds()) + ".",
        )
    parser.add_argument("--once", action="store_true", help="Do what is due now, then exit.")
    parser.add_argument(
        "--sleep",
        type=float,
        default=0.5,
        help="Seconds to wait when nothing is due (0.5; new bot updates: at most 0.1).",
    )
    parser.add_argument(
        "--batch", type=int, default=20, help="Outbox rows claimed per transaction (20)."
    )
    parser.add_argument(
        "--lease", type=float, default=None, help="Outbox lease in seconds (OUTBOX_LEASE_SECONDS)."
    )
    parser.add_argument(
        "--concurrency", type=int, default=1, help="Outbox senders at once, in threads (1)."
    )
    parser.add_argument(
        "--channel",
        action="append",
        dest="channels",
        default=None,
        help="Outbox: only these channels (repeatable); default all.",
    )


def run_worker(names: list[str], options: dict[str, Any]) -> int:
    unknown = [n for n in names if n not in jobs.kinds()]
    if unknown:
        raise CommandError(f"unknown kind(s) {unknown}; known: {', '.join(jobs.kinds())}")
    worker = jobs.Worker(names, options, idle_sleep=max(0.01, options["sleep"]))

    def _stop(signum, _frame) -> None:
        logger.info("worker: %s received, finishing the item in hand", signal.Signals(signum).name)
        worker.stop()

    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    logger.info("worker started: %s", ", ".join(names))
    try:
        total = worker.run(once=options["once"])
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    logger.info("worker stopped after %d jobs", total)
    return total


class Command(BaseCommand):
    help = "Run the durable jobs (outbox, bot updates, bot replies) with leases and retries."

    def add_arguments(self, parser) -> None:
        add_worker_arguments(parser)

    def handle(self, *args, **options) -> None:
        run_worker(options["kinds"] or jobs.kinds(), options)
