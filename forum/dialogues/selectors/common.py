"""What the selectors share: the report's constants and counting helpers."""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import (
    ActorCategory,
)

TOP_IDEAS = 40  # the report: «40 ideas concentraron el 30 % de los votos»
AGENDA_PROPOSAL_SIZE = 8
# Ideas that can still be put on an agenda (not merged away, not refused, not answered yet).
AGENDA_STATUSES = (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW, IdeaStatus.ROUTED)


def _count(model, field_name: str = "dialogue", **filters):
    rows = model.objects.filter(**{field_name: OuterRef("pk")}, **filters).order_by()
    return Coalesce(Subquery(rows.values(field_name).annotate(c=Count("id")).values("c")[:1]), 0)


def _category_rows(counter: Counter) -> list[tuple[str, str, int]]:
    """(value, label, count) for every actor category, in the model's order."""
    return [(value, str(label), counter.get(value, 0)) for value, label in ActorCategory.choices]
