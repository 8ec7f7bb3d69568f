"""The results' figures, computed from the participation rows (never typed), for a scope: the
whole forum, a region, a council or one dialogue.

Every public function returns plain data (dicts, lists, dataclasses of numbers) cached under the
data version (:mod:`.cache`), so the pages, the open data and the API read the same numbers.
Only public ideas count (not hidden by moderation); no function returns a person.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from forum.participation import selectors as participation
from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import (
    ActorCategory,
    Channel,
    Council,
    Dialogue,
    Idea,
    Organisation,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)

from . import aggregates, cache, sources
from .chile import POPULATION
from .words import top_words

S = IdeaStatus
ANSWERED, PENDING, ROUTED = aggregates.ANSWERED, aggregates.PENDING, aggregates.ROUTED
STATUS_ORDER = list(S.values)
TOP_N = 40
WORDS = 60


@dataclass(frozen=True)
class Scope:
    """Which part of the forum a figure is about; at most one of the three is set."""

    region: Region | None = None
    council: Council | None = None
    dialogue: Dialogue | None = None

    @property
    def key(self) -> str:
        if self.region is not None:
            return f"region:{self.region.pk}"
        if self.council is not None:
            return f"council:{self.council.pk}"
        if self.dialogue is not None:
            return f"dialogue:{self.dialogue.pk}"
        return "all"

    @property
    def is_overall(self) -> bool:
        return self.key == "all"

    def ideas(self) -> QuerySet[Idea]:
        qs = participation.public_ideas()
        if self.region is not None:
            qs = qs.filter(region=self.region)
        if self.council is not None:
            qs = qs.filter(council=self.council)
        if self.dialogue is not None:
            qs = qs.filter(dialogue=self.dialogue)
        return qs

    def dialogues(self) -> QuerySet[Dialogue]:
        qs = Dialogue.objects.all()
        if self.region is not None:
            qs = qs.filter(region=self.region)
        if self.council is not None:
            qs = qs.filter(council=self.council)
        if self.dialogue is not None:
            qs = qs.filter(pk=self.dialogue.pk)
        return qs


OVERALL = Scope()


def _cached(scope: Scope, name: str, compute: Any) -> Any:
    return cache.cached(f"{scope.key}:{name}", compute)


# ---------------------------------------------------------------- the report's figures


@dataclass(frozen=True)
class Headline:
    dialogues: int
    people: int
    organisations: int
    ideas: int
    supports: int
    top40_support_share: float
    # Share of the satisfaction survey rating the method excellent or good; None: no answers.
    method_rating_share: float | None
    attendance: int


def _headline(scope: Scope) -> Headline:
    if scope.is_overall:
        # The home page's and /api/stats's own selector: one definition of these figures.
        stats = participation.headline_stats()
        return Headline(
            dialogues=stats.dialogues,
            people=stats.participants,
            organisations=stats.organisations,
            ideas=stats.ideas,
            supports=stats.supports,
            top40_support_share=stats.top40_support_share,
            method_rating_share=sources.method_rating_share(scope),
            attendance=sources.attendance(scope),
        )
    ideas = scope.ideas()
    supports = ideas.aggregate(s=Sum("support_count"))["s"] or 0
    top = sum(ideas.order_by("-support_count", "id").values_list("support_count", flat=True)[:40])
    people = _participants(scope)
    return Headline(
        dialogues=scope.dialogues().count(),
        people=people.count(),
        organisations=(
            people.filter(organisation__isnull=False).values("organisation").distinct().count()
        ),
        ideas=ideas.count(),
        supports=supports,
        top40_support_share=(top / supports) if supports else 0.0,
        method_rating_share=sources.method_rating_share(scope),
        attendance=sources.attendance(scope),
    )


def headline(scope: Scope = OVERALL) -> Headline:
    """The report's figures: dialogues, people, organisations, ideas, supports, the share of
    supports held by the 40 most supported ideas, the method's rating. Overall, people and
    organisations are everyone registered (as the report counts them); in a scope, the people
    who wrote or supported one of its ideas and their organisations."""
    return _cached(scope, "headline", lambda: _headline(scope))


def _participants(scope: Scope) -> QuerySet[Person]:
    """The people who wrote or supported one of the scope's ideas (a query: at 100,000 ideas
    and 400,000 supports, their ids are not read into Python)."""
    ideas = scope.ideas()
    backers = Support.objects.filter(idea__in=ideas.values("pk"))
    if scope.is_overall:
        # Nearly everyone: EXISTS per person (by the author and supporter indexes) stops at the
        # first idea or support found, rather than sorting 500,000 ids.
        wrote = Exists(ideas.filter(author=OuterRef("pk")))
        supported = Exists(backers.filter(person=OuterRef("pk")))
        return Person.objects.filter(wrote | supported).order_by()
    # A part of the forum: one IN over the union of its few authors and backers (hashed; an
    # OR of two INs scanned the supports once per person).
    authors = ideas.exclude(author=None).order_by().values("author_id")
    backed = backers.order_by().values("person_id")
    return Person.objects.filter(pk__in=authors.union(backed)).order_by()


# ---------------------------------------------------------------- accountability


@dataclass
class CouncilRow:
    council_id: int
    slug: str
    name: str
    routed: int = 0
    answered: int = 0
    overdue_now: int = 0
    answered_late: int = 0
    median_days: float | None = None
    p90_days: float | None = None

    @property
    def share_answered(self) -> float:
        return self.answered / self.routed if self.routed else 0.0

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["share_answered"] = round(self.share_answered, 4)
        return data


def _accountability(scope: Scope) -> dict[str, Any]:
    figures = aggregates.council_figures(scope.ideas(), timezone.localdate())
    councils = Council.objects.all()
    if scope.council is not None:
        councils = councils.filter(pk=scope.council.pk)
    rows = [
        CouncilRow(pk, slug, name, **figures.get(pk, {}))
        for pk, slug, name in councils.values_list("pk", "slug", "name")
    ]
    ranking = sorted(
        (r for r in rows if r.routed),
        key=lambda r: (
            -r.share_answered,
            r.median_days if r.median_days is not None else 1e9,
            r.name,
        ),
    )
    total = CouncilRow(0, "", "", **figures[aggregates.TOTAL])
    return {
        "councils": [r.as_dict() for r in ranking] + [r.as_dict() for r in rows if not r.routed],
        "total": total.as_dict(),
    }


def accountability(scope: Scope = OVERALL) -> dict[str, Any]:
    """Per council: ideas routed (and not merged away), answered, share answered, median and
    90th-percentile days from routing to answer, overdue now (no answer, due date passed) and
    answered late (answered after the due date); ranked by share answered, then by speed.
    Councils without routed ideas come last."""
    return _cached(scope, "accountability", lambda: _accountability(scope))


# ---------------------------------------------------------------- funnel and trend


def _funnel(scope: Scope) -> dict[str, Any]:
    counts = dict(scope.ideas().values("status").annotate(n=Count("id")).values_list("status", "n"))
    by_status = [{"status": s, "ideas": counts.get(s, 0)} for s in STATUS_ORDER]
    submitted = sum(counts.values())
    stages = [
        ("submitted", submitted),
        ("reviewed", submitted - counts.get(S.RECEIVED, 0)),
        ("routed", sum(counts.get(s, 0) for s in ROUTED)),
        ("answered", sum(counts.get(s, 0) for s in ANSWERED)),
        ("implemented", counts.get(S.IMPLEMENTED, 0)),
    ]
    return {"by_status": by_status, "stages": [{"stage": k, "ideas": n} for k, n in stages]}


def funnel(scope: Scope = OVERALL) -> dict[str, Any]:
    """Ideas by status now, and the funnel: submitted, reviewed (left *received*), routed to a
    council, answered, implemented."""
    return _cached(scope, "funnel", lambda: _funnel(scope))


def _month(value: dt.datetime | dt.date) -> str:
    return value.strftime("%Y-%m")


def _trend(scope: Scope) -> list[dict[str, Any]]:
    ideas = scope.ideas()
    submitted = Counter(
        {
            _month(m): n
            for m, n in ideas.annotate(m=TruncMonth("created_at"))
            .values("m")
            .annotate(n=Count("id"))
            .values_list("m", "n")
        }
    )
    answered = Counter(
        {
            _month(m): n
            for m, n in StatusChange.objects.filter(
                idea__in=ideas.values("pk"), to_status__in=ANSWERS
            )
            .annotate(m=TruncMonth("created_at"))
            .values("m")
            .annotate(n=Count("id"))
            .values_list("m", "n")
        }
    )
    months = sorted(set(submitted) | set(answered))
    return [{"month": m, "ideas": submitted[m], "answers": answered[m]} for m in months]


def trend(scope: Scope = OVERALL) -> list[dict[str, Any]]:
    """Per month (YYYY-MM, the site's time zone): ideas received and council answers given."""
    return _cached(scope, "trend", lambda: _trend(scope))


# ---------------------------------------------------------------- participation breakdowns


def _by_category(scope: Scope, ideas: QuerySet[Idea]) -> list[dict[str, Any]]:
    """Per actor category ("" last: none given): participants, their organisations, and ideas
    by their author's category."""
    people = _participants(scope)
    cat_people = Counter(
        dict(
            people.filter(erased_at__isnull=True)
            .values("actor_category")
            .annotate(n=Count("id"))
            .values_list("actor_category", "n")
        )
    )
    cat_ideas = Counter(
        dict(
            ideas.values("author__actor_category")
            .annotate(n=Count("id"))
            .values_list("author__actor_category", "n")
        )
    )
    orgs = Organisation.objects.all()
    if scope.region is not None:
        orgs = orgs.filter(region=scope.region)
    elif not scope.is_overall:
        orgs = orgs.filter(people__in=people).distinct()
    cat_orgs = Counter(
        dict(
            orgs.values("actor_category")
            .annotate(n=Count("id", distinct=True))
            .values_list("actor_category", "n")
        )
    )
    return [
        {
            "category": value,
            "people": cat_people.get(value, 0),
            "organisations": cat_orgs.get(value, 0),
            "ideas": cat_ideas.get(value, 0),
        }
        for value in [*ActorCategory.values, ""]
    ]


def _by_channel(ideas: QuerySet[Idea]) -> list[dict[str, Any]]:
    """Per channel: ideas sent and supports given through it."""
    ch_ideas = dict(ideas.values("channel").annotate(n=Count("id")).values_list("channel", "n"))
    ch_supports = dict(
        Support.objects.filter(idea__in=ideas.values("pk"))
        .values("channel")
        .annotate(n=Count("id"))
        .values_list("channel", "n")
    )
    return [
        {"channel": c, "ideas": ch_ideas.get(c, 0), "supports": ch_supports.get(c, 0)}
        for c in Channel.values
    ]


def _by_region(ideas: QuerySet[Idea]) -> list[dict[str, Any]]:
    """Per region, north to south: ideas, per 100,000 inhabitants, and the share answered of
    those routed to a council."""
    reg = {
        pk: (n, answered, routed)
        for pk, n, answered, routed in ideas.values("region")
        .annotate(
            n=Count("id"),
            answered=Count("id", filter=Q(status__in=ANSWERED, council__isnull=False)),
            routed=Count("id", filter=Q(status__in=ROUTED, council__isnull=False)),
        )
        .values_list("region", "n", "answered", "routed")
    }
    regions = []
    for region in Region.objects.order_by("ordinal"):
        n, answered, routed = reg.get(region.pk, (0, 0, 0))
        population = POPULATION.get(region.slug)
        regions.append(
            {
                "region": region.slug,
                "name": region.name,
                "ideas": n,
                "population": population,
                "ideas_per_100k": round(n * 100_000 / population, 2) if population else None,
                "routed": routed,
                "answered": answered,
                "share_answered": round(answered / routed, 4) if routed else None,
            }
        )
    return regions


def _by_topic(ideas: QuerySet[Idea]) -> list[dict[str, Any]]:
    """Ideas per topic, most first; ideas without a topic last (when there are any)."""
    by_topic: dict[int | None, int] = dict(
        ideas.values("topic").annotate(n=Count("id")).values_list("topic", "n")
    )
    topics: list[dict[str, Any]] = [
        {"topic": t.slug, "name": t.name, "ideas": by_topic.get(t.pk, 0)}
        for t in Topic.objects.order_by("name")
    ]
    topics.sort(key=lambda t: -t["ideas"])
    if by_topic.get(None):
        topics.append({"topic": "", "name": "", "ideas": by_topic[None]})
    return topics


def _breakdowns(scope: Scope) -> dict[str, Any]:
    ideas = scope.ideas()
    return {
        "categories": _by_category(scope, ideas),
        "channels": _by_channel(ideas),
        "regions": _by_region(ideas),
        "topics": _by_topic(ideas),
    }


def breakdowns(scope: Scope = OVERALL) -> dict[str, Any]:
    """Participation by actor category (participants, organisations, ideas by their author's
    category; "" is no category given), by channel (ideas, supports), by region (ideas, per
    100,000 inhabitants, share answered) and ideas by topic."""
    return _cached(scope, "breakdowns", lambda: _breakdowns(scope))


# ---------------------------------------------------------------- words


def _texts(scope: Scope) -> Iterator[str]:
    for title, body in scope.ideas().values_list("title", "body").iterator(chunk_size=2000):
        yield title
        yield body
    yield from sources.closing_words(scope)


def word_cloud(scope: Scope = OVERALL) -> list[tuple[str, int]]:
    """The most mentioned words in the scope's ideas (and, once the dialogues app sends them,
    the words sent at the close of each dialogue), Spanish stop-words removed."""
    return _cached(scope, "words", lambda: top_words(_texts(scope), WORDS))
