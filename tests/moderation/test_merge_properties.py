"""Property-based: any sequence of merges and unmerges keeps every supporter counted once per
cluster, refusals change nothing, and unmerging everything restores the exact starting state."""

from __future__ import annotations

from collections.abc import Mapping

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.moderation import services
from forum.moderation.models import AuditEntry
from forum.moderation.services import ModerationError
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea, IdeaCoauthor, Support
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator, state  # noqa: F401

N_IDEAS = 4
N_PEOPLE = 3

pytestmark = pytest.mark.django_db

ops = st.lists(
    st.one_of(
        st.tuples(
            st.just("merge"),
            st.integers(0, N_IDEAS - 1),
            st.lists(st.integers(0, N_IDEAS - 1), min_size=1, max_size=2),
        ),
        st.tuples(st.just("unmerge"), st.integers(0, N_IDEAS - 1), st.just([])),
    ),
    max_size=12,
)
world = st.fixed_dictionaries(
    {
        # supports[i] = people (indexes) who support idea i
        "supports": st.lists(
            st.sets(st.integers(0, N_PEOPLE - 1)), min_size=N_IDEAS, max_size=N_IDEAS
        ),
        "authors": st.lists(st.integers(0, N_PEOPLE - 1), min_size=N_IDEAS, max_size=N_IDEAS),
        "in_review": st.sets(st.integers(0, N_IDEAS - 1)),
    }
)


def _root(idea_id: int, parents: Mapping[int, int | None]) -> int:
    while (parent := parents[idea_id]) is not None:
        idea_id = parent
    return idea_id


def _check_clusters(ideas, supporters: dict[int, set[int]], authors: dict[int, int]) -> None:
    rows = dict(
        Idea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("pk", "merged_into_id")
    )
    clusters: dict[int, list[int]] = {}
    for pk in rows:
        clusters.setdefault(_root(pk, rows), []).append(pk)
    for root, members in clusters.items():
        expected = set().union(*(supporters[m] for m in members))
        actual = set(
            Support.objects.filter(idea_id__in=members).values_list("person_id", flat=True)
        )
        assert actual == expected, (root, members)
        on_root = set(Support.objects.filter(idea_id=root).values_list("person_id", flat=True))
        assert on_root == expected  # the canonical idea counts everyone, once
        assert Idea.objects.get(pk=root).support_count == len(expected)
        voices = set(
            IdeaCoauthor.objects.filter(idea_id=root).values_list("person_id", flat=True)
        ) | {authors[root]}
        assert {authors[m] for m in members} <= voices  # every author is a co-author
        for m in members:
            if m != root:
                assert Idea.objects.get(pk=m).status == IdeaStatus.MERGED


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(setup=world, operations=ops)
def test_any_sequence_of_merges_and_unmerges(setup, operations):
    with transaction.atomic():
        mod = moderator()
        people = [factories.person() for _ in range(N_PEOPLE)]
        ideas = [
            factories.idea(author=people[setup["authors"][i]], title=f"Idea {i}")
            for i in range(N_IDEAS)
        ]
        for i in setup["in_review"]:
            participation.idea_transition(idea=ideas[i], to_status=IdeaStatus.IN_REVIEW, actor=mod)
        for i, who in enumerate(setup["supports"]):
            for p in sorted(who):
                participation.support_add(idea=ideas[i], person=people[p])
        supporters = {
            ideas[i].pk: {people[p].pk for p in who} for i, who in enumerate(setup["supports"])
        }
        authors = {ideas[i].pk: people[setup["authors"][i]].pk for i in range(N_IDEAS)}
        initial = state(ideas)

        for op, a, bs in operations:
            before, audits = state(ideas), AuditEntry.objects.count()
            try:
                if op == "merge":
                    services.idea_merge(
                        canonical=ideas[a], merged=[ideas[b] for b in bs], actor=mod
                    )
                else:
                    services.idea_unmerge(merged_idea=ideas[a], actor=mod, reason="prueba")
            except ModerationError:
                assert state(ideas) == before  # a refusal changes nothing
                assert AuditEntry.objects.count() == audits
            _check_clusters(ideas, supporters, authors)

        # Unmerge everything, outermost first (an idea whose canonical idea is not merged).
        for _round in range(N_IDEAS):
            merged = list(
                Idea.objects.filter(
                    pk__in=[i.pk for i in ideas],
                    merged_into__isnull=False,
                    merged_into__merged_into__isnull=True,
                ).order_by("pk")
            )
            if not merged:
                break
            for idea in merged:
                services.idea_unmerge(merged_idea=idea, actor=mod, reason="deshacer todo")
                _check_clusters(ideas, supporters, authors)
        assert state(ideas) == initial
        transaction.set_rollback(True)
