"""The header's «Avisos» link shows how many notices are unread (QA m3)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.notifications.kinds import StatusChanged
from forum.notifications.models import Notification
from forum.notifications.services import notification_create_many
from tests import factories

pytestmark = pytest.mark.django_db


def _nav(html: str) -> str:
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S)
    assert nav is not None
    return nav.group(0)


def _notices(person, n: int) -> None:
    for _ in range(n):
        idea = factories.idea(author=person)
        notification_create_many(
            people=[person],
            idea=idea,
            notice=StatusChanged(code=idea.tracking_code, title=idea.title, to_status="in_review"),
        )


def test_nav_shows_unread_count_with_text_for_screen_readers(client):
    user = factories.user()
    me = factories.person(user_obj=user)
    client.force_login(user)
    _notices(me, 3)
    _notices(factories.person(), 2)  # someone else's do not count

    nav = _nav(client.get(reverse("participation:idea_list")).content.decode())
    assert '<span class="nav-count" aria-hidden="true">3</span>' in nav
    assert '<span class="visually-hidden">(3 sin leer)</span>' in nav

    english = _nav(
        client.get(reverse("participation:idea_list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert "(3 unread)" in english


def test_no_badge_when_everything_is_read_or_logged_out(client):
    user = factories.user()
    me = factories.person(user_obj=user)
    _notices(me, 2)
    Notification.objects.filter(person=me).update(read_at=timezone.now())
    assert "nav-count" not in client.get(reverse("participation:idea_list")).content.decode()
    client.force_login(user)
    html = client.get(reverse("participation:idea_list")).content.decode()
    assert "Avisos" in _nav(html)
    assert "nav-count" not in html
    assert "sin leer)" not in html
