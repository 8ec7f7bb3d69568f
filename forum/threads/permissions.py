"""Who may read, post, write minutes, edit and moderate in a thread.

Public threads are readable by anyone; council-internal ones only by that council's active
members and staff. Posting needs a login and, in a council's own threads (council, agenda item
or internal), membership. Minutes are for the council's secretary or staff.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from forum.participation.models import Council, Membership

# The one "may moderate?" predicate lives in participation.permissions; asked from here too.
from forum.participation.permissions import can_moderate as can_moderate

from .models import Post, Thread

COUNCIL_KINDS = {Thread.Kind.COUNCIL, Thread.Kind.AGENDA_ITEM}


def _authenticated(user: Any) -> bool:
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", True)
    )


def active_memberships(user: Any, council_id: int, *, today: dt.date | None = None):
    today = today or timezone.localdate()
    return Membership.objects.filter(
        council_id=council_id,
        person__user=user,
        term_start__lte=today,
    ).exclude(term_end__lt=today)


def is_council_member(user: Any, council_id: int | None) -> bool:
    if not _authenticated(user) or council_id is None:
        return False
    return active_memberships(user, council_id).exists()


def is_council_secretary(user: Any, council_id: int | None) -> bool:
    if not _authenticated(user) or council_id is None:
        return False
    return active_memberships(user, council_id).filter(role=Membership.Role.SECRETARY).exists()


def can_view(user: Any, thread: Thread) -> bool:
    if thread.idea is not None and thread.idea.hidden_at is not None:
        # An idea moderation hid takes its conversation with it, except for the team.
        return _authenticated(user) and bool(user.is_staff)
    if thread.visibility == Thread.Visibility.PUBLIC:
        return True
    if not _authenticated(user):
        return False
    return bool(user.is_staff) or is_council_member(user, thread.council_id)


def needs_membership(thread: Thread) -> bool:
    return thread.is_internal or thread.kind in COUNCIL_KINDS


def can_post(user: Any, thread: Thread) -> bool:
    if not _authenticated(user) or not can_view(user, thread):
        return False
    if needs_membership(thread):
        return bool(user.is_staff) or is_council_member(user, thread.council_id)
    return True


def can_post_minutes(user: Any, thread: Thread) -> bool:
    if not _authenticated(user) or thread.council_id is None:
        return False
    return bool(user.is_staff) or is_council_secretary(user, thread.council_id)


def is_author(user: Any, post: Post) -> bool:
    return _authenticated(user) and post.author.user_id == user.pk


def can_edit(user: Any, post: Post) -> bool:
    return post.is_visible and is_author(user, post)


def can_delete(user: Any, post: Post) -> bool:
    return post.deleted_at is None and is_author(user, post)


def councils_where_can_open_threads(user: Any):
    """Councils in which ``user`` may open council and agenda-item threads."""

    if not _authenticated(user):
        return Council.objects.none()
    if user.is_staff:
        return Council.objects.all()
    today = timezone.localdate()
    ids = (
        Membership.objects.filter(
            person__user=user, role=Membership.Role.SECRETARY, term_start__lte=today
        )
        .exclude(term_end__lt=today)
        .values("council_id")
    )
    return Council.objects.filter(pk__in=ids)
