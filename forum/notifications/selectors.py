"""Reads of the notification inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from forum.participation.models import Person

from .models import Notification


def inbox(person: Person) -> QuerySet[Notification]:
    """The person's notifications, newest first, with what rendering needs already joined."""
    return (
        Notification.objects.filter(person=person)
        .select_related("idea")
        .order_by("-created_at", "-id")
    )


def unread_count(person: Person) -> int:
    return Notification.objects.filter(person=person, read_at__isnull=True).count()


def unread_count_for_user(user_id: int) -> int:
    """The same count from the signed-in user, in one query (the header shows it on every page)."""
    return Notification.objects.filter(person__user_id=user_id, read_at__isnull=True).count()
