"""Place every visible idea that is in no proposed duplicate group: after ``import_ideas``
(imports are not grouped one row at a time), a lost placement race, or on a database older
than the groups.

One index query per idea, like an arrival; ideas already grouped stay where they are.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from forum.moderation.index import shared_index
from forum.moderation.models import DuplicateGroup
from forum.moderation.services import group_place
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea


class Command(BaseCommand):
    help = "Coloca en grupos de duplicados las ideas visibles que no están en ninguno."

    def handle(self, *args, **options) -> None:
        ideas = (
            Idea.objects.filter(
                hidden_at__isnull=True, merged_into__isnull=True, duplicate_group__isnull=True
            )
            .exclude(status__in=[IdeaStatus.MERGED, IdeaStatus.NOT_ADMITTED])
            .order_by("pk")
        )
        placed = 0
        with shared_index().held():
            for idea in ideas.iterator(chunk_size=500):
                if group_place(idea=idea) is not None:
                    placed += 1
        self.stdout.write(
            f"{placed} ideas colocadas; {DuplicateGroup.objects.count()} grupos en total."
        )
