"""The model's success metric (the report's «Agenda corta»): five figures, each with its
definition on /resultados/metrica/ and in docs/insights.md."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.db import connection
from django.db.models.functions import TruncMonth

from forum.participation.models import Support

from . import sources
from .selectors import OVERALL, Scope, _cached, accountability, breakdowns


@dataclass(frozen=True)
class SuccessMetric:
    answer_coverage: float | None
    median_days_to_answer: float | None
    repeat_participation: float | None
    category_balance: float | None
    method_rating: float | None


def _repeat_participation(scope: Scope) -> float | None:
    """Share of participants with ideas or supports in two or more calendar months: the
    distinct (person, month) pairs of both, counted per person inside the database (at 100,000
    ideas and 400,000 supports, moving the pairs into Python took seconds)."""
    ideas = scope.ideas()
    authored = (
        ideas.exclude(author=None)
        .annotate(m=TruncMonth("created_at"))
        .values_list("author_id", "m")
        .order_by()
    )
    supported = (
        Support.objects.filter(idea__in=ideas.values("pk"))
        .annotate(m=TruncMonth("created_at"))
        .values_list("person_id", "m")
        .order_by()
    )
    pairs_sql, params = authored.union(supported).query.sql_with_params()
    with connection.cursor() as cursor:
        # The union drops repeated pairs; its first column is named after the ideas' author_id.
        # pairs_sql is Django's own SQL for the querysets above; every value goes in params.
        count_sql = (
            "SELECT COALESCE(SUM(CASE WHEN n >= 2 THEN 1 ELSE 0 END), 0), COUNT(*) FROM "  # noqa: S608
            f"(SELECT author_id, COUNT(*) AS n FROM ({pairs_sql}) pairs GROUP BY author_id) people"
        )
        cursor.execute(
            count_sql,
            params,
        )
        repeat, people = cursor.fetchone()
    return repeat / people if people else None


def balance(counts: list[int]) -> float | None:
    """Normalised Shannon entropy of the counts: 1 when every category has the same share,
    0 when one category has everyone. None without anyone."""
    total = sum(counts)
    if not total or len(counts) < 2:
        return None
    entropy = -sum((c / total) * math.log(c / total) for c in counts if c)
    return entropy / math.log(len(counts))


def _success(scope: Scope) -> SuccessMetric:
    total = accountability(scope)["total"]
    cats = breakdowns(scope)["categories"]
    return SuccessMetric(
        answer_coverage=total["share_answered"] if total["routed"] else None,
        median_days_to_answer=total["median_days"],
        repeat_participation=_repeat_participation(scope),
        category_balance=balance([c["people"] for c in cats if c["category"]]),
        method_rating=sources.method_rating_share(scope),
    )


def success_metric(scope: Scope = OVERALL) -> SuccessMetric:
    """The model's success metric (definitions on the page and in docs/insights.md)."""
    return _cached(scope, "success", lambda: _success(scope))
