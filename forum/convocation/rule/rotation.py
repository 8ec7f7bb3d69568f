"""The national council's rotation: its seats by category come from the regional councils in
turn, so that over one cycle every region holds every category's seat.

Term ``t``, category ``k``, seat ``j`` goes to region ``(t * seats + j + k * stagger) mod R``
(regions in their north-south order): each category walks the regions in order, ``seats`` at a
time, and the categories start at staggered regions so one region does not hold every category
in the same term. A cycle is ``ceil(R / seats)`` terms.
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def cycle_length(regions: int, seats_per_category: int) -> int:
    if regions <= 0 or seats_per_category <= 0:
        return 0
    return math.ceil(regions / seats_per_category)


def national_rotation(
    regions: Sequence[str],
    categories: Sequence[str],
    seats_per_category: int,
    terms: int | None = None,
) -> list[dict[str, tuple[str, ...]]]:
    """For each term (a whole cycle unless ``terms`` is given): the regions holding each
    category's seats. Raises ``ValueError`` when there are more seats than regions."""
    count = len(regions)
    if seats_per_category > count:
        raise ValueError("more seats per category than regions")
    if terms is None:
        terms = cycle_length(count, seats_per_category)
    if count == 0 or not categories:
        return [dict.fromkeys(categories, ()) for _ in range(terms)]
    stagger = max(1, count // len(categories))
    schedule = []
    for t in range(terms):
        term = {}
        for k, category in enumerate(categories):
            term[category] = tuple(
                regions[(t * seats_per_category + j + k * stagger) % count]
                for j in range(seats_per_category)
            )
        schedule.append(term)
    return schedule
