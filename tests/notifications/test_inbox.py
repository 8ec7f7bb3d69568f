"""The inbox page (/avisos/) and the admin's "reintentar ahora"."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.notifications.kinds import StatusChanged
from forum.notifications.models import Delivery, Notification
from forum.notifications.services import notification_create_many
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _participant(client, language="es"):
    user = factories.user()
    client.force_login(user)
    return factories.person(user_obj=user, language=language)


def _status_notice(person, idea, to="in_review", message=""):
    return notification_create_many(
        people=[person],
        idea=idea,
        notice=StatusChanged(
            code=idea.tracking_code,
            title=idea.title,
            from_status="received",
            to_status=to,
            message=message,
        ),
    )[0]


def test_login_required(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_inbox_lists_my_notifications_newest_first_with_unread_marked(client):
    me = _participant(client)
    other = factories.person()
    idea = factories.idea(author=me, title="Intérpretes de lengua de señas en las OTEC")
    services.support_add(idea=idea, person=other)
    services.idea_transition(
        idea=idea,
        to_status=IdeaStatus.IN_REVIEW,
        actor=None,
        public_message="La secretaría la está revisando.",
    )
    services.idea_route(idea=idea, council=factories.council(), actor=None)
    Notification.objects.filter(person=me, payload__to="in_review").update(read_at=timezone.now())

    response = client.get(reverse("notifications:inbox"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="card inbox-item') == 2  # only mine, not the supporter's
    newest = html.index("Derivada a un consejo")
    older = html.index("La secretaría la está revisando.")
    assert newest < older
    assert html.count("inbox-unread") == 1
    assert "1 aviso sin leer" in html
    assert f"/ideas/{idea.tracking_code}/" in html


def test_inbox_in_english(client):
    me = _participant(client, language="en")
    _status_notice(me, factories.idea(author=me))
    response = client.get(reverse("notifications:inbox"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert "moved from “Received” to “Under review”" in html
    assert "Mark all as read" in html


def test_user_text_is_escaped(client):
    me = _participant(client)
    idea = factories.idea(author=me, title="<script>alert('x')</script> & <b>OTEC</b>")
    _status_notice(me, idea, message='<img src=x onerror="alert(1)">')

    html = client.get(reverse("notifications:inbox")).content.decode()

    assert "<script>alert(" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(" in html
    assert "&lt;img src=x onerror=" in html


def test_mark_all_as_read(client):
    me = _participant(client)
    for _ in range(3):
        _status_notice(me, factories.idea(author=me))
    someone_else = factories.person()
    _status_notice(someone_else, factories.idea(author=someone_else))

    response = client.post(reverse("notifications:mark_all_read"), follow=True)

    assert response.status_code == 200
    assert "Marcamos 3 avisos como leídos." in response.content.decode()
    assert not Notification.objects.filter(person=me, read_at__isnull=True).exists()
    assert Notification.objects.filter(person=someone_else, read_at__isnull=True).exists()
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405


def test_inbox_query_count_does_not_grow_with_rows(client):
    me = _participant(client)
    idea = factories.idea(author=me)
    _status_notice(me, idea)
    client.get(reverse("notifications:inbox"))  # warm caches (session, translations)

    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("notifications:inbox")).status_code == 200
    for i in range(25):
        _status_notice(me, factories.idea(author=me, title=f"Idea número {i}"))
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("notifications:inbox"))
    assert response.content.decode().count('class="card inbox-item') == 20  # one page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(many) <= 8, len(many)


def test_admin_retry_now_requeues_failed_deliveries(client):
    admin = factories.user("admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    person = factories.person()
    note = _status_notice(person, factories.idea(author=person))
    delivery = note.deliveries.get(channel="inbox")
    later = timezone.now() + dt.timedelta(hours=1)
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED, attempts=8, available_at=later
    )

    response = client.post(
        reverse("admin:notifications_delivery_changelist"),
        {"action": "retry_now", "_selected_action": [delivery.pk]},
        follow=True,
    )

    assert response.status_code == 200
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.available_at <= timezone.now()
    assert "1 entrega vuelve a la cola." in response.content.decode()
    assert (
        client.get(reverse("admin:notifications_notification_change", args=[note.pk])).status_code
        == 200
    )
