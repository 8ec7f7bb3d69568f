"""Seating people at the session's tables («mesas»): pure Python, no Django.

The report calls the set-up of the tables critical to the quality of the conversation: each table
should mix the actor categories, and no table should fill up with one organisation. The rule
(deterministic, so a re-run with the same people gives the same tables):

1. The number of tables is ``ceil(n / table_size)``; sizes differ by at most one.
2. People are grouped by actor category; categories are taken largest first (ties by name), and
   inside a category people are ordered by organisation (largest organisation first) then by id,
   so colleagues are spread before strangers.
3. Going through that list, each person sits at the table that, in order: has a free seat; has
   the fewest people of that person's organisation; has the fewest of that person's category; has
   the fewest people; has the lowest number.

That is a greedy round-robin: categories spread evenly across tables, and an organisation's
people land at different tables as long as there are tables enough.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

DEFAULT_TABLE_SIZE = 8


@dataclass(frozen=True)
class Guest:
    """Who is seated: a person's id, the organisation (id or None) and the actor category."""

    person_id: int
    organisation_id: int | None
    category: str


@dataclass
class _Table:
    capacity: int
    guests: list[Guest] = field(default_factory=list)
    by_org: Counter = field(default_factory=Counter)
    by_category: Counter = field(default_factory=Counter)


def seat(guests: Sequence[Guest], *, table_size: int = DEFAULT_TABLE_SIZE) -> list[list[Guest]]:
    """Tables (lists of guests, table 1 first) following the rule in this module's docstring."""
    if table_size < 1:
        raise ValueError("table_size must be at least 1")
    unique = {g.person_id: g for g in guests}
    people = sorted(unique.values(), key=lambda g: g.person_id)
    if not people:
        return []
    count = math.ceil(len(people) / table_size)
    base, extra = divmod(len(people), count)
    tables = [_Table(capacity=base + (1 if i < extra else 0)) for i in range(count)]

    category_size = Counter(g.category for g in people)
    org_size = Counter(g.organisation_id for g in people if g.organisation_id is not None)

    def order(g: Guest) -> tuple:
        org = org_size[g.organisation_id] if g.organisation_id is not None else 0
        return (-category_size[g.category], g.category, -org, g.organisation_id or 0, g.person_id)

    for guest in sorted(people, key=order):
        free = [i for i, t in enumerate(tables) if len(t.guests) < t.capacity]
        best = min(
            free,
            key=lambda i: (
                tables[i].by_org[guest.organisation_id] if guest.organisation_id else 0,
                tables[i].by_category[guest.category],
                len(tables[i].guests),
                i,
            ),
        )
        table = tables[best]
        table.guests.append(guest)
        if guest.organisation_id is not None:
            table.by_org[guest.organisation_id] += 1
        table.by_category[guest.category] += 1
    return [t.guests for t in tables]
