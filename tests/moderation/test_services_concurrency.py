"""Two moderators merging at once on PostgreSQL: one wins, the other gets a clear refusal,
and the data is never left half-merged."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from forum.moderation import services
from forum.moderation.models import Merge
from forum.moderation.services import ModerationError
from forum.participation import services as participation
from forum.participation.models import Channel, Idea, Person, Support
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _idea(title: str, supporters: list[Person]) -> Idea:
    idea = participation.idea_submit(
        author=Person.objects.create(display_name=title), title=title, channel=Channel.WEB
    )
    for p in supporters:
        participation.support_add(idea=idea, person=p)
    return idea


def _race(calls: list[Callable[[], object]]) -> list[object]:
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(i, fn):
        try:
            barrier.wait(timeout=5)
            outcomes[i] = fn()
        except Exception as exc:  # recorded and asserted below
            outcomes[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, fn)) for i, fn in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


def _assert_one_winner(outcomes):
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1, outcomes
    assert isinstance(errors[0], ModerationError), errors[0]
    assert errors[0].messages[0]


@pytest.mark.parametrize("_round", range(3))
def test_crossed_merges_one_wins(_round):
    mod = moderator(f"mod-{_round}")
    people = [Person.objects.create(display_name=f"P{i}") for i in range(4)]
    a = _idea("Cursos de soldadura en Coronel", people[:3])
    b = _idea("Curso de soldadura para Coronel", people[1:])
    outcomes = _race(
        [
            lambda: services.idea_merge(canonical=a, merged=[b], actor=mod),
            lambda: services.idea_merge(canonical=b, merged=[a], actor=mod),
        ]
    )
    _assert_one_winner(outcomes)
    a.refresh_from_db()
    b.refresh_from_db()
    merged = [i for i in (a, b) if i.merged_into_id is not None]
    assert len(merged) == 1
    (loser,) = merged
    winner = a if loser is b else b
    assert winner.merged_into_id is None
    assert loser.merged_into_id == winner.pk
    assert Merge.objects.filter(undone_at__isnull=True).count() == 1
    on_winner = set(Support.objects.filter(idea=winner).values_list("person_id", flat=True))
    assert on_winner == {p.pk for p in people}
    assert winner.support_count == 4
    # And it can be undone exactly.
    services.idea_unmerge(merged_idea=loser, actor=mod, reason="prueba")
    assert Support.objects.filter(idea=a).count() == 3
    assert Support.objects.filter(idea=b).count() == 3


def test_same_idea_into_two_canonicals_at_once():
    mod = moderator("mod-x")
    a, b = _idea("Paradero en Chillán", []), _idea("Paraderos en Chillán", [])
    c = _idea("Paradero techado en Chillán", [Person.objects.create(display_name="Z")])
    outcomes = _race(
        [
            lambda: services.idea_merge(canonical=a, merged=[c], actor=mod),
            lambda: services.idea_merge(canonical=b, merged=[c], actor=mod),
        ]
    )
    _assert_one_winner(outcomes)
    c.refresh_from_db()
    assert c.merged_into_id in (a.pk, b.pk)
    assert Merge.objects.filter(merged=c).count() == 1
    assert Idea.objects.get(pk=c.merged_into_id).support_count == 1
