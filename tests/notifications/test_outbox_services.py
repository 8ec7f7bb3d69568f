"""Notifications are written in the same transaction as the status change that causes them."""

from __future__ import annotations

import pytest
from django.db import transaction

from forum.notifications.models import Delivery, Notification
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import IdeaCoauthor
from tests import factories

pytestmark = pytest.mark.django_db


def _idea_with_people():
    author = factories.person(name="Autora", email="autora@example.cl")
    coauthor = factories.person(name="Coautor")
    supporter = factories.person(name="Apoyo", language="en", email="fan@example.com")
    idea = factories.idea(author=author)
    IdeaCoauthor.objects.create(idea=idea, person=coauthor)
    services.support_add(idea=idea, person=supporter)
    services.support_add(idea=idea, person=author)  # the author also supports: still one notice
    return idea, {author.pk, coauthor.pk, supporter.pk}


def test_status_change_notifies_author_coauthor_and_supporters_once_each():
    idea, people = _idea_with_people()

    services.idea_transition(
        idea=idea,
        to_status=IdeaStatus.IN_REVIEW,
        actor=None,
        public_message="La estamos revisando.",
    )

    notes = Notification.objects.filter(idea=idea, kind=Notification.Kind.STATUS_CHANGED)
    assert sorted(n.person_id for n in notes) == sorted(people)
    note = notes.first()
    assert note is not None
    assert note.payload["from"] == IdeaStatus.RECEIVED
    assert note.payload["to"] == IdeaStatus.IN_REVIEW
    assert note.payload["message"] == "La estamos revisando."
    # Every person gets the inbox; those with an e-mail address get an e-mail too.
    channels = sorted(
        Delivery.objects.filter(notification__idea=idea).values_list("channel", flat=True)
    )
    assert channels == ["email", "email", "inbox", "inbox", "inbox"]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Delivery.Status.PENDING}


def test_no_notification_when_the_status_change_rolls_back():
    idea, _people = _idea_with_people()

    def change_then_fail():
        with transaction.atomic():
            services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)
            assert Notification.objects.filter(idea=idea).count() == 3
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError, match="failed after the change"):
        change_then_fail()

    assert not Notification.objects.filter(idea=idea).exists()
    assert not Delivery.objects.exists()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


def test_bot_identities_get_a_delivery_unless_unreachable(channels):
    channels("telegram", lambda d: None, identity_channel="telegram")
    person = factories.person(email="p@example.cl")
    blocked = factories.person()
    factories.identity(person, "telegram", "111")
    ident = factories.identity(blocked, "telegram", "222")
    ident.unreachable_at = ident.created_at
    ident.save()
    idea = factories.idea(author=person)
    services.support_add(idea=idea, person=blocked)

    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)

    rows = set(Delivery.objects.values_list("channel", "address"))
    assert rows == {("inbox", ""), ("email", "p@example.cl"), ("telegram", "111")}
