"""A dialogue's results and all dialogues' figures, counted from the session's rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count

from forum.participation.models import (
    Dialogue,
    Idea,
)
from forum.participation.selectors import public_ideas

from ..models import (
    CheckIn,
    ClosingWord,
    Seat,
    SurveyAnswer,
    Vote,
)
from .attendance import dialogue_attendance
from .common import TOP_IDEAS, _category_rows


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
    people = dialogue_attendance(dialogue)
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
