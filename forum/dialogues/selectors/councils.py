"""A council's page: members, meetings, and how it answers."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import (
    Council,
    Dialogue,
    Idea,
    Membership,
    StatusChange,
)
from forum.participation.selectors import overdue_ideas
from forum.threads.models import Thread

from .common import _count

# ---------------------------------------------------------------- councils


def council_list() -> QuerySet[Council]:
    today = timezone.localdate()
    current = Q(term_end__isnull=True) | Q(term_end__gte=today)
    members = (
        Membership.objects.filter(current, council=OuterRef("pk"), term_start__lte=today)
        .order_by()
        .values("council")
    )
    return (
        Council.objects.select_related("region")
        .annotate(
            member_count=Coalesce(Subquery(members.annotate(c=Count("id")).values("c")[:1]), 0),
            idea_count=_count(Idea, "council"),
        )
        .order_by("kind", "region__ordinal")
    )


def council_by_slug(slug: str) -> Council | None:
    return Council.objects.select_related("region").filter(slug=slug).first()


def council_members(council: Council) -> list[Membership]:
    """Current members with their organisation; on the national council, each representative's
    regional council and category (from their membership there)."""
    today = timezone.localdate()
    rows = list(
        Membership.objects.filter(council=council, term_start__lte=today)
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=today))
        .select_related("person", "organisation")
        .order_by("role", "actor_category", "person__display_name", "id")
    )
    if council.kind == Council.Kind.NATIONAL:
        regional = {
            m.person_id: m.council
            for m in Membership.objects.filter(
                person__in=[m.person_id for m in rows], council__kind=Council.Kind.REGIONAL
            ).select_related("council")
        }
        for m in rows:
            m.regional_council = regional.get(m.person_id)  # type: ignore[attr-defined]
    return rows


def council_meetings(council: Council, *, limit: int = 20) -> list[Thread]:
    """The council's public threads: its meetings, agenda items and minutes."""
    return list(
        Thread.objects.filter(council=council, visibility=Thread.Visibility.PUBLIC)
        .exclude(kind=Thread.Kind.IDEA)
        .select_related("agenda_item")
        .order_by(F("last_post_at").desc(nulls_last=True), "-id")[:limit]
    )


@dataclass(frozen=True)
class CouncilAnswers:
    routed: int
    answered: int
    median_days: float | None
    overdue: int


def council_answers(council: Council) -> CouncilAnswers:
    """Ideas routed to the council, how many it answered, the median days from routing to the
    answer, and how many are overdue now."""
    ideas = Idea.objects.filter(council=council, merged_into__isnull=True)
    routed = ideas.count()
    answered_ids = ideas.filter(status__in=[*ANSWERS, IdeaStatus.IMPLEMENTED]).values_list(
        "pk", flat=True
    )
    changes = StatusChange.objects.filter(
        idea__in=list(answered_ids), to_status__in=[IdeaStatus.ROUTED, *ANSWERS]
    ).values_list("idea_id", "to_status", "created_at")
    routed_at: dict[int, dt.datetime] = {}
    answered_at: dict[int, dt.datetime] = {}
    for idea_id, status, at in changes:
        if status == IdeaStatus.ROUTED:
            routed_at[idea_id] = min(at, routed_at.get(idea_id, at))
        else:
            answered_at[idea_id] = min(at, answered_at.get(idea_id, at))
    days = [
        (answered_at[i] - routed_at[i]).total_seconds() / 86400
        for i in answered_at
        if i in routed_at and answered_at[i] >= routed_at[i]
    ]
    return CouncilAnswers(
        routed=routed,
        answered=len(answered_at),
        median_days=round(statistics.median(days), 1) if days else None,
        overdue=overdue_ideas(council).count(),
    )


def council_dialogues(council: Council) -> QuerySet[Dialogue]:
    return Dialogue.objects.filter(council=council).order_by("-date")
