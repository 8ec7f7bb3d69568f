"""Issue 18 item 8: after B is merged into A, A's public page lists B (its own words, how many
wrote and backed it, when), and A's history tells of the merge."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services
from tests import factories
from tests.moderation.moderation_helpers import moderator, support

pytestmark = pytest.mark.django_db


def _page(client, idea) -> str:
    return client.get(
        reverse("participation:idea_detail", args=[idea.formatted_code])
    ).content.decode()


def test_the_canonical_page_lists_the_merged_idea_with_its_own_words(client):
    canonical = factories.idea(title="Más cursos de soldadura en Talcahuano")
    merged = factories.idea(
        title="Soldadura para mujeres en Talcahuano",
        body="Con sala cuna, para que podamos asistir las mamás.",
    )
    support(merged, factories.person())
    support(merged, factories.person())
    services.idea_merge(canonical=canonical, merged=[merged], actor=moderator(), reason="Iguales")
    html = _page(client, canonical)
    assert "Una idea se fusionó con esta" in html
    assert "Soldadura para mujeres en Talcahuano" in html
    assert "Con sala cuna, para que podamos asistir las mamás." in html
    assert merged.formatted_code in html
    assert "2 apoyos" in html
    assert "1 autor/a" in html
    assert f"Se le fusionó la idea {merged.formatted_code}, con sus apoyos." in html


def test_an_undone_merge_leaves_the_list_and_is_told_in_the_history(client):
    canonical = factories.idea()
    merged = factories.idea(title="Idea que vuelve a estar sola")
    services.idea_merge(canonical=canonical, merged=[merged], actor=moderator(), reason="Iguales")
    services.idea_unmerge(merged_idea=merged, actor=moderator(), reason="No eran iguales")
    html = _page(client, canonical)
    assert "se fusionó con esta" not in html
    assert f"Se deshizo la fusión de la idea {merged.formatted_code}." in html


def test_a_hidden_merged_idea_is_not_listed(client):
    canonical = factories.idea()
    merged = factories.idea(title="Texto retirado por moderación")
    services.idea_merge(canonical=canonical, merged=[merged], actor=moderator(), reason="Iguales")
    merged.hidden_at = timezone.now()
    merged.save(update_fields=["hidden_at"])
    assert "Texto retirado por moderación" not in _page(client, canonical)


def test_the_list_costs_the_same_queries_for_one_or_five_merged_ideas(
    client, django_assert_max_num_queries
):
    canonical = factories.idea()
    services.idea_merge(canonical=canonical, merged=[factories.idea()], actor=moderator())
    with django_assert_max_num_queries(40) as one:
        _page(client, canonical)
    services.idea_merge(
        canonical=canonical, merged=[factories.idea() for _ in range(4)], actor=moderator()
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        _page(client, canonical)
