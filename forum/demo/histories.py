"""Walk each loaded idea to its planned status through the real services, the way a moderator
and a council secretary would have, and merge the planned duplicates through moderation's.

Each walk returns ``(StatusChange id, idea id, when)`` for the changes it made: the services
date them now, and :func:`.load.backdate` gives them the date they have in the plan's story.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Prefetch

from forum.moderation.matcher.groups import identity_key
from forum.moderation.models import DuplicateGroup, GroupMember
from forum.moderation.services import ModerationError, idea_merge
from forum.moderation.services.groups import MERGEABLE, canonical_rank
from forum.participation import services
from forum.participation.lifecycle import ANSWERS
from forum.participation.models import Council, Idea, StatusChange

from . import prose
from .spec import DEMO_TODAY, TZ, IdeaPlan, Plan, S, at

DEMO_NOW = dt.datetime.combine(DEMO_TODAY, dt.time(17), tzinfo=TZ)

Dated = tuple[int, int, dt.datetime]  # (StatusChange id, idea id, when it happened)

# The moderators keep up with the queue: a waiting idea that arrived three weeks or more before
# the demo's date and is a clear look-alike of its group's canonical idea has been merged into
# it; the newer ones, and the doubtful ones, still wait for a decision.
REVIEWED_BEFORE = DEMO_TODAY - dt.timedelta(days=21)
CLEAR_MATCH = 80.0


def history_dates(rng: random.Random, created: dt.datetime, steps: int) -> list[dt.datetime]:
    """Increasing dates after ``created``, never past DEMO_TODAY."""
    limit = dt.datetime.combine(DEMO_TODAY, dt.time(18), tzinfo=TZ)
    dates, current = [], created
    gaps = [
        rng.randint(3, 25),
        rng.randint(7, 40),
        rng.randint(10, 45),
        rng.randint(20, 90),
        rng.randint(60, 200),
    ]
    for n in range(steps):
        day = current.astimezone(TZ).date() + dt.timedelta(days=gaps[n % len(gaps)])
        current = at(day, rng, 9, 18)  # office hours
        dates.append(current)
    if dates and dates[-1] > limit:
        room = max((limit - created).total_seconds(), 3600 * steps)
        dates = [created + dt.timedelta(seconds=room * (n + 1) / (steps + 1)) for n in range(steps)]
    return dates


def _steps(p: IdeaPlan, rng: random.Random) -> list[tuple[str, str]]:
    """The ``(kind, status)`` steps from received to the idea's planned status."""
    target = p.status
    if target == S.MERGED:
        # Merged later by the moderation service; some were looked at first.
        target = S.IN_REVIEW if p.index % 2 else S.RECEIVED
    if target == S.RECEIVED:
        return []
    steps: list[tuple[str, str]] = []
    if target == S.NOT_ADMITTED:
        if rng.random() < 0.5:
            steps.append(("move", S.IN_REVIEW))
        steps.append(("move", S.NOT_ADMITTED))
    else:
        steps.append(("move", S.IN_REVIEW))
    answered = target in ANSWERS or target == S.IMPLEMENTED
    if target in (S.ROUTED, S.ON_AGENDA) or answered:
        steps.append(("route", S.ROUTED))
    if target == S.ON_AGENDA or (answered and rng.random() < 0.6):
        steps.append(("agenda", S.ON_AGENDA))
    if answered:
        outcome = (
            target
            if target in ANSWERS
            else rng.choice([S.ANSWERED_ACCEPTED, S.ANSWERED_ACCEPTED, S.ANSWERED_PARTLY])
        )
        steps.append(("answer", outcome))
    if target == S.IMPLEMENTED:
        steps.append(("move", S.IMPLEMENTED))
    return steps


# Of the ideas still waiting for their council at the demo's date, the share already overdue;
# of those answered, the share answered after their due date. A believable record: most on time.
OVERDUE_SHARE = 0.08
LATE_ANSWER_SHARE = 0.1
# The demo councils' answer period (Council.answer_days): two months, as SENCE's councils meet.
DEMO_ANSWER_DAYS = 60


def council_timeline(
    p: IdeaPlan, steps: list[tuple[str, str]], dates: list[dt.datetime], rng: random.Random
) -> tuple[list[dt.datetime], dt.date | None]:
    """``dates`` reshaped so that councils mostly answer in time, and the due date set at
    routing: an idea still waiting was routed recently (a few long ago, now overdue); an
    answered one got its answer within the period (a few late)."""
    kinds = [kind for kind, _status in steps]
    if "route" not in kinds:
        return dates, None
    dates = list(dates)
    r = kinds.index("route")
    limit = dt.datetime.combine(DEMO_TODAY, dt.time(18), tzinfo=TZ)
    created = p.created_at
    if "answer" not in kinds:
        overdue = rng.random() < OVERDUE_SHARE
        back = rng.randint(70, 110) if overdue else rng.randint(3, 40)
        route = max(
            at(DEMO_TODAY - dt.timedelta(days=back), rng, 9, 18), created + dt.timedelta(hours=2)
        )
        later = len(dates) - r - 1
        span = (limit - route) / (later + 1)
        dates[r:] = [route + span * n for n in range(later + 1)]
    else:
        a = kinds.index("answer")
        late = rng.random() < LATE_ANSWER_SHARE
        days = (
            rng.randint(DEMO_ANSWER_DAYS + 5, DEMO_ANSWER_DAYS + 60)
            if late
            else rng.randint(7, DEMO_ANSWER_DAYS - 3)
        )
        answer = min(dates[r] + dt.timedelta(days=days), limit - dt.timedelta(hours=1))
        step = (answer - dates[r]) / (a - r)
        for n in range(r + 1, a + 1):
            dates[n] = dates[r] + step * (n - r)
        for n in range(a + 1, len(dates)):  # implemented: after the answer
            dates[n] = max(dates[n], dates[n - 1] + dt.timedelta(hours=1))
    # Steps before routing stay before it.
    for n in range(r - 1, -1, -1):
        if dates[n] >= dates[n + 1]:
            dates[n] = created + (dates[n + 1] - created) * (n + 1) / (r + 1)
    due = dates[r].astimezone(TZ).date() + dt.timedelta(days=DEMO_ANSWER_DAYS)
    return dates, due


def walk(
    p: IdeaPlan,
    idea: Idea,
    rng: random.Random,
    users: dict[str, AbstractBaseUser],
    councils: dict[str, Council],
) -> list[Dated]:
    """Move one idea to its planned status through the services."""
    steps = _steps(p, rng)
    if not steps:
        return []
    dates, due = council_timeline(p, steps, history_dates(rng, p.created_at, len(steps)), rng)
    council = councils[f"cre-{p.region}"]
    if p.theme.slug == "revisar-modelo" and rng.random() < 0.3:
        council = councils["nacional"]
    changes: list[Dated] = []
    for (kind, status), when in zip(steps, dates, strict=True):
        change = _step(p, idea, kind, status, when, council, rng, users, due)
        changes.append((change.pk, idea.pk, when))
    return changes


def _step(
    p: IdeaPlan,
    idea: Idea,
    kind: str,
    status: str,
    when: dt.datetime,
    council: Council,
    rng: random.Random,
    users: dict[str, AbstractBaseUser],
    due: dt.date | None,
) -> StatusChange:
    """One step of a history: the moderator reviews or turns down, the secretary does the rest."""
    moderator, secretary = users["moderadora"], users["secretaria"]
    slots = {**p.slots, "council": council.name, "year": str(when.year)}
    if kind == "move" and status == S.IN_REVIEW:
        return services.idea_transition(
            idea=idea,
            to_status=status,
            actor=moderator,
            public_message=prose.in_review_message(rng),
        )
    if kind == "move" and status == S.NOT_ADMITTED:
        message = prose.not_admitted_message(rng)
        return services.idea_transition(
            idea=idea, to_status=status, actor=moderator, public_message=message
        )
    if kind == "route":
        return services.idea_route(
            idea=idea,
            council=council,
            actor=secretary,
            answer_due=due,
            public_message=prose.routed_message(rng, slots),
        )
    if kind == "agenda":
        return services.idea_transition(
            idea=idea,
            to_status=status,
            actor=secretary,
            public_message=prose.agenda_message(when, council.name),
        )
    if kind == "answer":
        answer = prose.council_answer(rng, p.theme, status, slots, council.name, when)
        return services.idea_answer(idea=idea, outcome=status, answer=answer, actor=secretary)
    # implemented
    message = prose.implemented_message(rng, when)
    return services.idea_transition(
        idea=idea, to_status=status, actor=secretary, public_message=message
    )


def merge_duplicates(
    plan: Plan,
    ideas: list[Idea],
    users: dict[str, AbstractBaseUser],
    rng: random.Random,
    dated: list[Dated],
) -> int:
    """A moderator merges the near-duplicates planned as merged into their original, through
    the moderation app's service (supports move, authors become co-authors)."""
    merged = 0
    for p in plan.ideas:
        if p.status != S.MERGED or p.duplicate_of is None:
            continue
        idea_merge(
            canonical=ideas[p.duplicate_of],
            merged=[ideas[p.index]],
            actor=users["moderadora"],
            reason="Misma propuesta que la idea original.",
        )
        change = StatusChange.objects.filter(idea=ideas[p.index], to_status=S.MERGED).latest("id")
        previous = max([p.created_at] + [w for _c, i, w in dated if i == ideas[p.index].pk])
        when = min(
            at(previous.astimezone(TZ).date() + dt.timedelta(days=rng.randint(1, 6)), rng, 9, 18),
            dt.datetime.combine(DEMO_TODAY, dt.time(17), tzinfo=TZ),
        )
        dated.append((change.pk, ideas[p.index].pk, when))
        merged += 1
    return merged


def merge_identical(ideas: list[Idea], dated: list[Dated]) -> int:
    """What the site does on arrival, once the histories are written: an idea with the same
    text as another visible idea is merged into it by the system (actor none, undoable). The
    demo submits its ideas without it so that each can first walk its planned history."""
    by_key: dict[str, list[Idea]] = {}
    for idea in ideas:
        idea.refresh_from_db(fields=["status", "merged_into", "hidden_at", "support_count"])
        if idea.merged_into_id is None and idea.hidden_at is None and idea.status != S.NOT_ADMITTED:
            by_key.setdefault(identity_key(idea.title, idea.body), []).append(idea)
    merged = 0
    for same in by_key.values():
        if len(same) < 2:
            continue
        canonical = min(same, key=canonical_rank)
        others = [i for i in same if i.pk != canonical.pk and i.status in MERGEABLE]
        if not others:
            continue
        idea_merge(
            canonical=canonical,
            merged=others,
            actor=None,
            reason="Texto idéntico a una idea existente: fusión automática al llegar.",
            auto=True,
        )
        for idea in others:
            change = StatusChange.objects.filter(idea=idea, to_status=S.MERGED).latest("id")
            when = min(idea.created_at + dt.timedelta(minutes=1), DEMO_NOW)
            dated.append((change.pk, idea.pk, when))
        merged += len(others)
    return merged


def merge_reviewed_groups(
    users: dict[str, AbstractBaseUser],
    rng: random.Random,
    dated: list[Dated],
    keep_author: int | None = None,
) -> int:
    """The moderator's past work on the proposed duplicate groups (see REVIEWED_BEFORE), through
    the moderation app's merge: supports move to the canonical idea, every backer is told.
    ``keep_author``'s ideas stay as planned (the ``participante`` account shows one idea in
    each status)."""
    merged = 0
    last_date: dict[int, dt.datetime] = {}
    for _c, idea_id, when in dated:
        last_date[idea_id] = max(when, last_date.get(idea_id, when))
    # Each idea is in one group at most: merging one group's members leaves the others as read.
    members = Prefetch("members", GroupMember.objects.select_related("idea").order_by("idea_id"))
    groups = DuplicateGroup.objects.select_related("canonical").prefetch_related(members)
    for group in list(groups.order_by("pk")):
        waiting = [
            m.idea
            for m in group.members.all()
            if m.idea_id != group.canonical_id
            and m.score >= CLEAR_MATCH
            and m.idea.status in MERGEABLE
            and m.idea.created_at.astimezone(TZ).date() < REVIEWED_BEFORE
            and (keep_author is None or m.idea.author_id != keep_author)
        ]
        if not waiting:
            continue
        try:
            idea_merge(
                canonical=group.canonical,
                merged=waiting,
                actor=users["moderadora"],
                reason="Misma propuesta que la idea en que se fusiona.",
            )
        except ModerationError:
            continue
        for idea in waiting:
            change = StatusChange.objects.filter(idea=idea, to_status=S.MERGED).latest("id")
            previous = max(idea.created_at, last_date.get(idea.pk, idea.created_at))
            day = previous.astimezone(TZ).date() + dt.timedelta(days=rng.randint(2, 12))
            dated.append((change.pk, idea.pk, min(at(day, rng, 9, 18), DEMO_NOW)))
        merged += len(waiting)
    return merged
