"""Reports: three different people hide content pending review; moderators hide/restore."""

from __future__ import annotations

import pytest

from forum.moderation import selectors, services
from forum.moderation.models import AuditEntry, Report
from forum.moderation.services import ModerationError
from forum.notifications.models import Notification
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = pytest.mark.django_db


def test_three_distinct_reporters_hide_an_idea(settings):
    settings.REPORTS_TO_HIDE = 3
    author = factories.person(name="Autora")
    idea = factories.idea(author=author, title="Compro oro, llame ya")
    first = factories.person()
    services.content_report(reporter=first, target=idea, reason="Publicidad")
    _again, created = services.content_report(reporter=first, target=idea, reason="Otra vez")
    assert created is False
    services.content_report(reporter=factories.person(), target=idea, reason="spam")
    idea.refresh_from_db()
    assert idea.hidden_at is None  # two different people so far
    services.content_report(reporter=factories.person(), target=idea, reason="spam")
    idea.refresh_from_db()
    assert idea.hidden_at is not None
    assert Idea.objects.filter(pk=idea.pk).exists()  # kept, never deleted
    note = Notification.objects.get(person=author, kind=Notification.Kind.HIDDEN)
    assert note.payload["code"] == idea.tracking_code
    assert note.payload["reason"]
    entry = AuditEntry.objects.get(action="content.auto_hide")
    assert entry.actor is None
    assert entry.target_id == str(idea.pk)


def test_threshold_is_configurable(settings):
    settings.REPORTS_TO_HIDE = 1
    idea = factories.idea()
    services.content_report(reporter=factories.person(), target=idea, reason="ofensivo")
    idea.refresh_from_db()
    assert idea.hidden_at is not None


def test_moderator_hides_and_restores_with_reason_for_the_author():
    mod = moderator()
    author = factories.person()
    idea = factories.idea(author=author)
    services.content_hide(target=idea, actor=mod, reason="Contiene datos personales")
    idea.refresh_from_db()
    assert idea.hidden_reason == "Contiene datos personales"
    services.content_restore(target=idea, actor=mod, reason="Datos quitados por la autora")
    idea.refresh_from_db()
    assert idea.hidden_at is None
    kinds = list(
        Notification.objects.filter(person=author)
        .order_by("pk")
        .values_list("kind", "payload__reason")
    )
    assert kinds == [
        (Notification.Kind.HIDDEN, "Contiene datos personales"),
        (Notification.Kind.RESTORED, "Datos quitados por la autora"),
    ]
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "content.hide",
        "content.restore",
    ]


def test_hide_needs_a_reason_and_restore_needs_hidden_content():
    mod = moderator()
    idea = factories.idea()
    with pytest.raises(ModerationError):
        services.content_hide(target=idea, actor=mod, reason="  ")
    with pytest.raises(ModerationError):
        services.content_restore(target=idea, actor=mod, reason="nada")


def test_restored_content_needs_fresh_reports_to_hide_again(settings):
    settings.REPORTS_TO_HIDE = 2
    mod = moderator()
    idea = factories.idea()
    for _ in range(2):
        services.content_report(reporter=factories.person(), target=idea, reason="spam")
    services.content_restore(target=idea, actor=mod, reason="No es spam")
    services.content_report(reporter=factories.person(), target=idea, reason="spam")
    idea.refresh_from_db()
    assert idea.hidden_at is None
    assert selectors.reported_content()[0].open_reports == 1


def test_hidden_idea_leaves_the_similar_ideas():
    mod = moderator()
    idea = factories.idea(title="Cursos de inglés técnico para guías de turismo en Pucón")
    found = [
        i.pk
        for i, _s in selectors.similar_ideas(
            "Curso de inglés técnico para guías de turismo de Pucón"
        )
    ]
    assert found == [idea.pk]
    services.content_hide(target=idea, actor=mod, reason="duplicada ofensiva")
    assert selectors.similar_ideas("Curso de inglés técnico para guías de turismo de Pucón") == []


def test_thread_posts_can_be_reported_and_hidden(settings):
    pytest.importorskip("forum.threads.services")
    from forum.threads import services as threads

    settings.REPORTS_TO_HIDE = 2
    author = factories.person(user_obj=factories.user())
    thread = threads.thread_ensure_for_idea(idea=factories.idea())
    post = threads.post_create(thread=thread, author=author, body="Vendo cursos truchos")
    for _ in range(2):
        services.content_report(reporter=factories.person(), target=post, reason="estafa")
    post.refresh_from_db()
    assert post.hidden_at is not None
    note = Notification.objects.get(person=author, kind=Notification.Kind.HIDDEN)
    assert note.payload["post_id"] == post.pk
    assert Report.objects.filter(object_id=post.pk).count() == 2
    services.content_restore(target=post, actor=moderator(), reason="Revisado")
    post.refresh_from_db()
    assert post.hidden_at is None
