"""The merge chain: one selector finds an idea's canonical idea, and refuses a looping chain;
reserved transitions are applied only by the services the lifecycle table names."""

from __future__ import annotations

import pytest

from forum.participation import selectors, services
from forum.participation.lifecycle import IdeaStatus, IllegalTransition
from forum.participation.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db


def _merged_into(idea: Idea, target: Idea) -> None:
    # A hand edit (as the admin allows): the merge service itself refuses cycles.
    Idea.objects.filter(pk=idea.pk).update(merged_into=target, status=IdeaStatus.MERGED)
    idea.refresh_from_db()


def test_canonical_of_follows_the_whole_chain():
    a, b, c = factories.idea(), factories.idea(), factories.idea()
    _merged_into(a, b)
    _merged_into(b, c)
    assert selectors.canonical_of(c) == c
    assert selectors.canonical_of(a) == c
    assert selectors.merge_chain(a) == [a, b, c]


def test_a_looping_chain_is_refused_not_followed_forever():
    a, b = factories.idea(), factories.idea()
    _merged_into(a, b)
    _merged_into(b, a)
    with pytest.raises(selectors.MergeChainError):
        selectors.canonical_of(a)


def test_supporting_an_idea_in_a_looping_chain_says_why():
    a, b = factories.idea(), factories.idea()
    _merged_into(a, b)
    _merged_into(b, a)
    with pytest.raises(services.ParticipationError) as excinfo:
        services.support_add(idea=a, person=factories.person())
    assert excinfo.value.code == "merge_chain"


def test_a_service_not_in_the_table_cannot_apply_a_reserved_status():
    idea = factories.idea()
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)
    with pytest.raises(IllegalTransition):
        services.idea_transition_reserved(
            by="idea_route", idea=idea, to_status=IdeaStatus.MERGED, actor=None
        )
    with pytest.raises(IllegalTransition):
        services.idea_transition_reserved(
            by="idea_set_status", idea=idea, to_status=IdeaStatus.ROUTED, actor=None
        )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.IN_REVIEW
