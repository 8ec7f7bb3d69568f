"""The number of queries behind each figure and each download does not grow with the rows:
every aggregate is computed in the database, every file streamed from one query."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.insights import cache, opendata, selectors, success
from forum.insights.selectors import Scope
from forum.moderation import services as moderation
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from tests import factories
from tests.moderation.moderation_helpers import moderator, secretary

pytestmark = pytest.mark.django_db


def _figures(site) -> dict[str, int]:
    """Queries per computed figure and per file (cache emptied first)."""
    scopes = {
        "all": selectors.OVERALL,
        "region": Scope(region=site["ideas"][0].region),
        "council": Scope(council=site["a"]),
    }
    counts = {}
    for label, scope in scopes.items():
        for name in ("headline", "accountability", "funnel", "trend", "breakdowns", "word_cloud"):
            cache.bump()
            with CaptureQueriesContext(connection) as queries:
                getattr(selectors, name)(scope)
            counts[f"{label}:{name}"] = len(queries)
        cache.bump()
        with CaptureQueriesContext(connection) as queries:
            success.success_metric(scope)
        counts[f"{label}:success"] = len(queries)
    for resource in opendata.RESOURCES:
        for fmt, chunks in (("csv", opendata.csv_chunks), ("json", opendata.json_chunks)):
            cache.bump()
            with CaptureQueriesContext(connection) as queries:
                text = "".join(chunks(resource))
            assert text
            counts[f"{resource.name}.{fmt}"] = len(queries)
    return counts


def _more_rows(site, n: int) -> None:
    """``n`` more ideas in council A's region: supported, routed, half of them answered."""
    mod, sec = moderator("mod-budget"), secretary(site["a"], "sec-budget")
    people = [factories.person() for _ in range(3)]
    for i in range(n):
        idea = factories.idea(
            author=people[i % 3], title=f"Más talleres de oficios en la comuna {i}",
            region=site["ideas"][0].region,
        )  # fmt: skip
        for person in people:
            if person != idea.author:
                services.support_add(idea=idea, person=person)
        moderation.idea_route_cluster(idea=idea, council=site["a"], actor=mod)
        if i % 2:
            moderation.council_answer(
                idea=idea, outcome=IdeaStatus.ANSWERED_ACCEPTED, answer="Sí.", actor=sec
            )


def test_queries_do_not_grow_with_rows(forum_site):
    before = _figures(forum_site)
    _more_rows(forum_site, 12)
    after = _figures(forum_site)
    assert after == before
    # The accountability table is one aggregation (and the councils' names), whatever the rows.
    assert before["all:accountability"] <= 3
