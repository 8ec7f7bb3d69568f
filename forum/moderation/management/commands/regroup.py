"""Place every visible idea that is in no proposed duplicate group: after a lost placement
race, or on a database older than the groups (``import_ideas`` places what it imported itself).

One index query per idea, like an arrival; ideas already grouped stay where they are.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from forum.moderation.models import DuplicateGroup
from forum.moderation.services import groups_place_ungrouped


class Command(BaseCommand):
    help = "Coloca en grupos de duplicados las ideas visibles que no están en ninguno."

    def handle(self, *args, **options) -> None:
        placed = groups_place_ungrouped()
        self.stdout.write(
            f"{placed} ideas colocadas; {DuplicateGroup.objects.count()} grupos en total."
        )
