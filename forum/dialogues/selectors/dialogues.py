"""One dialogue's reads: list, page, timeline, agenda, tables, whom to seat, its ideas."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from forum.participation.models import (
    Dialogue,
    Idea,
    IdeaCoauthor,
    Person,
)
from forum.participation.selectors import public_ideas

from .. import phases
from ..models import (
    AgendaPoint,
    CheckIn,
    GuidingQuestion,
    PhaseChange,
    PhasePlan,
    Seat,
    Table,
)
from .attendance import with_attendance
from .common import AGENDA_PROPOSAL_SIZE, AGENDA_STATUSES

# ---------------------------------------------------------------- dialogues


def dialogue_list() -> QuerySet[Dialogue]:
    """Every dialogue, the coming ones first, with its idea and attendance counts."""
    ideas = public_ideas().filter(dialogue=OuterRef("pk")).order_by().values("dialogue")
    return with_attendance(
        Dialogue.objects.select_related("council", "region")
        .annotate(idea_count=Coalesce(Subquery(ideas.annotate(c=Count("id")).values("c")[:1]), 0))
        .order_by("-date", "id")
    )


def dialogue_by_slug(slug: str) -> Dialogue | None:
    return (
        Dialogue.objects.select_related("council", "region", "space")
        .prefetch_related("topics")
        .filter(slug=slug)
        .first()
    )


@dataclass(frozen=True)
class TimelineStep:
    phase: str
    label: str
    starts_on: dt.date | None
    ends_on: dt.date | None
    entered_at: dt.datetime | None  # when the dialogue actually moved into it
    state: str  # "done" | "current" | "coming"


def dialogue_timeline(dialogue: Dialogue) -> list[TimelineStep]:
    """The four phases with their planned dates and when each was actually entered."""
    plans = {p.phase: p for p in PhasePlan.objects.filter(dialogue=dialogue)}
    entered = dict(
        PhaseChange.objects.filter(dialogue=dialogue)
        .values("to_phase")
        .annotate(at=Max("created_at"))
        .values_list("to_phase", "at")
    )
    current = phases.index(dialogue.phase)
    steps = []
    for i, phase in enumerate(phases.ORDER):
        plan = plans.get(phase)
        state = "done" if i < current else "current" if i == current else "coming"
        steps.append(
            TimelineStep(
                phase=phase,
                label=str(Dialogue.Phase(phase).label),
                starts_on=plan.starts_on if plan else None,
                ends_on=plan.ends_on if plan else None,
                entered_at=entered.get(phase),
                state=state,
            )
        )
    return steps


def guiding_questions(dialogue: Dialogue) -> QuerySet[GuidingQuestion]:
    return GuidingQuestion.objects.filter(dialogue=dialogue).order_by("position", "id")


def agenda_points(dialogue: Dialogue) -> QuerySet[AgendaPoint]:
    return (
        AgendaPoint.objects.filter(dialogue=dialogue)
        .select_related("source_idea", "topic")
        .order_by("position", "id")
    )


def agenda_candidates(dialogue: Dialogue, *, limit: int = AGENDA_PROPOSAL_SIZE) -> list[Idea]:
    """The region's most supported visible ideas on the dialogue's topics, canonical only (a
    merged cluster counts once, with the supports it gathered), not already on the agenda."""
    qs = public_ideas().filter(merged_into__isnull=True, status__in=AGENDA_STATUSES)
    if dialogue.region_id:
        qs = qs.filter(Q(region=dialogue.region_id) | Q(dialogue=dialogue))
    else:
        qs = qs.filter(dialogue=dialogue)
    topic_ids = list(dialogue.topics.values_list("pk", flat=True))
    if topic_ids:
        qs = qs.filter(topic__in=topic_ids)
    taken = AgendaPoint.objects.filter(dialogue=dialogue, source_idea__isnull=False)
    qs = qs.exclude(pk__in=taken.values("source_idea"))
    return list(qs.select_related("topic").order_by("-support_count", "created_at", "id")[:limit])


def tables_with_seats(dialogue: Dialogue) -> list[Table]:
    """Tables in order, each with its seats, people and organisations (two queries)."""
    return list(
        Table.objects.filter(dialogue=dialogue)
        .select_related("topic", "facilitator")
        .prefetch_related("seats__person", "seats__organisation")
        .order_by("number")
    )


def table_for_print(dialogue: Dialogue, number: int) -> Table | None:
    return (
        Table.objects.filter(dialogue=dialogue, number=number)
        .select_related("topic", "facilitator")
        .prefetch_related("seats__person", "seats__organisation")
        .first()
    )


def dialogue_convened_people(dialogue: Dialogue) -> list[Person]:
    """The people to seat: for now those already seated or present and the authors of the
    dialogue's ideas. The convocation (issue 16) extends this one selector with its invitation
    list; seating (``services.tables_seat``) takes whatever it returns."""
    ids: set[int] = set(Seat.objects.filter(dialogue=dialogue).values_list("person_id", flat=True))
    ids.update(
        CheckIn.objects.filter(dialogue=dialogue, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    ids.update(
        Idea.objects.filter(dialogue=dialogue, author__isnull=False).values_list(
            "author_id", flat=True
        )
    )
    return list(Person.objects.filter(pk__in=ids, erased_at__isnull=True).order_by("pk"))


def dialogue_attendees(dialogue: Dialogue) -> QuerySet[Person]:
    """The people who checked in (not erased)."""
    return Person.objects.filter(
        checkins__dialogue=dialogue, erased_at__isnull=True
    ).prefetch_related("identities")


def dialogue_concerned(dialogue: Dialogue) -> list[Person]:
    """Everyone a dialogue's news is for: authors and co-authors of its ideas, the people seated
    and the people who came (erased people excluded)."""
    ids: set[int] = set()
    ids.update(
        Idea.objects.filter(dialogue=dialogue, author__isnull=False).values_list(
            "author_id", flat=True
        )
    )
    ids.update(
        IdeaCoauthor.objects.filter(idea__dialogue=dialogue).values_list("person_id", flat=True)
    )
    ids.update(Seat.objects.filter(dialogue=dialogue).values_list("person_id", flat=True))
    ids.update(
        CheckIn.objects.filter(dialogue=dialogue, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    return list(Person.objects.filter(pk__in=ids, erased_at__isnull=True).order_by("pk"))


def results_recipients(dialogue: Dialogue) -> list[Person]:
    """Every attendee and every author (and co-author) of an idea from the dialogue."""
    ids: set[int] = set()
    ids.update(
        Idea.objects.filter(dialogue=dialogue, author__isnull=False).values_list(
            "author_id", flat=True
        )
    )
    ids.update(
        IdeaCoauthor.objects.filter(idea__dialogue=dialogue).values_list("person_id", flat=True)
    )
    ids.update(
        CheckIn.objects.filter(dialogue=dialogue, person__isnull=False).values_list(
            "person_id", flat=True
        )
    )
    return list(Person.objects.filter(pk__in=ids, erased_at__isnull=True).order_by("pk"))


def dialogue_ideas(dialogue: Dialogue, *, limit: int = 50) -> list[Idea]:
    """The dialogue's visible ideas, most supported first, with their status and council."""
    return list(
        public_ideas()
        .filter(dialogue=dialogue)
        .select_related("council", "topic")
        .defer("search_text", "original_text", "body")
        .order_by("-support_count", "id")[:limit]
    )


@dataclass(frozen=True)
class IdeaOrigins:
    in_advance: int  # sent by web or chat before the session
    session: int  # entered by a table during the session
    transcribed: int  # from the flipcharts, afterwards
    total: int


def dialogue_idea_origins(dialogue: Dialogue) -> IdeaOrigins:
    rows = (
        public_ideas()
        .filter(dialogue=dialogue)
        .aggregate(
            total=Count("id"),
            session=Count("id", filter=Q(table_idea__isnull=False)),
            transcribed=Count(
                "id", filter=Q(table_idea__isnull=True, channel__in=["in_person", "import"])
            ),
        )
    )
    total = rows["total"] or 0
    session = rows["session"] or 0
    transcribed = rows["transcribed"] or 0
    return IdeaOrigins(total - session - transcribed, session, transcribed, total)
