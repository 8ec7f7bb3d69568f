"""The results' figures against the hand-computed forum of conftest.forum_site."""

from __future__ import annotations

import math

import pytest
from django.utils import timezone

from forum.insights import selectors, success
from forum.insights.selectors import Scope
from forum.insights.words import top_words
from forum.participation import services

pytestmark = pytest.mark.django_db


def test_headline(forum_site):
    head = selectors.headline()
    assert (head.ideas, head.supports, head.people) == (5, 3, 3)
    assert head.top40_support_share == 1.0
    assert head.method_rating_share is None  # no dialogue has survey answers: "no data", not 0 %


def test_accountability_per_council(forum_site):
    acc = selectors.accountability()
    rows = {r["slug"]: r for r in acc["councils"]}
    a, b = rows[forum_site["a"].slug], rows[forum_site["b"].slug]
    # A: routed 1, 2, 3; answered after 10 and 30 days (median 20, p90 10 + 0.9 x 20 = 28).
    assert (a["routed"], a["answered"], a["overdue_now"], a["answered_late"]) == (3, 2, 1, 1)
    assert a["share_answered"] == pytest.approx(0.6667)
    assert (a["median_days"], a["p90_days"]) == (20.0, 28.0)
    assert (b["routed"], b["answered"], b["median_days"], b["p90_days"]) == (1, 1, 20.0, 20.0)
    # Ranked by share answered: B (100 %) before A (67 %); councils with nothing routed last.
    assert [r["slug"] for r in acc["councils"][:2]] == [forum_site["b"].slug, forum_site["a"].slug]
    total = acc["total"]
    # Days 10, 20, 30: median 20, p90 20 + 0.8 x 10 = 28.
    assert (total["routed"], total["answered"], total["median_days"], total["p90_days"]) == (
        4, 3, 20.0, 28.0,
    )  # fmt: skip


def test_funnel_trend_and_breakdowns(forum_site):
    funnel = selectors.funnel()
    assert [s["ideas"] for s in funnel["stages"]] == [5, 4, 4, 3, 0]
    counts = {s["status"]: s["ideas"] for s in funnel["by_status"]}
    assert counts["received"] == 1
    assert counts["answered_partly"] == 1
    assert counts["merged"] == 0
    this_month = timezone.localdate().strftime("%Y-%m")
    assert selectors.trend() == [
        {"month": "2025-12", "ideas": 1, "answers": 0},
        {"month": "2026-01", "ideas": 0, "answers": 3},
        {"month": this_month, "ideas": 4, "answers": 0},
    ]
    parts = selectors.breakdowns()
    cats = {c["category"]: c for c in parts["categories"]}
    assert (cats["employers"]["people"], cats["public_sector"]["people"]) == (2, 1)
    assert (cats["employers"]["ideas"], cats["public_sector"]["ideas"]) == (5, 0)
    channels = {c["channel"]: c for c in parts["channels"]}
    assert (channels["web"]["ideas"], channels["telegram"]["ideas"]) == (4, 1)
    assert channels["web"]["supports"] == 3
    regions = {r["region"]: r for r in parts["regions"]}
    assert regions["biobio"]["ideas"] == 4
    assert regions["biobio"]["ideas_per_100k"] == round(4 * 100_000 / 1_613_059, 2)
    assert regions["biobio"]["share_answered"] == 0.75
    assert regions["arica-y-parinacota"]["share_answered"] is None


def test_words_leave_out_stop_words_and_hidden_ideas(forum_site):
    words = dict(selectors.word_cloud())
    assert words["cursos"] == 4
    assert words["soldadura"] == 2
    assert "de" not in words
    assert "más" not in words
    assert "ocultos" not in words


def test_success_metric(forum_site):
    metric = success.success_metric()
    assert metric.answer_coverage == 0.75
    assert metric.median_days_to_answer == 20.0
    assert metric.repeat_participation == pytest.approx(1 / 3)  # p1: December and this month
    expected = -(2 / 3 * math.log(2 / 3) + 1 / 3 * math.log(1 / 3)) / math.log(5)
    assert metric.category_balance == pytest.approx(expected)
    assert metric.method_rating is None


def test_scopes(forum_site):
    council = Scope(council=forum_site["a"])
    assert selectors.headline(council).ideas == 3
    assert [r["slug"] for r in selectors.accountability(council)["councils"]] == [
        forum_site["a"].slug
    ]
    region = Scope(region=forum_site["ideas"][4].region)
    head = selectors.headline(region)
    assert (head.ideas, head.people) == (1, 1)


def test_cached_figures_change_when_a_service_changes_them(
    forum_site, django_capture_on_commit_callbacks
):
    assert selectors.headline().supports == 3
    idea = forum_site["ideas"][4]
    with django_capture_on_commit_callbacks(execute=True):
        services.support_add(idea=idea, person=forum_site["people"][0])
    assert selectors.headline().supports == 4
    with django_capture_on_commit_callbacks(execute=True):
        services.idea_transition(idea=idea, to_status="in_review", actor=None)
    assert [s["ideas"] for s in selectors.funnel()["stages"]][1] == 5


def test_a_rolled_back_change_keeps_the_cache(forum_site):
    first = selectors.headline()
    services.support_add(idea=forum_site["ideas"][4], person=forum_site["people"][0])
    # No commit in this test's transaction: the on-commit bump has not run.
    assert selectors.headline() == first


def test_word_counting_leaves_out_transcription_notes():
    texts = [
        "Papelógrafo mesa 2. Más cursos de soldadura (transcrito por el equipo facilitador)",
        "Cursos nocturnos para quienes trabajan",
        "(Transcritas por Rosa, papelógrafo mesa 9) Contrapapelógrafo mesa 3 Papelografo, mesa 4",
    ]
    counted = dict(top_words(texts))
    assert counted["cursos"] == 2
    assert counted["contrapapelógrafo"] == 1  # only a whole word «papelógrafo» starts a note
    assert counted["mesa"] == 1  # ...so its «mesa 3» stays
    assert "rosa" not in counted
    assert "papelografo" not in counted
    assert "papelógrafo" not in counted
    assert "transcrito" not in counted
    assert "facilitador" not in counted


def test_a_scope_with_nothing_routed_has_zeros_not_blanks(forum_site):
    empty = Scope(region=forum_site["ideas"][4].region)  # idea 5 only: received, not routed
    total = selectors.accountability(empty)["total"]
    assert (total["routed"], total["answered"], total["overdue_now"], total["answered_late"]) == (
        0, 0, 0, 0,
    )  # fmt: skip
    assert (total["median_days"], total["p90_days"], total["share_answered"]) == (None, None, 0.0)
