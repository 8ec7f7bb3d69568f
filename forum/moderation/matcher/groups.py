"""Proposed duplicate groups, built one idea at a time (no all-pairs pass).

A group is a *star*: every member scored at least the clustering threshold against the group's
canonical idea when it joined. Union-find over pairs (``DuplicateIndex.clusters``) chains
neighbours of neighbours: on the 100,000-idea benchmark corpus it returns one "cluster" of
1,148 ideas that no moderator could review. Here an arriving idea looks at its best matches
(one index query) and

1. joins the group of the first match whose group's canonical idea it is close to, unless the
   group is full (``MAX_GROUP_SIZE``) or a moderator said it differs from one of its members;
2. otherwise starts a group with the first match that is in no group;
3. otherwise stays alone.

Pure Python: the database-backed service (``moderation.services.groups``) and the benchmark
(``benchmarks/bench_groups.py``) call :func:`place` with their own lookups.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from .index import DEFAULT_THRESHOLD, DuplicateIndex, Match
from .normalize import strip_accents, strip_html

# Largest group a moderator is asked to review at once; a fuller group takes no new members
# (the next duplicate starts a group of its own with another idea).
MAX_GROUP_SIZE = 30
# How many matches an arriving idea looks at.
PLACE_LIMIT = 8


@dataclass(frozen=True, slots=True)
class Placement:
    """Where an idea goes: into ``group`` (whose canonical is ``partner``) or, when ``group``
    is None, into a new group with ``partner``; ``score`` against that canonical/partner."""

    group: Any | None
    partner: str
    score: float


def place(
    matches: Sequence[Match],
    *,
    group_of: Callable[[str], Any | None],
    canonical_of: Callable[[Any], str],
    size_of: Callable[[Any], int],
    score_to: Callable[[str], float],
    refused: Callable[[Any | None, str], bool],
    threshold: float = DEFAULT_THRESHOLD,
    max_size: int = MAX_GROUP_SIZE,
) -> Placement | None:
    """The rule above. ``matches``: the idea's best matches, best first, at the threshold.
    ``score_to(key)``: the idea's score against an indexed idea. ``refused(group, key)``: True
    when the idea may not join ``group`` (or, group None, pair with ``key``)."""
    tried: set = set()
    for m in matches:
        if m.score < threshold:
            continue
        group = group_of(m.key)
        if group is None:
            if not refused(None, m.key):
                return Placement(None, m.key, m.score)
            continue
        if group in tried:
            continue
        tried.add(group)
        if size_of(group) >= max_size or refused(group, m.key):
            continue
        canonical = canonical_of(group)
        score = m.score if canonical == m.key else score_to(canonical)
        if score >= threshold:
            return Placement(group, canonical, score)
    return None


_WORD = re.compile(r"\w+")


def _plain_words(text: str) -> str:
    return " ".join(_WORD.findall(strip_accents(strip_html(text).casefold())))


def identity_key(title: str, body: str = "") -> str:
    """What "the same text" means for merging on arrival: lower case, no accents, no HTML, no
    punctuation or spacing differences. Nothing else is folded (no stemming, no stop words:
    «no a la tala» and «a la tala» stay different). A chat message is stored with its first
    sentence as title and the whole message as body: a body that starts with the title is
    the whole text."""
    t, b = _plain_words(title), _plain_words(body)
    if b == t or b.startswith(t + " "):
        return b
    return f"{t} {b}".strip()


@dataclass
class Groups:
    """In-memory groups over a :class:`DuplicateIndex`, for the benchmark and for checks."""

    index: DuplicateIndex
    threshold: float = DEFAULT_THRESHOLD
    max_size: int = MAX_GROUP_SIZE
    group_of: dict[str, int] = field(default_factory=dict)
    members: dict[int, list[str]] = field(default_factory=dict)
    _next: int = 0

    def add(self, key: str, title: str, body: str = "") -> Placement | None:
        """Place an idea (already added to the index, or not) and record where it went."""
        matches: list[Match] = [
            m
            for m in self.index.query(title, body, limit=PLACE_LIMIT + 1, min_score=self.threshold)
            if m.key != key
        ]
        where = place(
            matches,
            group_of=self.group_of.get,
            canonical_of=lambda g: self.members[g][0],
            size_of=lambda g: len(self.members[g]),
            score_to=lambda k: self.index.score_to(title, body, k),
            refused=lambda g, k: False,
            threshold=self.threshold,
            max_size=self.max_size,
        )
        if where is None:
            return None
        if where.group is None:
            gid = self._next
            self._next += 1
            self.members[gid] = [where.partner, key]
            self.group_of[where.partner] = gid
        else:
            gid = where.group
            self.members[gid].append(key)
        self.group_of[key] = gid
        return where

    def sizes(self) -> list[int]:
        return sorted((len(m) for m in self.members.values()), reverse=True)
