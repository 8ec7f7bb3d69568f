"""``python manage.py process_updates``: kept name for ``manage.py work --kind updates --kind
replies`` (reprocess failed or abandoned bot updates, resend unsent replies)."""

from django.core.management.base import BaseCommand

from forum.bots import pipeline
from forum.core.management.commands.work import add_worker_arguments, run_worker


class Command(BaseCommand):
    help = "Reprocesa actualizaciones de bots fallidas y reenvía respuestas pendientes."

    def add_arguments(self, parser) -> None:
        add_worker_arguments(parser, kinds=False)
        parser.add_argument("--interval", type=float, default=None, help="Same as --sleep.")

    def handle(self, *args, **options) -> None:
        # As before: 2 s between idle passes, 0.05 s when the web processes only store updates.
        worker_mode = pipeline.default_stale_after() == 0
        options["sleep"] = options["interval"] or (0.05 if worker_mode else 2.0)
        run_worker(["updates", "replies"], options)
