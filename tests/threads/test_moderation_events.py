"""Open thread pages hear about hides and restores, whichever moderation path caused them."""

from __future__ import annotations

import pytest
from django.test import override_settings

from forum.moderation import services as moderation
from forum.moderation.roles import MODERATION
from forum.threads import services
from tests import factories as f

from .helpers import citizen, public_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, dict]]:
    events: list[tuple[str, dict]] = []
    monkeypatch.setattr(
        "forum.core.events._send", lambda group, event: events.append((group, event))
    )
    return events


def _thread_events(sent, thread_id):
    return [e["type"] for g, e in sent if g == f"thread.{thread_id}"]


@override_settings(REPORTS_TO_HIDE=3)
def test_auto_hide_after_reports_reaches_open_pages(sent, django_capture_on_commit_callbacks):
    _u, author = citizen()
    post = services.post_create(thread=public_thread(), author=author, body="spam spam")
    sent.clear()
    reporters = [f.person() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        for reporter in reporters:
            moderation.content_report(reporter=reporter, target=post, reason="publicidad")
    post.refresh_from_db()
    assert post.hidden_at is not None
    assert _thread_events(sent, post.thread_id) == ["post.hidden"]
    assert post.changed_at is not None  # a page resuming later also catches the hide


def test_hide_and_restore_from_the_thread_announce_once(sent, django_capture_on_commit_callbacks):
    _u, author = citizen()
    mod = f.user(is_staff=True, groups=[MODERATION])
    post = services.post_create(thread=public_thread(), author=author, body="hola")
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_hide(post=post, actor=mod, reason="Fuera de tema")
    with django_capture_on_commit_callbacks(execute=True):
        services.post_restore(post=post, actor=mod, reason="Revisado")
    assert _thread_events(sent, post.thread_id) == ["post.hidden", "post.restored"]
