"""``python manage.py outbox_worker``: kept name for ``manage.py work --kind outbox``."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from forum.core.management.commands.work import add_worker_arguments, run_worker


class Command(BaseCommand):
    help = "Deliver pending notifications (same as `manage.py work --kind outbox`)."

    def add_arguments(self, parser) -> None:
        add_worker_arguments(parser, kinds=False)

    def handle(self, *args, **options) -> None:
        run_worker(["outbox"], options)
