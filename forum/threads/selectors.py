"""Reads of threads and posts (querysets for pages, plain dicts for the WebSocket)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.participation.models import Idea, Membership, Person

from . import permissions
from .markdown import excerpt, html_to_tree
from .models import Follow, Post, PostRevision, Thread

RESUME_LIMIT = 500


def threads_visible_to(
    user: Any, *, council_slug: str = "", topic_slug: str = "", kind: str = ""
) -> QuerySet[Thread]:
    qs = Thread.objects.select_related("council", "topic", "idea", "agenda_item").annotate(
        post_count=Count(
            "posts", filter=Q(posts__deleted_at__isnull=True, posts__hidden_at__isnull=True)
        )
    )
    if not (getattr(user, "is_authenticated", False) and user.is_staff):
        public = Q(visibility=Thread.Visibility.PUBLIC)
        if getattr(user, "is_authenticated", False):
            today = timezone.localdate()
            member_of = (
                Membership.objects.filter(person__user=user, term_start__lte=today)
                .exclude(term_end__lt=today)
                .values("council_id")
            )
            public |= Q(council_id__in=member_of)
        qs = qs.filter(public).exclude(idea__hidden_at__isnull=False)
    if council_slug:
        qs = qs.filter(council__slug=council_slug)
    if topic_slug:
        qs = qs.filter(topic__slug=topic_slug)
    if kind:
        qs = qs.filter(kind=kind)
    # Meta.ordering is not applied to GROUP BY queries: order explicitly.
    return qs.order_by(F("last_post_at").desc(nulls_last=True), "-id")


def thread_get(thread_id: int) -> Thread | None:
    return (
        Thread.objects.select_related("council", "topic", "idea", "agenda_item", "dialogue")
        .filter(pk=thread_id)
        .first()
    )


def thread_for_socket(thread_id: int) -> Thread | None:
    """The thread with only the related row posting needs (its idea, for notifications).

    Access checks and ``post_create`` read ids and plain fields; the page's five joins cost
    ~1.5 ms of ORM work on every post and connection over the socket.
    """
    return Thread.objects.select_related("idea").filter(pk=thread_id).first()


def thread_for_idea(idea: Idea) -> Thread | None:
    """The idea's thread if its conversation has begun (read only: None otherwise)."""
    return Thread.objects.filter(idea=idea).first()


def idea_thread_fields(idea: Idea) -> dict[str, Any]:
    """What an idea's thread is made of: the service creates it from these, the page of a
    conversation not yet begun shows them."""
    return {
        "kind": Thread.Kind.IDEA,
        "title": idea.title,
        "idea": idea,
        "council": idea.council,
        "topic": idea.topic,
        "visibility": Thread.Visibility.PUBLIC,
    }


def idea_thread_preview(idea: Idea) -> Thread:
    """The thread an idea's first message will open, unsaved (for its page and the permission
    predicates, which read only its fields)."""
    return Thread(**idea_thread_fields(idea))


@dataclass(frozen=True)
class Access:
    thread_id: int
    can_view: bool
    can_post: bool


def thread_access(thread_id: int, user: Any) -> Access | None:
    """What ``user`` may do in thread ``thread_id`` (None: no such thread)."""
    thread = thread_for_socket(thread_id)
    if thread is None:
        return None
    return Access(thread.pk, permissions.can_view(user, thread), permissions.can_post(user, thread))


def thread_posts(thread: Thread) -> QuerySet[Post]:
    return (
        Post.objects.filter(thread=thread)
        .select_related("author", "reply_to", "reply_to__author")
        .annotate(revision_count=Count("revisions"))
        .order_by("id")
    )


def post_get(post_id: int) -> Post | None:
    return (
        Post.objects.select_related(
            "thread", "thread__council", "author", "reply_to", "reply_to__author"
        )
        .filter(pk=post_id)
        .first()
    )


def post_revisions(post: Post) -> QuerySet[PostRevision]:
    return PostRevision.objects.filter(post=post).order_by("-created_at", "-id")


def is_following(thread: Thread, person: Person | None) -> bool:
    return person is not None and Follow.objects.filter(thread=thread, person=person).exists()


def post_state(post: Post) -> str:
    if post.deleted_at is not None:
        return "deleted"
    if post.hidden_at is not None:
        return "hidden"
    return "visible"


def quote_of(post: Post) -> dict[str, Any] | None:
    """What a reply shows of the post it answers (nothing of a deleted or hidden one)."""
    target = post.reply_to
    if target is None:
        return None
    if not target.is_visible:
        return {"post_id": target.pk, "author": "", "text": _("mensaje no disponible")}
    return {"post_id": target.pk, "author": str(target.author), "text": excerpt(target.body)}


def post_payload(post: Post, event_type: str = "post.created") -> dict[str, Any]:
    """The JSON a client receives about one post: ids, state and rendered-safe content only."""
    state = post_state(post)
    visible = state == "visible"
    return {
        "type": event_type,
        "thread_id": post.thread_id,
        "post_id": post.pk,
        "author": str(post.author),
        "author_id": post.author_id,
        "created_at": post.created_at.isoformat(),
        "edited_at": post.edited_at.isoformat() if post.edited_at else None,
        "reply_to": post.reply_to_id,
        "quote": quote_of(post),
        "is_minutes": post.is_minutes,
        "state": state,
        "hidden_reason": post.hidden_reason if state == "hidden" else "",
        # Sanitised server-side (markdown-it without HTML + nh3 allow-list); the page's script
        # uses body_tree and never parses HTML.
        "body_html": post.body_html if visible else "",
        "body_tree": html_to_tree(post.body_html) if visible else [],
    }


def post_event_payload(post_id: int, event_type: str) -> dict[str, Any] | None:
    # Only what post_payload reads: one narrow query per post and process on every broadcast.
    post = (
        Post.objects.select_related("author", "reply_to", "reply_to__author")
        .filter(pk=post_id)
        .first()
    )
    return None if post is None else post_payload(post, event_type)


def thread_last_post_id(thread_id: int) -> int:
    """The id of the thread's newest post (0 when it has none)."""
    last = Post.objects.filter(thread_id=thread_id).order_by("-id").values_list("id", flat=True)
    return last.first() or 0


def posts_after_payloads(thread_id: int, after: int, limit: int = RESUME_LIMIT) -> list[dict]:
    """Every post of the thread with id > ``after``, in id order, as ``post.created`` payloads.

    Deleted and hidden posts are included with their state (no content), so a client's view
    ends up identical to a fresh page load.
    """
    posts = (
        Post.objects.filter(thread_id=thread_id, pk__gt=after)
        .select_related("author", "reply_to", "reply_to__author")
        .order_by("id")[:limit]
    )
    return [post_payload(p) for p in posts]


def posts_changed_payloads(
    thread_id: int, up_to: int, since: dt.datetime, limit: int = RESUME_LIMIT
) -> list[dict]:
    """Posts with id <= ``up_to`` edited, deleted, hidden or restored at or after ``since``.

    A reconnecting client already has these posts but missed their changes. The message type
    follows the current state (post.deleted, post.hidden or post.edited).
    """
    posts = (
        Post.objects.filter(thread_id=thread_id, pk__lte=up_to)
        .filter(
            Q(changed_at__gte=since)
            | Q(hidden_at__gte=since)  # hidden by the moderation service directly
            | Q(edited_at__gte=since)
            | Q(deleted_at__gte=since)
        )
        .select_related("author", "reply_to", "reply_to__author")
        .order_by("id")[:limit]
    )
    kinds = {"deleted": "post.deleted", "hidden": "post.hidden", "visible": "post.edited"}
    return [post_payload(p, kinds[post_state(p)]) for p in posts]


def idea_page_thread(request: HttpRequest, idea: Idea) -> dict[str, Any]:
    """The idea's public thread on its page, when the reader may see it (registered with
    ``participation.handlers`` at start-up)."""
    thread = thread_for_idea(idea)
    if thread is not None and not permissions.can_view(request.user, thread):
        return {"thread": None, "thread_url": None}
    # Every public idea has its conversation: one not yet begun shows its empty page and form.
    url = (
        reverse("threads:detail", args=[thread.pk])
        if thread is not None
        else reverse("threads:idea_thread", args=[idea.formatted_code])
    )
    return {"thread": thread, "thread_url": url}
