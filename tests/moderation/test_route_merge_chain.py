"""Moderation follows merge chains through participation's one selector (canonical_of)."""

from __future__ import annotations

import pytest

from forum.moderation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = pytest.mark.django_db


def _merged_into(idea: Idea, target: Idea) -> None:
    # A hand edit (as the admin allows): the merge service itself refuses cycles.
    Idea.objects.filter(pk=idea.pk).update(merged_into=target, status=IdeaStatus.MERGED)
    idea.refresh_from_db()


def test_routing_a_merged_idea_routes_the_end_of_its_chain():
    a, b, c = factories.idea(), factories.idea(), factories.idea()
    _merged_into(a, b)
    _merged_into(b, c)
    council = factories.council()
    services.idea_route_cluster(idea=a, council=council, actor=moderator())
    c.refresh_from_db()
    assert (c.status, c.council) == (IdeaStatus.ROUTED, council)


def test_routing_an_idea_in_a_looping_chain_is_refused_with_a_reason():
    a, b = factories.idea(), factories.idea()
    _merged_into(a, b)
    _merged_into(b, a)
    with pytest.raises(services.ModerationError) as excinfo:
        services.idea_route_cluster(idea=a, council=factories.council(), actor=moderator())
    assert excinfo.value.code == "merge_chain"
