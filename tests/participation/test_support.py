"""Supports: one per person per idea, whatever the taps, the race or the channel."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Channel, Idea, Support
from tests import factories


@pytest.mark.django_db
def test_support_once_then_idempotent():
    idea, person = factories.idea(), factories.person()
    first, created = services.support_add(idea=idea, person=person, channel=Channel.TELEGRAM)
    again, created_again = services.support_add(idea=idea, person=person, channel=Channel.WEB)
    assert created
    assert not created_again
    assert first.pk == again.pk
    idea.refresh_from_db()
    assert idea.support_count == 1


@pytest.mark.django_db
def test_support_on_merged_idea_goes_to_canonical():
    canonical, merged = factories.idea(), factories.idea()
    Idea.objects.filter(pk=merged.pk).update(status=IdeaStatus.MERGED, merged_into=canonical)
    support, created = services.support_add(idea=merged, person=factories.person())
    assert created
    assert support.idea_id == canonical.pk
    canonical.refresh_from_db()
    assert canonical.support_count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "status", [IdeaStatus.NOT_ADMITTED, IdeaStatus.ANSWERED_REJECTED, IdeaStatus.IMPLEMENTED]
)
def test_closed_idea_refuses_support(status):
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(status=status)
    with pytest.raises(services.ParticipationError) as excinfo:
        services.support_add(idea=idea, person=factories.person())
    assert "ya no recibe apoyos" in excinfo.value.messages[0]
    assert not Support.objects.exists()


@pytest.mark.django_db
def test_dot_budget_limits_supports_and_removing_frees_one():
    dialogue = factories.dialogue(title="Diálogo de Talca", dot_budget=2)
    person = factories.person()
    ideas = [factories.idea(dialogue=dialogue) for _ in range(3)]
    services.support_add(idea=ideas[0], person=person)
    services.support_add(idea=ideas[1], person=person)
    with pytest.raises(services.ParticipationError) as excinfo:
        services.support_add(idea=ideas[2], person=person)
    assert excinfo.value.code == "budget"
    assert "Ya usaste tus 2 votos de «Diálogo de Talca»" in excinfo.value.messages[0]
    assert services.support_remove(idea=ideas[0], person=person)
    _support, created = services.support_add(idea=ideas[2], person=person)
    assert created
    # Ideas outside the dialogue are not limited by its budget.
    _support, created = services.support_add(idea=factories.idea(), person=person)
    assert created


@pytest.mark.django_db
def test_support_remove_updates_counter_and_is_idempotent():
    idea, person = factories.idea(), factories.person()
    services.support_add(idea=idea, person=person)
    assert services.support_remove(idea=idea, person=person) is True
    assert services.support_remove(idea=idea, person=person) is False
    idea.refresh_from_db()
    assert idea.support_count == 0


@pytest.mark.django_db
def test_recount_repairs_counters():
    idea = factories.idea()
    for _ in range(3):
        services.support_add(idea=idea, person=factories.person())
    Idea.objects.filter(pk=idea.pk).update(support_count=99)
    services.ideas_recount_supports()
    idea.refresh_from_db()
    assert idea.support_count == 3


def _run_at_once(n: int, target) -> list[BaseException]:
    barrier = threading.Barrier(n)
    errors: list[BaseException] = []

    def worker(i: int) -> None:
        try:
            barrier.wait(timeout=10)
            target(i)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_by_one_person_make_one_row() -> None:
    idea, person = factories.idea(), factories.person()
    results: list[bool] = []

    def support(_i: int) -> None:
        _support, created = services.support_add(idea=idea, person=person)
        results.append(created)

    errors = _run_at_once(8, support)
    assert errors == []
    assert results.count(True) == 1
    assert len(results) == 8
    assert Support.objects.filter(idea=idea, person=person).count() == 1
    idea.refresh_from_db()
    assert idea.support_count == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_by_many_people_all_count():
    idea = factories.idea()
    people = [factories.person() for _ in range(8)]

    errors = _run_at_once(8, lambda i: services.support_add(idea=idea, person=people[i]))
    assert errors == []
    assert Support.objects.filter(idea=idea).count() == 8
    idea.refresh_from_db()
    assert idea.support_count == 8


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_supports_respect_dot_budget():
    dialogue = factories.dialogue(dot_budget=2)
    person = factories.person()
    ideas = [factories.idea(dialogue=dialogue) for _ in range(6)]

    def support(i: int) -> None:
        with contextlib.suppress(services.ParticipationError):
            services.support_add(idea=ideas[i], person=person)

    assert _run_at_once(6, support) == []
    assert Support.objects.filter(person=person, dialogue=dialogue).count() == 2
