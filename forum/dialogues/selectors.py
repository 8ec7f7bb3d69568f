"""Reads of dialogues and councils: lists, pages, counts by actor category, results.

Counts of people are always by actor category (and organisation counts), never names: the public
pages show who came, not who is who. Every page's queries are a fixed number whatever the rows.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import (
    ActorCategory,
    Council,
    Dialogue,
    Idea,
    IdeaCoauthor,
    Membership,
    Person,
    StatusChange,
)
from forum.participation.selectors import overdue_ideas, public_ideas
from forum.threads.models import Thread

from . import phases
from .models import (
    AgendaPoint,
    CheckIn,
    ClosingWord,
    GuidingQuestion,
    PhaseChange,
    PhasePlan,
    Seat,
    SurveyAnswer,
    Table,
    Vote,
)

TOP_IDEAS = 40  # the report: «40 ideas concentraron el 30 % de los votos»
AGENDA_PROPOSAL_SIZE = 8
# Ideas that can still be put on an agenda (not merged away, not refused, not answered yet).
AGENDA_STATUSES = (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW, IdeaStatus.ROUTED)


def _count(model, field_name: str = "dialogue", **filters):
    rows = model.objects.filter(**{field_name: OuterRef("pk")}, **filters).order_by()
    return Coalesce(Subquery(rows.values(field_name).annotate(c=Count("id")).values("c")[:1]), 0)


# ---------------------------------------------------------------- dialogues


def dialogue_list() -> QuerySet[Dialogue]:
    """Every dialogue, the coming ones first, with its idea and attendance counts."""
    ideas = public_ideas().filter(dialogue=OuterRef("pk")).order_by().values("dialogue")
    return (
        Dialogue.objects.select_related("council", "region")
        .annotate(
            idea_count=Coalesce(Subquery(ideas.annotate(c=Count("id")).values("c")[:1]), 0),
            checkin_count=_count(CheckIn),
        )
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


def _category_rows(counter: Counter) -> list[tuple[str, str, int]]:
    """(value, label, count) for every actor category, in the model's order."""
    return [(value, str(label), counter.get(value, 0)) for value, label in ActorCategory.choices]


def dialogue_convened_counts(dialogue: Dialogue) -> list[tuple[str, str, int]]:
    """Who is convened, as counts by actor category (never names).

    For now derived from the seating and the check-ins (a person seated or present counts
    once). The convocation (issue 16) extends this one selector with its invitation list."""
    seated = dict(Seat.objects.filter(dialogue=dialogue).values_list("person_id", "actor_category"))
    present = dict(
        CheckIn.objects.filter(dialogue=dialogue, person__isnull=False).values_list(
            "person_id", "actor_category"
        )
    )
    people = seated | present
    anonymous = CheckIn.objects.filter(dialogue=dialogue, person__isnull=True).values_list(
        "actor_category", flat=True
    )
    return _category_rows(Counter(list(people.values()) + list(anonymous)))


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


@dataclass(frozen=True)
class Results:
    ideas: int
    people: int
    organisations: int
    by_category: list[tuple[str, str, int]]  # people present by actor category
    organisations_by_category: list[tuple[str, str, int]]
    votes: int
    top_share: float  # share of the votes held by the top ideas (0..1)
    top_ideas: list[tuple[Idea, int]]  # the most voted ideas with their votes
    words: list[tuple[str, int, int]]  # (word, count, size step 1..5), most said first
    ratings: list[tuple[str, str, int]]  # (value, label, count)
    rated: int
    good_share: float  # excellent or good (0..1)
    routed: list[Idea] = field(default_factory=list)

    @property
    def top_share_pct(self) -> int:
        return round(100 * self.top_share)

    @property
    def good_share_pct(self) -> int:
        return round(100 * self.good_share)


def dialogue_results(dialogue: Dialogue, *, show: int = 10) -> Results:
    """The figures of the report for one dialogue, all counted from the session's rows."""
    checkins = CheckIn.objects.filter(dialogue=dialogue)
    people = checkins.count()
    by_category = Counter(checkins.values_list("actor_category", flat=True))
    orgs = dict(
        checkins.filter(organisation__isnull=False)
        .values_list("organisation_id", "organisation__actor_category")
        .distinct()
    )
    votes_per_idea = list(
        Vote.objects.filter(dialogue=dialogue)
        .values("idea")
        .annotate(n=Count("id"))
        .order_by("-n", "idea")
        .values_list("idea", "n")
    )
    votes = sum(n for _i, n in votes_per_idea)
    top_votes = sum(n for _i, n in votes_per_idea[:TOP_IDEAS])
    shown = dict(votes_per_idea[:show])
    ideas_by_id = public_ideas().filter(pk__in=shown).only("id", "title", "tracking_code", "status")
    top_ideas = sorted(
        ((i, shown[i.pk]) for i in ideas_by_id), key=lambda pair: (-pair[1], pair[0].pk)
    )
    words = Counter(
        dict(
            ClosingWord.objects.filter(dialogue=dialogue)
            .values("normalised")
            .annotate(n=Count("id"))
            .values_list("normalised", "n")
        )
    )
    most = words.most_common(40)
    top = most[0][1] if most else 1
    cloud = [(w, n, 1 + round(4 * n / top) if top else 1) for w, n in most]
    cloud = [(w, n, min(size, 5)) for w, n, size in sorted(cloud)]
    ratings = Counter(
        SurveyAnswer.objects.filter(dialogue=dialogue).values_list("rating", flat=True)
    )
    rated = sum(ratings.values())
    good = ratings.get("excellent", 0) + ratings.get("good", 0)
    routed = list(
        public_ideas()
        .filter(dialogue=dialogue, council__isnull=False, merged_into__isnull=True)
        .select_related("council")
        .only("id", "title", "tracking_code", "status", "answer_due", "council__name")
        .order_by("answer_due", "id")[:20]
    )
    return Results(
        ideas=public_ideas().filter(dialogue=dialogue).count(),
        people=people,
        organisations=len(orgs),
        by_category=_category_rows(by_category),
        organisations_by_category=_category_rows(Counter(orgs.values())),
        votes=votes,
        top_share=(top_votes / votes) if votes else 0.0,
        top_ideas=top_ideas,
        words=cloud,
        ratings=[
            (value, str(label), ratings.get(value, 0))
            for value, label in SurveyAnswer.Rating.choices
        ],
        rated=rated,
        good_share=(good / rated) if rated else 0.0,
        routed=routed,
    )


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


@dataclass(frozen=True)
class Totals:
    """All dialogues together, as the report tells them."""

    dialogues: int
    people: int  # checked in, plus convened to the dialogues still to come
    organisations: int
    ideas: int
    votes: int
    top_share: float
    rated: int
    good_share: float

    @property
    def top_share_pct(self) -> int:
        return round(100 * self.top_share)

    @property
    def good_share_pct(self) -> int:
        return round(100 * self.good_share)


def dialogues_totals() -> Totals:
    """The report's headline figures, counted from the rows of every dialogue (six queries)."""
    present = set(
        CheckIn.objects.filter(person__isnull=False).values_list("dialogue_id", "person_id")
    )
    seated = set(Seat.objects.values_list("dialogue_id", "person_id"))
    people = len(present | seated) + CheckIn.objects.filter(person__isnull=True).count()
    orgs = set(
        CheckIn.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    ) | set(
        Seat.objects.filter(organisation__isnull=False).values_list("organisation_id", flat=True)
    )
    per_idea = sorted(
        Vote.objects.values("idea").annotate(n=Count("id")).values_list("n", flat=True),
        reverse=True,
    )
    votes = sum(per_idea)
    ratings = Counter(SurveyAnswer.objects.values_list("rating", flat=True))
    rated = sum(ratings.values())
    return Totals(
        dialogues=Dialogue.objects.count(),
        people=people,
        organisations=len(orgs),
        ideas=public_ideas().filter(dialogue__isnull=False).count(),
        votes=votes,
        top_share=sum(per_idea[:TOP_IDEAS]) / votes if votes else 0.0,
        rated=rated,
        good_share=(ratings["excellent"] + ratings["good"]) / rated if rated else 0.0,
    )
