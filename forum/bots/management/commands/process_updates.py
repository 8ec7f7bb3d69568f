"""``python manage.py process_updates``: kept name for ``manage.py work --kind updates --kind
replies`` (process the stored bot updates, resend unsent replies)."""

from django.core.management.base import BaseCommand

from forum.core.management.commands.work import add_worker_arguments, run_worker


class Command(BaseCommand):
    help = "Procesa las actualizaciones de bots guardadas y reenvía respuestas pendientes."

    def add_arguments(self, parser) -> None:
        add_worker_arguments(parser, kinds=False)
        parser.add_argument("--interval", type=float, default=None, help="Same as --sleep.")

    def handle(self, *args, **options) -> None:
        if options["interval"]:
            options["sleep"] = options["interval"]
        run_worker(["updates", "replies"], options)
