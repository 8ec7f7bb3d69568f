from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from forum.moderation.roles import MODERATION
from forum.notifications.models import Notification
from forum.participation.models import Membership
from forum.threads import permissions, selectors, services
from forum.threads.models import Follow, Post, Thread
from tests import factories as f

from .helpers import citizen, council_thread, internal_thread, member, public_thread

pytestmark = pytest.mark.django_db


@pytest.fixture
def council():
    return f.council("biobio")


def test_permission_table(council):
    other = f.council("metropolitana")
    m_user, _m = member(council)
    sec_user, _s = member(council, role=Membership.Role.SECRETARY)
    past_user, _p = member(council, term_end=dt.date(2021, 1, 1))
    foreign_user, _fo = member(other)
    c_user, _c = citizen()
    staff = f.user(is_staff=True)
    anon = AnonymousUser()
    pub, internal, cthread = public_thread(), internal_thread(council), council_thread(council)

    table = {
        # user: (view pub, post pub, view internal, post internal, post council thread,
        #        minutes in council thread)
        "anon": (anon, (True, False, False, False, False, False)),
        "citizen": (c_user, (True, True, False, False, False, False)),
        "member": (m_user, (True, True, True, True, True, False)),
        "secretary": (sec_user, (True, True, True, True, True, True)),
        "former member": (past_user, (True, True, False, False, False, False)),
        "other council": (foreign_user, (True, True, False, False, False, False)),
        "staff": (staff, (True, True, True, True, True, True)),
    }
    for label, (user, expected) in table.items():
        got = (
            permissions.can_view(user, pub),
            permissions.can_post(user, pub),
            permissions.can_view(user, internal),
            permissions.can_post(user, internal),
            permissions.can_post(user, cthread),
            permissions.can_post_minutes(user, cthread),
        )
        assert got == expected, label


def test_internal_threads_listed_only_for_members(council):
    m_user, _ = member(council)
    c_user, _ = citizen()
    pub, internal = public_thread(), internal_thread(council)
    assert set(selectors.threads_visible_to(AnonymousUser())) == {pub}
    assert set(selectors.threads_visible_to(c_user)) == {pub}
    assert set(selectors.threads_visible_to(m_user)) == {pub, internal}


def test_post_create_renders_safe_html_and_auto_follows(django_capture_on_commit_callbacks):
    _u, person = citizen()
    thread = public_thread()
    with django_capture_on_commit_callbacks() as callbacks:
        post = services.post_create(
            thread=thread, author=person, body="Hola *equipo* <script>alert(1)</script>"
        )
    assert "<script>" not in post.body_html
    assert "&lt;script&gt;" in post.body_html
    assert "<em>equipo</em>" in post.body_html
    assert Follow.objects.filter(thread=thread, person=person).exists()
    thread.refresh_from_db()
    assert thread.last_post_at == post.created_at
    assert len(callbacks) == 1  # the event waits for the commit


def test_post_create_publishes_ids_only_after_commit(
    django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr("forum.core.events._send", lambda group, event: sent.append((group, event)))
    _u, person = citizen()
    thread = public_thread()
    with django_capture_on_commit_callbacks(execute=True):
        post = services.post_create(thread=thread, author=person, body="hola")
        assert sent == []
    assert len(sent) == 1
    group, event = sent[0]
    assert group == f"thread.{thread.pk}"
    # Ids only: no rendered content travels through the channel layer.
    assert set(event) == {"type", "thread_id", "post_id"}
    assert (event["type"], event["thread_id"], event["post_id"]) == (
        "post.created",
        thread.pk,
        post.pk,
    )


def test_too_long_post_is_refused_with_clear_message():
    _u, person = citizen()
    thread = public_thread()
    with pytest.raises(services.ThreadError) as exc:
        services.post_create(thread=thread, author=person, body="a" * 5001)
    assert "5001" in exc.value.messages[0]
    assert "5000" in exc.value.messages[0]
    assert not Post.objects.exists()


def test_empty_post_refused():
    _u, person = citizen()
    with pytest.raises(services.ThreadError):
        services.post_create(thread=public_thread(), author=person, body="   \n ")


def test_non_member_cannot_post_in_council_thread(council):
    _u, person = citizen()
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_create(thread=council_thread(council), author=person, body="hola")


def test_person_without_account_cannot_post():
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_create(thread=public_thread(), author=f.person(), body="hola")


def test_only_secretary_posts_minutes(council):
    thread = council_thread(council)
    _m, member_person = member(council)
    _s, secretary = member(council, role=Membership.Role.SECRETARY)
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_create(thread=thread, author=member_person, body="Acta", is_minutes=True)
    post = services.post_create(
        thread=thread, author=secretary, body="Acta de la sesión del 3 de marzo", is_minutes=True
    )
    assert post.is_minutes


def test_followers_and_replied_author_are_notified_through_outbox():
    _a, alice = citizen()
    _b, bruno = citizen()
    _c, carla = citizen()
    thread = public_thread()
    first = services.post_create(thread=thread, author=alice, body="Propongo cursos nocturnos")
    services.thread_follow(thread=thread, person=carla)
    reply = services.post_create(
        thread=thread, author=bruno, body="Buena idea, **apoyo**", reply_to=first
    )

    to_alice = Notification.objects.get(person=alice)
    assert to_alice.kind == Notification.Kind.THREAD_REPLY
    assert to_alice.payload == {
        "thread_id": thread.pk,
        "thread_title": thread.title,
        "post_id": reply.pk,
        "excerpt": "Buena idea, apoyo",
    }
    to_carla = Notification.objects.get(person=carla)
    assert to_carla.kind == Notification.Kind.THREAD_POST
    assert not Notification.objects.filter(person=bruno).exists()
    assert to_alice.deliveries.filter(channel="inbox").exists()


def test_former_member_following_internal_thread_gets_nothing(council):
    thread = internal_thread(council)
    _u, poster = member(council)
    _f, former = member(council)
    services.thread_follow(thread=thread, person=former)
    Membership.objects.filter(person=former).update(
        term_end=dt.date(2021, 1, 1), term_start=dt.date(2020, 1, 1)
    )
    services.post_create(thread=thread, author=poster, body="Solo para el consejo")
    assert not Notification.objects.filter(person=former).exists()


def test_edit_keeps_history():
    user, person = citizen()
    post = services.post_create(thread=public_thread(), author=person, body="primera versión")
    services.post_edit(post=post, actor=user, body="segunda *versión*")
    post.refresh_from_db()
    assert post.body == "segunda *versión*"
    assert post.edited_at is not None
    assert "<em>versión</em>" in post.body_html
    assert [r.body for r in selectors.post_revisions(post)] == ["primera versión"]


def test_only_author_edits_and_deletes():
    _u, person = citizen()
    other, _o = citizen()
    post = services.post_create(thread=public_thread(), author=person, body="mío")
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_edit(post=post, actor=other, body="tuyo")
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_delete(post=post, actor=other)


def test_soft_delete_keeps_row_and_replies():
    user, person = citizen()
    _b, bruno = citizen()
    thread = public_thread()
    post = services.post_create(thread=thread, author=person, body="me arrepiento")
    reply = services.post_create(thread=thread, author=bruno, body="respuesta", reply_to=post)
    services.post_delete(post=post, actor=user)
    post.refresh_from_db()
    assert post.deleted_at is not None
    assert post.body == "me arrepiento"
    reply.refresh_from_db()
    assert reply.reply_to_id == post.pk
    payload = selectors.post_payload(post)
    assert payload["state"] == "deleted"
    assert payload["body_html"] == ""
    quote = selectors.quote_of(reply)
    assert quote is not None
    assert quote["text"] == "mensaje no disponible"


def test_hide_keeps_content_and_needs_moderator():
    _u, person = citizen()
    mod = f.user(is_staff=True, groups=[MODERATION])
    post = services.post_create(thread=public_thread(), author=person, body="insulto")
    with pytest.raises(services.ThreadPermissionDenied):
        services.post_hide(post=post, actor=person.user, reason="x")
    with pytest.raises(services.ThreadError):
        services.post_hide(post=post, actor=mod, reason="  ")
    services.post_hide(post=post, actor=mod, reason="Lenguaje ofensivo")
    post.refresh_from_db()
    assert post.hidden_at
    assert post.hidden_reason == "Lenguaje ofensivo"
    assert post.hidden_by == mod
    assert post.body == "insulto"
    payload = selectors.post_payload(post)
    assert payload["state"] == "hidden"
    assert "insulto" not in str(payload)
    # The author hears why, and the moderation audit log has the action.
    note = Notification.objects.get(person=person, kind=Notification.Kind.HIDDEN)
    assert note.payload["reason"] == "Lenguaje ofensivo"
    assert note.payload["thread_id"] == post.thread_id
    from forum.moderation.models import AuditEntry

    assert AuditEntry.objects.filter(action="content.hide").count() == 1
    services.post_restore(post=post, actor=mod)
    post.refresh_from_db()
    assert post.hidden_at is None
    assert post.is_visible
    assert AuditEntry.objects.filter(action="content.restore").count() == 1


def test_every_routed_idea_gets_one_thread(council):
    idea = f.idea(title="Más cursos de soldadura en Talcahuano")
    idea.council = council
    t1 = services.thread_ensure_for_idea(idea=idea)
    t2 = services.thread_ensure_for_idea(idea=idea)
    assert t1 == t2
    assert t1.kind == Thread.Kind.IDEA
    assert t1.council == council
    assert t1.visibility == Thread.Visibility.PUBLIC
    assert Thread.objects.filter(idea=idea).count() == 1


def test_unfollow_stops_notifications():
    _a, alice = citizen()
    _b, bruno = citizen()
    thread = public_thread()
    services.thread_follow(thread=thread, person=bruno)
    assert services.thread_unfollow(thread=thread, person=bruno)
    services.post_create(thread=thread, author=alice, body="hola")
    assert not Notification.objects.filter(person=bruno).exists()


def test_command_creates_missing_idea_threads_once(council):
    from django.core.management import call_command

    routed = f.idea(title="Curso de grúa horquilla")
    f.idea(title="Idea sin derivar")
    routed.council = council
    routed.save(update_fields=["council"])
    call_command("ensure_idea_threads")
    call_command("ensure_idea_threads")
    assert list(Thread.objects.values_list("idea", flat=True)) == [routed.pk]


def test_a_moderator_by_role_moderates_threads_too():
    from tests.moderation.moderation_helpers import moderator

    _u, person = citizen()
    mod = moderator("moderadora_hilos")
    assert not mod.is_staff
    post = services.post_create(thread=public_thread(), author=person, body="insulto")
    services.post_hide(post=post, actor=mod, reason="Lenguaje ofensivo")
    post.refresh_from_db()
    assert post.hidden_by == mod
    services.post_restore(post=post, actor=mod, reason="Revisado: era una cita")
    post.refresh_from_db()
    assert post.hidden_at is None
