"""The accountability figures as one aggregation per query (``GROUP BY`` the council), for
:mod:`.selectors`: at 100,000 ideas, reading the routed ideas and their status changes into
Python took seconds.

Definitions (docs/insights.md): *days to answer* run from an idea's first ``routed`` status
change to its first answer, for ideas answered now; median and 90th percentile by linear
interpolation between closest ranks (PostgreSQL's ``PERCENTILE_CONT``; on SQLite the rows
are read and :func:`percentile` computes the same thing).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate

from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import Idea

S = IdeaStatus
ANSWERED = frozenset(ANSWERS | {S.IMPLEMENTED})
PENDING = frozenset({S.ROUTED, S.ON_AGENDA})
# Routed at some point and not merged away since: what a council owes an answer for.
ROUTED = ANSWERED | PENDING
TOTAL = 0  # the key of the whole scope's row in council_figures()


def percentile(values: Iterable[float], p: float) -> float | None:
    """The p-th percentile (0..100) by linear interpolation between closest ranks."""
    ordered = sorted(values)
    if not ordered:
        return None
    rank = (len(ordered) - 1) * p / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _per_idea(ideas: QuerySet[Idea], today: dt.date) -> QuerySet[Any]:
    """One row per idea routed to a council: its council, whether it is answered, overdue now,
    answered late, and the time from its first routing to its first answer (answered ones)."""
    history = "history__created_at"
    timed = (
        ideas.filter(council__isnull=False, status__in=ROUTED)
        .annotate(
            routed_at=Min(history, filter=Q(history__to_status=S.ROUTED)),
            answered_at=Min(history, filter=Q(history__to_status__in=ANSWERS)),
        )
        .order_by()
    )
    has_days = Q(status__in=ANSWERED, routed_at__isnull=False, answered_at__isnull=False)
    span = ExpressionWrapper(F("answered_at") - F("routed_at"), output_field=DurationField())
    return timed.annotate(
        is_answered=_flag(Q(status__in=ANSWERED)),
        is_overdue=_flag(Q(status__in=PENDING, answer_due__lt=today)),
        # The answer's local date (the site's time zone) after the due date.
        is_late=_flag(has_days & Q(answer_due__lt=TruncDate("answered_at"))),
        span=Case(When(has_days, then=span), default=None, output_field=DurationField()),
    ).values_list("council_id", "is_answered", "is_overdue", "is_late", "span")


# Per council and for all of them (GROUPING SETS): the sums of the flags and the percentiles.
SUMS_SQL = """
SELECT council_id, COUNT(*), COALESCE(SUM(is_answered), 0), COALESCE(SUM(is_overdue), 0),
       COALESCE(SUM(is_late), 0),
       PERCENTILE_CONT(0.5) WITHIN GROUP (ORDER BY days),
       PERCENTILE_CONT(0.9) WITHIN GROUP (ORDER BY days)
FROM (SELECT t.*, EXTRACT(EPOCH FROM t.span)::float8 / 86400 AS days
      FROM (%s) AS t(council_id, is_answered, is_overdue, is_late, span)) AS d
GROUP BY GROUPING SETS ((council_id), ())
"""
KEYS = ("routed", "answered", "overdue_now", "answered_late", "median_days", "p90_days")


def council_figures(ideas: QuerySet[Idea], today: dt.date) -> dict[int, dict[str, Any]]:
    """Per council id (and ``TOTAL`` for all of them): routed, answered, overdue_now,
    answered_late, median_days, p90_days of ``ideas``, in one query on PostgreSQL."""
    per_idea = _per_idea(ideas, today)
    if connection.vendor == "postgresql":
        inner, params = per_idea.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(SUMS_SQL % inner, params)  # Django's SQL; values are parameters
            rows = {
                council_id or TOTAL: dict(zip(KEYS, values, strict=True))
                for council_id, *values in cursor.fetchall()
            }
    else:
        rows = _sums_in_python(per_idea)
    rows.setdefault(TOTAL, dict.fromkeys(KEYS, 0) | {"median_days": None, "p90_days": None})
    for row in rows.values():
        row["median_days"], row["p90_days"] = map(_round, (row["median_days"], row["p90_days"]))
    return rows


def _round(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _sums_in_python(per_idea: QuerySet[Any]) -> dict[int, dict[str, Any]]:
    """SQLite has no PERCENTILE_CONT: the same sums, read row by row."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    days: dict[int, list[float]] = defaultdict(list)
    for council_id, *flags, span in per_idea.iterator(chunk_size=5000):
        for key in (council_id, TOTAL):
            sums[key] = [a + b for a, b in zip(sums[key], [1, *flags], strict=True)]
            if span is not None:
                days[key].append(span.total_seconds() / 86400)
    return {
        key: dict(
            zip(KEYS, [*counts, percentile(days[key], 50), percentile(days[key], 90)], strict=True)
        )
        for key, counts in sums.items()
    }
