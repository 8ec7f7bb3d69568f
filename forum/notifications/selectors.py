"""Reads of the notification inbox, and the outbox at a glance for the health endpoint."""

from __future__ import annotations

import datetime as dt
from typing import Any, NamedTuple

from django.db.models import Count, Min, Q, QuerySet

from forum.core import health
from forum.participation.models import Person

from .models import Delivery, Notification


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


class OutboxBacklog(NamedTuple):
    due: int
    oldest_due_at: dt.datetime | None
    failed: int


def outbox_backlog(*, now: dt.datetime) -> OutboxBacklog:
    """Deliveries a worker should be sending now and is not: pending and due, or left
    ``sending`` by a worker whose lease ran out (what ``OutboxWorker`` claims), with the time
    the oldest became due; and those that failed for good. Two indexed queries."""
    S = Delivery.Status
    due = Delivery.objects.filter(
        Q(status=S.PENDING, available_at__lte=now) | Q(status=S.SENDING, leased_until__lt=now)
    ).aggregate(count=Count("id"), oldest=Min("available_at"))
    failed = Delivery.objects.filter(status=S.FAILED).count()
    return OutboxBacklog(due=due["count"], oldest_due_at=due["oldest"], failed=failed)


def outbox_health(now: dt.datetime) -> dict[str, Any]:
    """The outbox's figures in ``/salud/`` (registered with ``core.health`` at start-up)."""
    backlog = outbox_backlog(now=now)
    return {
        "due": backlog.due,
        "oldest_due_seconds": health.age_seconds(now, backlog.oldest_due_at),
        "failed": backlog.failed,
    }
