"""Issue 18 item 16, on the results and dialogues pages: big figures carry Chile's thousands
separator («1.820», «6.036») as the home page's do, not «1820» beside the report's «1.820»."""

from __future__ import annotations

import dataclasses

import pytest

from forum.dialogues import selectors as dialogue_selectors
from forum.insights import cache
from forum.insights import selectors as insight_selectors

pytestmark = pytest.mark.django_db


def test_the_results_page_writes_big_figures_with_separators(client, forum_site, monkeypatch):
    real = insight_selectors.headline

    def big(scope):
        return dataclasses.replace(real(scope), ideas=1820, supports=6036, people=1414)

    monkeypatch.setattr(insight_selectors, "headline", big)
    cache.bump()
    page = client.get("/resultados/").content.decode()
    for figure in ("1.820", "6.036", "1.414"):
        assert f'<span class="stat-number">{figure}</span>' in page
    client.cookies["django_language"] = "en"
    cache.bump()
    assert '<span class="stat-number">1,820</span>' in client.get("/resultados/").content.decode()


def test_the_dialogues_page_writes_big_figures_with_separators(client, monkeypatch):
    real = dialogue_selectors.dialogues_totals

    def big():
        return dataclasses.replace(real(), people=1414, ideas=1820, organisations=313)

    monkeypatch.setattr(dialogue_selectors, "dialogues_totals", big)
    page = client.get("/dialogos/").content.decode()
    assert '<span class="stat-number">1.414</span>' in page
    assert '<span class="stat-number">1.820</span>' in page
