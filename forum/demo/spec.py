"""What the demo is made of: the seed report's figures, the shapes of a plan, and the small
helpers every step shares (slot filling, weighted choice, a time of day)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar
from zoneinfo import ZoneInfo

from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ActorCategory

from .content import Theme

DEFAULT_SEED = 2025
EXTERNAL_SOURCE = "demo"
PASSWORD = "demo-foro-abierto"  # noqa: S105 - published demo credentials, see README
TZ = ZoneInfo("America/Santiago")
# Histories never go past this day, so the demo is the same whenever it is loaded.
DEMO_TODAY = dt.date(2026, 11, 20)
SECRETARY_COUNCILS = ("cre-metropolitana", "cre-biobio")

TOTAL_PEOPLE = 411
TOTAL_ORGANISATIONS = 313
TOTAL_IDEAS = 1820
IN_PERSON_IDEAS = 1230
PRE_DIALOGUE_IDEAS = 130
DUPLICATES = 72
ZIPF_S, ZIPF_K, TARGET_SUPPORTS = 1.0, 10, 6000

CATEGORY_WEIGHTS = {
    ActorCategory.EMPLOYERS: 22,
    ActorCategory.SELF_EMPLOYMENT: 20,
    ActorCategory.EXCLUSION_GROUPS: 20,
    ActorCategory.TRAINING_PROVIDERS: 22,
    ActorCategory.PUBLIC_SECTOR: 16,
}

S = IdeaStatus
# Where ideas stand depends on how far their dialogue's cycle has gone.
STATUS_MIX: dict[str, dict[str, int]] = {
    "old": {
        S.RECEIVED: 2,
        S.IN_REVIEW: 5,
        S.NOT_ADMITTED: 10,
        S.ROUTED: 8,
        S.ON_AGENDA: 10,
        S.ANSWERED_ACCEPTED: 20,
        S.ANSWERED_PARTLY: 18,
        S.ANSWERED_REJECTED: 14,
        S.IMPLEMENTED: 13,
    },
    "recent": {
        S.RECEIVED: 15,
        S.IN_REVIEW: 25,
        S.NOT_ADMITTED: 8,
        S.ROUTED: 20,
        S.ON_AGENDA: 17,
        S.ANSWERED_ACCEPTED: 6,
        S.ANSWERED_PARTLY: 5,
        S.ANSWERED_REJECTED: 4,
    },
    "new": {S.RECEIVED: 55, S.IN_REVIEW: 35, S.NOT_ADMITTED: 10},
}
SUPPORT_WEIGHT: dict[str, float] = {
    S.RECEIVED: 1.0,
    S.IN_REVIEW: 1.2,
    S.NOT_ADMITTED: 0.2,
    S.ROUTED: 2.5,
    S.ON_AGENDA: 2.8,
    S.ANSWERED_ACCEPTED: 3.0,
    S.ANSWERED_PARTLY: 3.0,
    S.ANSWERED_REJECTED: 2.0,
    S.IMPLEMENTED: 3.0,
    S.MERGED: 0.1,
}


@dataclass
class PersonPlan:
    index: int
    name: str
    region: str
    category: str
    dialogue: str | None
    organisation: int = -1
    role: str = ""  # "chair" / "secretary" for SENCE staff


@dataclass
class OrganisationPlan:
    index: int
    name: str
    region: str
    category: str


@dataclass
class IdeaPlan:
    index: int
    theme: Theme
    title: str
    body: str
    channel: str
    region: str
    dialogue: str | None
    author: int | None
    created_at: dt.datetime
    status: str
    duplicate_of: int | None = None
    slots: dict[str, str] = field(default_factory=dict)
    supporters: list[int] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        return f"demo-{self.index:04d}"


@dataclass
class Plan:
    seed: int
    people: list[PersonPlan]
    organisations: list[OrganisationPlan]
    ideas: list[IdeaPlan]
    memberships: list[tuple[str, int, str]]  # (council slug, person index, role)
    participant: int  # person index behind the ``participante`` account


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, slots: dict[str, str]) -> str:
    """``template`` with the slots it names filled in; unknown ``{slots}`` stay as they are."""
    return template.format_map(_Slots(slots))


_Key = TypeVar("_Key", bound=str)


def weighted(rng: random.Random, weights: Mapping[_Key, float]) -> _Key:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def at(day: dt.date, rng: random.Random, start_hour: int = 9, end_hour: int = 21) -> dt.datetime:
    """A random minute of ``day`` between the two hours, in Chile's time zone."""
    return dt.datetime.combine(
        day, dt.time(rng.randint(start_hour, end_hour - 1), rng.randrange(60)), tzinfo=TZ
    )
