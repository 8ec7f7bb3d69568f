"""Retry worker for the bots: reprocess failed or abandoned updates and resend unsent replies.

Pushes (status changes) are not sent here but by the notifications outbox worker.
"""

import time

from django.core.management.base import BaseCommand

from forum.bots import pipeline


class Command(BaseCommand):
    help = "Reprocesa actualizaciones de bots fallidas y reenvía respuestas pendientes."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Una pasada y salir.")
        parser.add_argument("--interval", type=float, default=2.0)

    def handle(self, *args, **options):
        while True:
            updates, replies = pipeline.run_once()
            if updates or replies:
                self.stdout.write(f"updates={updates} replies={replies}")
            if options["once"]:
                return
            time.sleep(options["interval"])
