"""Every legal and every illegal transition of an idea's public lifecycle."""

from __future__ import annotations

import itertools

import pytest

from forum.participation import services
from forum.participation.lifecycle import (
    NEEDS_MESSAGE,
    RESERVED,
    TRANSITIONS,
    IdeaStatus,
    IllegalTransition,
)
from forum.participation.models import Idea, StatusChange
from tests import factories

ALL = [s.value for s in IdeaStatus]
PAIRS = list(itertools.product(ALL, ALL))


def _idea_in(status: str) -> Idea:
    idea = factories.idea()
    # Put the idea directly in the starting state: the test is about the step from there.
    Idea.objects.filter(pk=idea.pk).update(status=status)
    idea.refresh_from_db()
    return idea


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_transition_table(from_status, to_status, admin_user):
    idea = _idea_in(from_status)
    legal = to_status in TRANSITIONS[from_status] and to_status not in RESERVED
    message = "Motivo público de la decisión"
    if legal:
        change = services.idea_transition(
            idea=idea, to_status=to_status, actor=admin_user, public_message=message
        )
        idea.refresh_from_db()
        assert idea.status == to_status
        assert (change.from_status, change.to_status) == (from_status, to_status)
        assert change.actor == admin_user
        assert change.public_message == message
    else:
        before = StatusChange.objects.filter(idea=idea).count()
        with pytest.raises(IllegalTransition) as excinfo:
            services.idea_transition(
                idea=idea, to_status=to_status, actor=admin_user, public_message=message
            )
        idea.refresh_from_db()
        assert idea.status == from_status
        assert StatusChange.objects.filter(idea=idea).count() == before
        # The error names both states in words a secretary understands.
        assert str(IdeaStatus(from_status).label) in str(excinfo.value)


@pytest.mark.django_db
@pytest.mark.parametrize("to_status", sorted(NEEDS_MESSAGE))
def test_decisions_need_a_public_message(to_status, admin_user):
    start = IdeaStatus.IN_REVIEW if to_status == IdeaStatus.NOT_ADMITTED else IdeaStatus.ON_AGENDA
    idea = _idea_in(start)
    with pytest.raises(services.ParticipationError):
        services.idea_transition(idea=idea, to_status=to_status, actor=admin_user)
    idea.refresh_from_db()
    assert idea.status == start


@pytest.mark.django_db
def test_full_public_history_is_recorded(admin_user):
    idea = factories.idea()
    c = factories.council()
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=admin_user)
    services.idea_route(idea=idea, council=c, actor=admin_user)
    services.idea_set_status(idea=idea, to_status=IdeaStatus.ON_AGENDA, actor=admin_user)
    services.idea_answer(
        idea=idea,
        outcome=IdeaStatus.ANSWERED_PARTLY,
        answer="Se incorpora al plan regional 2027.",
        actor=admin_user,
    )
    services.idea_set_status(idea=idea, to_status=IdeaStatus.IMPLEMENTED, actor=admin_user)
    idea.refresh_from_db()
    steps = list(StatusChange.objects.filter(idea=idea).values_list("from_status", "to_status"))
    assert steps == [
        ("", "received"),
        ("received", "in_review"),
        ("in_review", "routed"),
        ("routed", "on_agenda"),
        ("on_agenda", "answered_partly"),
        ("answered_partly", "implemented"),
    ]
    assert idea.council == c
    assert idea.public_answer == "Se incorpora al plan regional 2027."


@pytest.mark.django_db
def test_routing_an_idea_opens_its_public_thread(admin_user):
    from forum.threads.models import Thread

    idea = factories.idea()
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=admin_user)
    services.idea_route(idea=idea, council=factories.council(), actor=admin_user)
    thread = Thread.objects.get(idea=idea)
    assert thread.council == factories.council()
    assert thread.title == idea.title
