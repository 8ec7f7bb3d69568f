"""The demo's 1,820 ideas and their supports (pure: a seeded ``random.Random``, no database).

Ideas come in four waves, drawn in this order: written at the dialogues already held, sent
before the coming dialogues, sent online over the whole period, and near-duplicates of earlier
ones waiting for moderation.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from forum.participation.models import Channel

from . import content, prose
from .content import Theme
from .spec import (
    DEMO_TODAY,
    DUPLICATES,
    IN_PERSON_IDEAS,
    PRE_DIALOGUE_IDEAS,
    STATUS_MIX,
    SUPPORT_WEIGHT,
    TARGET_SUPPORTS,
    TOTAL_IDEAS,
    ZIPF_K,
    ZIPF_S,
    IdeaPlan,
    PersonPlan,
    S,
    at,
    weighted,
)


def _dialogue_bucket(phase: str) -> str:
    return {"celebration": "old", "realisation": "recent"}.get(phase, "new")


def _bucket_for_date(day: dt.date) -> str:
    age = (DEMO_TODAY - day).days
    if age > 300:
        return "old"
    if age > 70:
        return "recent"
    return "new"


@dataclass
class _Drafts:
    """The ideas planned so far, and how to add one in its theme's and channel's words."""

    rng: random.Random
    region_names: dict[str, str]
    ideas: list[IdeaPlan] = field(default_factory=list)

    def add(
        self,
        theme: Theme,
        channel: str,
        region: str,
        dialogue: str | None,
        author: int | None,
        created: dt.datetime,
        bucket: str,
    ) -> None:
        rng = self.rng
        slots = prose.idea_slots(rng, region, self.region_names)
        slots["year"] = str(min(created.year + 1, 2026))
        title, body = prose.compose(rng, theme, channel, slots)
        self.ideas.append(
            IdeaPlan(
                len(self.ideas),
                theme,
                title,
                body,
                channel,
                region,
                dialogue,
                author,
                created,
                weighted(rng, STATUS_MIX[bucket]),
                slots=slots,
            )
        )


_THEMES = {t.slug: t for t in content.THEMES}
_HELD = [d for d in content.DIALOGUES if d.phase in ("celebration", "realisation")]
_FUTURE = [d for d in content.DIALOGUES if d not in _HELD]


def _at_dialogues(
    drafts: _Drafts, people: list[PersonPlan], attendees: dict[str, list[int]]
) -> None:
    """Post-its and flip charts of the dialogues already held, in proportion to attendance."""
    rng = drafts.rng
    held_attendance = sum(d.attendance for d in _HELD)
    quotas = [round(IN_PERSON_IDEAS * d.attendance / held_attendance) for d in _HELD]
    quotas[-1] += IN_PERSON_IDEAS - sum(quotas)
    for d, quota in zip(_HELD, quotas, strict=True):
        day = dt.date.fromisoformat(d.date)
        for _n in range(quota):
            # Most ideas follow the dialogue's topics; some tables wander off.
            slug_t = rng.choice(d.topics) if rng.random() < 0.8 else rng.choice(list(_THEMES))
            author = rng.choice(attendees[d.slug]) if rng.random() < 0.9 else None
            created = at(day, rng, 10, 14)
            drafts.add(
                _THEMES[slug_t],
                Channel.IN_PERSON,
                people[author].region if author is not None else d.region,
                d.slug,
                author,
                created,
                _dialogue_bucket(d.phase),
            )


def _before_dialogues(
    drafts: _Drafts, people: list[PersonPlan], attendees: dict[str, list[int]]
) -> None:
    """Ideas sent by chat or web by people who will attend a coming dialogue."""
    rng = drafts.rng
    for n in range(PRE_DIALOGUE_IDEAS):
        d = _FUTURE[n % len(_FUTURE)]
        author = rng.choice(attendees[d.slug])
        created = at(DEMO_TODAY - dt.timedelta(days=rng.randint(1, 65)), rng)
        channel = weighted(rng, {Channel.WEB: 40, Channel.TELEGRAM: 30, Channel.WHATSAPP: 30})
        theme = _THEMES[rng.choice(d.topics)]
        drafts.add(theme, channel, people[author].region, d.slug, author, created, "new")


def _online(drafts: _Drafts, people: list[PersonPlan]) -> None:
    """Ideas sent online outside any dialogue, spread over the whole period."""
    rng = drafts.rng
    online = TOTAL_IDEAS - IN_PERSON_IDEAS - PRE_DIALOGUE_IDEAS - DUPLICATES
    first_day = dt.date(2025, 4, 15)
    span = (DEMO_TODAY - first_day).days
    for _n in range(online):
        author = rng.randrange(len(people))
        day = first_day + dt.timedelta(days=rng.randrange(span))
        channel = weighted(rng, {Channel.WEB: 45, Channel.TELEGRAM: 30, Channel.WHATSAPP: 25})
        drafts.add(
            rng.choice(content.THEMES),
            channel,
            people[author].region,
            None,
            author,
            at(day, rng),
            _bucket_for_date(day),
        )


def _duplicates(drafts: _Drafts, people: list[PersonPlan]) -> None:
    """Near-duplicates arrive after their original, mostly by chat, and wait for moderation."""
    rng, ideas = drafts.rng, drafts.ideas
    originals = rng.sample(range(len(ideas)), DUPLICATES)
    for orig in originals:
        source = ideas[orig]
        title, body = prose.near_duplicate(rng, source)
        created = source.created_at + dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 9))
        created = min(created, at(DEMO_TODAY, rng, 9, 12))
        channel = weighted(rng, {Channel.WEB: 30, Channel.TELEGRAM: 40, Channel.WHATSAPP: 30})
        author = rng.randrange(len(people))
        ideas.append(
            IdeaPlan(
                len(ideas),
                source.theme,
                title,
                body,
                channel,
                source.region,
                source.dialogue,
                author,
                created,
                weighted(rng, {S.RECEIVED: 45, S.IN_REVIEW: 20, S.MERGED: 35}),
                duplicate_of=orig,
                slots=source.slots,
            )
        )


def build_ideas(
    rng: random.Random, people: list[PersonPlan], region_names: dict[str, str]
) -> list[IdeaPlan]:
    attendees: dict[str, list[int]] = defaultdict(list)
    for p in people:
        if p.dialogue:
            attendees[p.dialogue].append(p.index)
    drafts = _Drafts(rng, region_names)
    _at_dialogues(drafts, people, attendees)
    _before_dialogues(drafts, people, attendees)
    _online(drafts, people)
    _duplicates(drafts, people)
    assert len(drafts.ideas) == TOTAL_IDEAS
    return drafts.ideas


def assign_supports(rng: random.Random, people: list[PersonPlan], ideas: list[IdeaPlan]) -> None:
    """Zipf-like support counts: popular ideas gather most of them, as in the report (the 40
    most supported ideas held about 30 % of the votes)."""
    score = [rng.random() ** (1 / SUPPORT_WEIGHT[i.status]) for i in ideas]
    ranked = sorted(range(len(ideas)), key=lambda i: -score[i])
    weights = [1 / (r + ZIPF_K) ** ZIPF_S for r in range(1, len(ideas) + 1)]
    scale = TARGET_SUPPORTS / sum(weights)
    by_region: dict[str, list[int]] = defaultdict(list)
    for p in people:
        by_region[p.region].append(p.index)
    everyone = [p.index for p in people]
    for rank, idx in enumerate(ranked):
        idea = ideas[idx]
        count = min(int(scale * weights[rank] + rng.random()), len(people) - 1)
        local = [i for i in by_region[idea.region] if i != idea.author]
        chosen = rng.sample(local, min(len(local), round(count * 0.7)))
        taken = set(chosen) | {idea.author}
        others = [i for i in everyone if i not in taken]
        chosen += rng.sample(others, count - len(chosen))
        idea.supporters = sorted(chosen)
