"""A server-rendered bar chart of a list's balance (SVG; no script, no inline style)."""

from __future__ import annotations

from dataclasses import dataclass

from .selectors import BalanceRow

SERIES = ("target", "invited", "confirmed", "attended")
BAR_HEIGHT = 10
GROUP_GAP = 14
LABEL_WIDTH = 0  # labels sit above each group, so the bars use the full width
WIDTH = 300


@dataclass(frozen=True)
class Bar:
    series: str
    value: int
    y: int
    width: int


@dataclass(frozen=True)
class Group:
    label: str
    y: int
    bars: tuple[Bar, ...]


def balance_chart(rows: list[BalanceRow]) -> tuple[list[Group], int, int]:
    """Groups of bars (one per category), the chart's height and width, in SVG units."""
    top = max([1, *(getattr(r, s) for r in rows for s in SERIES)])
    groups, y = [], 0
    for row in rows:
        label_y = y + 12
        y += 16
        bars = []
        for series in SERIES:
            value = getattr(row, series)
            bars.append(Bar(series, value, y, round((WIDTH - 40) * value / top)))
            y += BAR_HEIGHT + 2
        groups.append(Group(row.label, label_y, tuple(bars)))
        y += GROUP_GAP
    return groups, y, WIDTH
