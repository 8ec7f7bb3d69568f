"""Propose whom to invite: quotas by category, filled by a fixed order of priorities.

For each category (in :data:`CATEGORIES` order) its quota is filled one seat at a time. A seat
goes to the first remaining candidate by, in this order:

1. not fatigued: convened fewer than ``fatigue_cap`` times in the last 12 months (a fatigued
   organisation only gets a seat nobody else in its category can fill);
2. for self-employment, a value chain the region prioritises (when the region names any);
3. rotation: never convened first, then the longest since its last convocation (by month);
4. fewer convocations in the last 12 months;
5. what the list still lacks: a territory, a group at risk of exclusion, a value chain not yet
   on it (territorial spread and representation);
6. name, then id: only so that ties always break the same way.

An organisation holds at most one seat. The same candidates (in any order) and target give the
same list. A quota that cannot be filled is reported as a :class:`Shortfall` with its cause.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

EMPLOYERS = "employers"
SELF_EMPLOYMENT = "self_employment"
EXCLUSION_GROUPS = "exclusion_groups"
TRAINING_PROVIDERS = "training_providers"
PUBLIC_SECTOR = "public_sector"

# The four actor categories of the report, then the public sector (participation.ActorCategory).
CATEGORIES: tuple[str, ...] = (
    EMPLOYERS,
    SELF_EMPLOYMENT,
    EXCLUSION_GROUPS,
    TRAINING_PROVIDERS,
    PUBLIC_SECTOR,
)
# Equal shares for the four categories, half a share for the public sector.
DEFAULT_SHARES: Mapping[str, int] = {
    EMPLOYERS: 2,
    SELF_EMPLOYMENT: 2,
    EXCLUSION_GROUPS: 2,
    TRAINING_PROVIDERS: 2,
    PUBLIC_SECTOR: 1,
}
# Convocations in the last 12 months from which an organisation counts as fatigued.
DEFAULT_FATIGUE_CAP = 4


@dataclass(frozen=True)
class Candidate:
    """An organisation that may be invited, with its convocation history already summarised."""

    id: int
    name: str
    category: str
    territory: str = ""  # commune or province, for the spread within the region
    value_chain: str = ""
    at_risk_group: str = ""  # "" when it does not represent a group at risk of exclusion
    last_convened: dt.date | None = None
    convened_12m: int = 0


@dataclass(frozen=True)
class Target:
    size: int
    shares: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_SHARES))
    fatigue_cap: int = DEFAULT_FATIGUE_CAP
    priority_chains: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Reason:
    """Why one organisation got its seat: the facts the sentence is made of."""

    since: str  # "YYYY-MM" of the last convocation; "" for never convened
    convened_12m: int
    fatigued: bool = False  # over the cap: nobody else could fill the seat
    priority_chain: str = ""
    at_risk_group: str = ""  # a group the list did not represent yet
    territory: str = ""  # a territory the list did not cover yet

    def sentence(self) -> str:
        """The reason in Spanish (the site renders its own, translated, from the same facts)."""
        parts = [
            f"rota: no convocada desde {self.since}" if self.since else "rota: nunca convocada"
        ]
        if self.fatigued:
            parts.append(
                f"{self.convened_12m} convocatorias en 12 meses, sobre el tope: "
                "nadie más podía ocupar el cupo"
            )
        elif self.convened_12m:
            parts.append(f"{self.convened_12m} convocatoria(s) en 12 meses")
        if self.priority_chain:
            parts.append(f"cadena prioritaria: {self.priority_chain}")
        if self.at_risk_group:
            parts.append(f"representa a: {self.at_risk_group}")
        if self.territory:
            parts.append(f"suma el territorio: {self.territory}")
        return "; ".join(parts)


@dataclass(frozen=True)
class Pick:
    candidate: Candidate
    category: str
    reason: Reason


@dataclass(frozen=True)
class Shortfall:
    """A quota left partly empty: ``missing`` seats, with ``available`` candidates in total."""

    category: str
    missing: int
    available: int

    def sentence(self) -> str:
        if self.available == 0:
            return f"{self.category}: no hay organizaciones disponibles de esta categoría"
        return (
            f"{self.category}: faltan {self.missing} cupos; solo hay {self.available} "
            "organizaciones disponibles de esta categoría"
        )


@dataclass(frozen=True)
class Proposal:
    picks: tuple[Pick, ...]
    shortfalls: tuple[Shortfall, ...]
    quotas: Mapping[str, int]

    @property
    def complete(self) -> bool:
        return not self.shortfalls


def _category_order(categories: Iterable[str]) -> list[str]:
    known = [c for c in CATEGORIES if c in categories]
    return known + sorted(set(categories) - set(CATEGORIES))


def quotas(size: int, shares: Mapping[str, int]) -> dict[str, int]:
    """Seats per category: ``size`` split by ``shares`` (largest remainders; ties go to the
    category first in :data:`CATEGORIES`)."""
    if size < 0:
        raise ValueError("size must not be negative")
    if any(w < 0 for w in shares.values()):
        raise ValueError("shares must not be negative")
    total = sum(shares.values())
    order = _category_order(shares)
    if size == 0:
        return dict.fromkeys(order, 0)
    if total == 0:
        raise ValueError("at least one share must be positive")
    exact = {c: size * shares[c] for c in order}  # in units of 1/total
    seats = {c: exact[c] // total for c in order}
    left = size - sum(seats.values())
    by_remainder = sorted(order, key=lambda c: (-(exact[c] % total), order.index(c)))
    for c in by_remainder[:left]:
        seats[c] += 1
    return seats


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _month(day: dt.date | None) -> str:
    return "" if day is None else f"{day.year:04d}-{day.month:02d}"


def _static_key(c: Candidate, target: Target) -> tuple:
    fatigued = c.convened_12m >= target.fatigue_cap
    off_chain = (
        c.category == SELF_EMPLOYMENT
        and bool(target.priority_chains)
        and c.value_chain not in target.priority_chains
    )
    since = _month(c.last_convened)
    # Never convened ("") before any month; older months before newer ones.
    return (fatigued, off_chain, since != "", since, c.convened_12m)


class _Coverage:
    """What the list already has: territories, groups at risk, value chains."""

    def __init__(self) -> None:
        self.territories: set[str] = set()
        self.groups: set[str] = set()
        self.chains: set[str] = set()

    def lacks(self, c: Candidate) -> tuple[bool, bool, bool]:
        return (
            bool(c.territory) and c.territory not in self.territories,
            bool(c.at_risk_group) and c.at_risk_group not in self.groups,
            bool(c.value_chain) and c.value_chain not in self.chains,
        )

    def add(self, c: Candidate) -> None:
        if c.territory:
            self.territories.add(c.territory)
        if c.at_risk_group:
            self.groups.add(c.at_risk_group)
        if c.value_chain:
            self.chains.add(c.value_chain)


def propose(
    candidates: Iterable[Candidate],
    target: Target,
    *,
    exclude: Iterable[int] = (),
    already: Iterable[Candidate] = (),
) -> Proposal:
    """The list for ``target``: picks by category, and a shortfall for each quota it could not
    fill. ``exclude``: ids that must not be picked (swapped out, declined); ``already``: seats
    already on the list (not picked again; the spread counts them), e.g. when replacing one."""
    seats = quotas(target.size, target.shares)
    coverage = _Coverage()
    excluded = set(exclude)
    for c in already:
        coverage.add(c)
        excluded.add(c.id)
    # One seat per organisation: an id listed twice keeps its first-ranked entry (and its
    # category; the first in CATEGORIES order on a tie).
    best: dict[int, tuple[tuple, Candidate]] = {}
    order = {c: n for n, c in enumerate(_category_order(seats))}
    for c in candidates:
        if c.category not in seats or c.id in excluded:
            continue
        key = (_full_key(c, target), order[c.category])
        held = best.get(c.id)
        if held is None or key < held[0]:
            best[c.id] = (key, c)
    pools: dict[str, list[tuple[tuple, Candidate]]] = {c: [] for c in seats}
    for key, c in best.values():
        pools[c.category].append((key, c))
    picks: list[Pick] = []
    shortfalls: list[Shortfall] = []
    for category in _category_order(seats):
        ranked = sorted(pools[category], key=lambda kc: kc[0])
        taken = _fill(ranked, seats[category], target, coverage, category, picks)
        if taken < seats[category]:
            shortfalls.append(Shortfall(category, seats[category] - taken, len(ranked)))
    return Proposal(tuple(picks), tuple(shortfalls), seats)


def _full_key(c: Candidate, target: Target) -> tuple:
    return (*_static_key(c, target), _fold(c.name), c.name, c.id)


def _fill(
    ranked: list[tuple[tuple, Candidate]],
    quota: int,
    target: Target,
    coverage: _Coverage,
    category: str,
    picks: list[Pick],
) -> int:
    # The priorities before the spread: the first five parts of the full key.
    keys = [key[0][:5] for key, _c in ranked]
    used = [False] * len(ranked)
    start = 0
    taken = 0
    while taken < quota:
        while start < len(ranked) and used[start]:
            start += 1
        if start >= len(ranked):
            break
        head = keys[start]
        best, best_lacks = start, 0
        # Among candidates equal on the priorities above, prefer one that adds what the list
        # lacks (more of territory, group, chain); stop at the first that adds all three.
        i = start
        while i < len(ranked) and keys[i] == head:
            if not used[i]:
                lacks = coverage.lacks(ranked[i][1])
                score = lacks[0] * 4 + lacks[1] * 2 + lacks[2]
                if score > best_lacks:
                    best, best_lacks = i, score
                    if score == 7:
                        break
            i += 1
        chosen = ranked[best][1]
        used[best] = True
        lacks = coverage.lacks(chosen)
        coverage.add(chosen)
        picks.append(Pick(chosen, category, _reason(chosen, target, lacks)))
        taken += 1
    return taken


def _reason(c: Candidate, target: Target, lacks: tuple[bool, bool, bool]) -> Reason:
    return Reason(
        since=_month(c.last_convened),
        convened_12m=c.convened_12m,
        fatigued=c.convened_12m >= target.fatigue_cap,
        priority_chain=c.value_chain if c.value_chain in target.priority_chains else "",
        at_risk_group=c.at_risk_group if lacks[1] else "",
        territory=c.territory if lacks[0] else "",
    )
