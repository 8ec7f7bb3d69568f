"""Writes of threads: the only code that creates or changes threads, posts and follows.

Every service runs in ``transaction.atomic``; notifications go to the outbox in the same
transaction and real-time events (ids only) are published after commit. Views, the WebSocket
consumer and bots all call these functions.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.notifications.kinds import ThreadPost, ThreadReply
from forum.notifications.services import notification_create_many
from forum.participation import services as participation_services
from forum.participation.models import (
    HIDDEN_REASON_MAX_LENGTH,
    Council,
    Dialogue,
    Idea,
    Membership,
    Person,
    Topic,
)

from . import events, handlers, permissions, selectors
from .markdown import excerpt, render
from .models import AgendaItem, Follow, Post, PostRevision, Thread

POST_MAX_LENGTH = getattr(settings, "THREAD_POST_MAX_LENGTH", 5000)
TITLE_MAX_LENGTH = 200  # Thread.title


# The limit of a hide reason (participation.services.hide_reason_clean); the form reads it here.
HIDE_REASON_MAX_LENGTH = HIDDEN_REASON_MAX_LENGTH


class ThreadError(ValidationError):
    """A request the person can fix (empty or too long text…); the message says how."""


class ThreadPermissionDenied(PermissionDenied):
    """The person may not do this here (not logged in, not a member, not the author…)."""


# ---------------------------------------------------------------- threads


def thread_create(
    *,
    kind: str,
    title: str,
    visibility: str = Thread.Visibility.PUBLIC,
    topic: Topic | None = None,
    dialogue: Dialogue | None = None,
    council: Council | None = None,
    agenda_item: AgendaItem | None = None,
    idea: Idea | None = None,
) -> Thread:
    """Open a thread. Raises ThreadError for an empty title or an internal thread without a
    council."""
    title = clean_plain_text(title).replace("\n", " ")
    if not title:
        raise ThreadError(_("El hilo necesita un título."), code="empty_title")
    if len(title) > TITLE_MAX_LENGTH:
        # Refused whole, never cut: the thread list would show a title nobody wrote.
        raise ThreadError(
            _("El título tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo.")
            % {"n": len(title), "max": TITLE_MAX_LENGTH},
            code="title_too_long",
        )
    if agenda_item is not None and council is None:
        council = agenda_item.council
    if dialogue is not None and council is None:
        council = dialogue.council
    if visibility == Thread.Visibility.COUNCIL_INTERNAL and council is None:
        raise ThreadError(_("Un hilo interno debe pertenecer a un consejo."), code="no_council")
    with transaction.atomic():
        thread = Thread(
            kind=kind,
            title=title,
            visibility=visibility,
            topic=topic,
            dialogue=dialogue,
            council=council,
            agenda_item=agenda_item,
            idea=idea,
        )
        full_clean(thread)
        thread.save()
    return thread


def agenda_item_create(
    *,
    council: Council,
    title: str,
    dialogue: Dialogue | None = None,
    meeting_date=None,
    visibility: str = Thread.Visibility.PUBLIC,
) -> Thread:
    """Add a point to a council meeting's agenda and open its thread."""
    with transaction.atomic():
        item = AgendaItem(
            council=council,
            dialogue=dialogue,
            title=clean_plain_text(title),
            meeting_date=meeting_date or (dialogue.date if dialogue else None),
        )
        full_clean(item)
        item.save()
        return thread_create(
            kind=Thread.Kind.AGENDA_ITEM,
            title=item.title,
            council=council,
            agenda_item=item,
            dialogue=dialogue,
            visibility=visibility,
        )


def thread_open(
    *,
    actor,
    council: Council | None,
    title: str,
    kind: str = Thread.Kind.COUNCIL,
    visibility: str = Thread.Visibility.PUBLIC,
    meeting_date=None,
    topic: Topic | None = None,
) -> Thread:
    """A council's secretary (or staff) opens a council or agenda-item thread; staff may also
    open a topic thread. Raises ThreadPermissionDenied otherwise."""
    if kind == Thread.Kind.TOPIC:
        if not (permissions._authenticated(actor) and actor.is_staff):
            raise ThreadPermissionDenied(_("Solo el equipo del foro puede abrir hilos de tema."))
        return thread_create(
            kind=kind, title=title, topic=topic, visibility=Thread.Visibility.PUBLIC
        )
    if (
        council is None
        or not permissions.councils_where_can_open_threads(actor).filter(pk=council.pk).exists()
    ):
        raise ThreadPermissionDenied(
            _("Solo la secretaría del consejo puede abrir hilos de ese consejo.")
        )
    if kind == Thread.Kind.AGENDA_ITEM:
        return agenda_item_create(
            council=council, title=title, meeting_date=meeting_date, visibility=visibility
        )
    return thread_create(
        kind=Thread.Kind.COUNCIL, title=title, council=council, visibility=visibility
    )


def thread_for_routed_idea(idea: Idea) -> None:
    """Every idea a council must answer gets a public thread where the debate goes on
    (registered with ``participation.handlers`` at start-up)."""
    thread_ensure_for_idea(idea=idea)


def thread_ensure_for_idea(*, idea: Idea) -> Thread:
    """The public thread of an idea, created on first call (idempotent, race-safe: the thread's
    idea is unique, so of two first calls at once one creates it and the other uses it).

    Called when an idea is routed to a council and by the first message of an idea's
    conversation (``idea_post_create``); never by a page view.
    """
    existing = Thread.objects.filter(idea=idea).first()
    if existing is not None:
        if idea.council_id and existing.council_id != idea.council_id:
            Thread.objects.filter(pk=existing.pk).update(council_id=idea.council_id)
            existing.council_id = idea.council_id
        return existing
    try:
        with transaction.atomic():
            return thread_create(**selectors.idea_thread_fields(idea))
    except (IntegrityError, ValidationError):
        # Someone else created it a moment ago (unique idea): use theirs.
        found = Thread.objects.filter(idea=idea).first()
        if found is None:
            raise
        return found


def idea_post_create(*, idea: Idea, author: Person, body: str) -> Post:
    """A message in an idea's conversation; the first one opens the idea's thread, in the same
    transaction, so a visit never writes and a refused or failed message leaves no empty thread.

    Raises what ``post_create`` raises (ThreadPermissionDenied / ThreadError), before writing.
    """
    user = _user_of(author)
    if user is None:
        raise ThreadPermissionDenied(_("Inicia sesión para escribir en este hilo."))
    if not permissions.can_post(user, selectors.idea_thread_preview(idea)):
        raise ThreadPermissionDenied(_("Esta idea ya no admite mensajes."))
    _clean_body(body)
    with transaction.atomic():
        thread = thread_ensure_for_idea(idea=idea)
        return post_create(thread=thread, author=author, body=body)


# ---------------------------------------------------------------- posts


def _user_of(person: Person):
    return person.user if person.user_id else None


def _clean_body(body: str) -> str:
    body = clean_plain_text(body)
    if not body:
        raise ThreadError(_("Escribe un mensaje: el texto no puede quedar vacío."), code="empty")
    if len(body) > POST_MAX_LENGTH:
        raise ThreadError(
            _(
                "Tu mensaje tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo o divídelo en "
                "dos mensajes: no hemos guardado nada todavía."
            )
            % {"n": len(body), "max": POST_MAX_LENGTH},
            code="too_long",
        )
    return body


def _followers_to_notify(thread: Thread, exclude: set[int]) -> list[Person]:
    people = [
        f.person
        for f in Follow.objects.filter(thread=thread).select_related("person", "person__user")
        if f.person_id not in exclude
    ]
    if thread.is_internal and thread.council_id is not None:
        # Someone whose membership ended keeps the Follow row but must not read internal posts.
        today = timezone.localdate()
        members = set(
            Membership.objects.filter(council_id=thread.council_id, term_start__lte=today)
            .exclude(term_end__lt=today)
            .values_list("person_id", flat=True)
        )
        people = [p for p in people if p.pk in members or (p.user and p.user.is_staff)]
    return people


def post_create(
    *,
    thread: Thread,
    author: Person,
    body: str,
    reply_to: Post | None = None,
    is_minutes: bool = False,
) -> Post:
    """Publish a post (or a reply, or a council secretary's minutes) in ``thread``.

    Raises ThreadPermissionDenied / ThreadError with a message for the person. Side effects: the
    author follows the thread; followers get THREAD_POST and the replied author THREAD_REPLY in
    the outbox (same transaction); ``post.created`` on ``thread.<id>`` after commit.
    """
    user = _user_of(author)
    if not permissions.can_post(user, thread):
        if user is None:
            raise ThreadPermissionDenied(_("Inicia sesión para escribir en este hilo."))
        raise ThreadPermissionDenied(
            _("Solo quienes integran este consejo pueden escribir en este hilo.")
        )
    if is_minutes and not permissions.can_post_minutes(user, thread):
        raise ThreadPermissionDenied(
            _("Solo la secretaría del consejo puede publicar el acta de una reunión.")
        )
    body = _clean_body(body)
    if reply_to is not None and reply_to.thread_id != thread.pk:
        raise ThreadError(
            _("Solo puedes responder a un mensaje de este mismo hilo."), code="bad_reply"
        )
    if reply_to is not None and reply_to.deleted_at is not None:
        raise ThreadError(
            _("Ese mensaje fue eliminado; ya no se puede responder."), code="reply_deleted"
        )
    with transaction.atomic():
        post = Post(
            thread=thread,
            author=author,
            body=body,
            body_html=render(body),
            reply_to=reply_to,
            is_minutes=is_minutes,
        )
        full_clean(post)
        post.save()
        Thread.objects.filter(pk=thread.pk).update(last_post_at=post.created_at)
        thread.last_post_at = post.created_at
        Follow.objects.get_or_create(thread=thread, person=author)

        facts: dict[str, Any] = {
            "thread_id": thread.pk,
            "thread_title": thread.title[:200],
            "post_id": post.pk,
            "excerpt": excerpt(body),
        }
        replied: Person | None = None
        if reply_to is not None and reply_to.author_id != author.pk:
            replied = reply_to.author
            notification_create_many(
                people=[replied], notice=ThreadReply(**facts), idea=thread.idea
            )
        exclude = {author.pk} | ({replied.pk} if replied else set())
        notification_create_many(
            people=_followers_to_notify(thread, exclude),
            notice=ThreadPost(**facts),
            idea=thread.idea,
        )
        events.publish_post_event(events.POST_CREATED, thread_id=thread.pk, post_id=post.pk)
    return post


def post_edit(*, post: Post, actor, body: str) -> Post:
    """The author changes a post's text; the previous text is kept as a PostRevision.

    Side effect: ``post.edited`` after commit.
    """
    if not permissions.can_edit(actor, post):
        raise ThreadPermissionDenied(_("Solo quien escribió un mensaje puede editarlo."))
    body = _clean_body(body)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if body == locked.body:
            return post
        PostRevision.objects.create(post=locked, body=locked.body)
        now = timezone.now()
        Post.objects.filter(pk=post.pk).update(
            body=body, body_html=render(body), edited_at=now, changed_at=now
        )
        post.body, post.body_html, post.edited_at = body, render(body), now
        events.publish_post_event(events.POST_EDITED, thread_id=post.thread_id, post_id=post.pk)
    return post


def post_delete(*, post: Post, actor) -> Post:
    """The author deletes a post: it shows as "mensaje eliminado"; replies keep their place."""
    if not permissions.can_delete(actor, post):
        raise ThreadPermissionDenied(_("Solo quien escribió un mensaje puede eliminarlo."))
    with transaction.atomic():
        now = timezone.now()
        Post.objects.filter(pk=post.pk).update(deleted_at=now, changed_at=now)
        post.deleted_at = now
        events.publish_post_event(events.POST_DELETED, thread_id=post.thread_id, post_id=post.pk)
    return post


def post_hide(*, post: Post, actor, reason: str) -> Post:
    """A moderator hides a post with a public reason; the content is kept for review.

    Goes through the moderation service (audit row, the author's notification, the moderators'
    queue event, registered in ``handlers``) and then tells the thread's open pages
    (``post.hidden`` after commit).
    """
    if not permissions.can_moderate(actor):
        raise ThreadPermissionDenied(_("Solo el equipo de moderación puede ocultar mensajes."))
    # Participation's one rule for a hide reason (required, one line, refused whole if long).
    reason = participation_services.hide_reason_clean(reason, error=ThreadError)
    with transaction.atomic():
        handlers.hide(post=post, actor=actor, reason=reason)
        Post.objects.filter(pk=post.pk).update(hidden_by=actor)
        post.hidden_by = actor
    return post


def post_restore(*, post: Post, actor, reason: str = "") -> Post:
    """A moderator shows a hidden post again (audited by the moderation service)."""
    if not permissions.can_moderate(actor):
        raise ThreadPermissionDenied(_("Solo el equipo de moderación puede restaurar mensajes."))
    reason = clean_plain_text(reason) or _("Revisado por moderación.")
    with transaction.atomic():
        handlers.restore(post=post, actor=actor, reason=reason)
        Post.objects.filter(pk=post.pk).update(hidden_by=None)
        post.hidden_by = None
    return post


# ---------------------------------------------------------------- follows


def thread_follow(*, thread: Thread, person: Person) -> Follow:
    user = _user_of(person)
    if not permissions.can_view(user, thread):
        raise ThreadPermissionDenied(_("No tienes acceso a este hilo."))
    follow, _created = Follow.objects.get_or_create(thread=thread, person=person)
    return follow


def thread_unfollow(*, thread: Thread, person: Person) -> bool:
    deleted, _detail = Follow.objects.filter(thread=thread, person=person).delete()
    return bool(deleted)


def follow_erase_all(*, person: Person) -> None:
    """Erasure (``participation.privacy``): they stop following every thread; their posts stay,
    by an anonymous person. Runs inside the erasure's transaction."""
    Follow.objects.filter(person=person).delete()
