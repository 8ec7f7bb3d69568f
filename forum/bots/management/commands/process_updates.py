"""Retry worker for the bots: reprocess failed or abandoned updates and resend unsent replies.

Pushes (status changes) are not sent here but by the notifications outbox worker.
"""

import os
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from forum.bots import pipeline


class Command(BaseCommand):
    help = "Reprocesa actualizaciones de bots fallidas y reenvía respuestas pendientes."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Una pasada y salir.")
        parser.add_argument(
            "--interval",
            type=float,
            default=None,
            help="Pausa entre pasadas (2 s; 0,05 s con BOTS_PROCESSING=worker).",
        )

    def handle(self, *args, **options):
        # With BOTS_PROCESSING="worker" the web processes only store updates: take them at once.
        worker_mode = (
            getattr(settings, "BOTS_PROCESSING", os.environ.get("BOTS_PROCESSING", "web"))
            == "worker"
        )
        interval = options["interval"] or (0.05 if worker_mode else 2.0)
        stale_after = 0.0 if worker_mode else 30.0
        while True:
            if not connection.in_atomic_block:  # (tests call this inside their transaction)
                close_old_connections()
            updates, replies = pipeline.run_once(stale_after=stale_after)
            if (updates or replies) and options["verbosity"] > 1:
                self.stdout.write(f"updates={updates} replies={replies}")
            if options["once"]:
                return
            if not updates and not replies:
                time.sleep(interval)
