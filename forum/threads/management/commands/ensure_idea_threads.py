"""Give every idea routed to a council its public thread (idempotent; safe to rerun)."""

from django.core.management.base import BaseCommand

from forum.participation.models import Idea
from forum.threads.services import thread_ensure_for_idea


class Command(BaseCommand):
    help = "Create the missing thread of every idea that has been routed to a council."

    def handle(self, *args, **options) -> None:
        ideas = Idea.objects.filter(council__isnull=False, thread__isnull=True)
        count = 0
        for idea in ideas.iterator():
            thread_ensure_for_idea(idea=idea)
            count += 1
        self.stdout.write(f"{count} hilos creados")
