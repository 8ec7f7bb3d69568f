"""Writing notifications into the outbox (always inside the caller's transaction)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from forum.participation.handlers import StatusChanged
from forum.participation.models import Idea, Person
from forum.participation.services import idea_recipient_ids

from . import kinds, registry
from .models import Delivery, Notification


def _deliveries_for(person: Person, notification: Notification) -> list[Delivery]:
    now = timezone.now()
    rows = [Delivery(notification=notification, channel="inbox", available_at=now)]
    if person.erased_at is not None:
        return rows
    if person.email and person.email_notifications and registry.get_channel("email"):
        rows.append(
            Delivery(
                notification=notification, channel="email", address=person.email, available_at=now
            )
        )
    for identity in person.identities.all():
        if identity.unreachable_at is not None:
            continue
        for spec in registry.channels().values():
            if spec.identity_channel == identity.channel:
                rows.append(
                    Delivery(
                        notification=notification,
                        channel=spec.name,
                        address=identity.external_id,
                        available_at=now,
                    )
                )
    return rows


def notification_create_many(
    *,
    people: Iterable[Person] = (),
    notice: kinds.Notice,
    idea: Idea | None = None,
    person_ids: Iterable[int] = (),
) -> list[Notification]:
    """Write one notification of ``notice``'s kind and payload (and its deliveries) per distinct
    person (given as ``people`` or by ``person_ids``), in the current transaction.

    Side effect: the outbox worker is woken after commit; nothing is sent before that.
    """
    unique = {p.pk for p in people if p is not None} | set(person_ids)
    if not unique:
        return []
    persons = list(Person.objects.filter(pk__in=unique).prefetch_related("identities"))
    kind, payload = notice.kind, notice.to_payload()
    # Inside the caller's transaction no savepoint is needed: a failure here fails the caller.
    with transaction.atomic(savepoint=False):
        notes = Notification.objects.bulk_create(
            [Notification(person=p, kind=kind, idea=idea, payload=payload) for p in persons]
        )
        deliveries: list[Delivery] = []
        for note, person in zip(notes, persons, strict=True):
            deliveries.extend(_deliveries_for(person, note))
        Delivery.objects.bulk_create(deliveries)
    return notes


def notify_status_changed(event: StatusChanged) -> None:
    """Every author, co-author and supporter hears of a status change (registered with
    ``participation.handlers`` at start-up; runs inside the change's transaction)."""
    if not event.notify:
        return
    idea = event.idea
    notification_create_many(
        person_ids=idea_recipient_ids(idea),
        idea=idea,
        notice=kinds.StatusChanged(
            code=idea.tracking_code,
            title=idea.title[:200],
            from_status=event.from_status,
            to_status=event.to_status,
            message=event.public_message[:1000],
            # A system message is rendered in each recipient's language (kinds.py).
            system_message=event.system_message,
            system_params=event.system_params if event.system_message else {},
            change_id=event.change.pk,
        ),
    )


def notification_erase_all(*, person: Person) -> None:
    """Erasure (``participation.privacy``): their notices go, with the deliveries not sent yet,
    so nothing more reaches them. Runs inside the erasure's transaction."""
    Notification.objects.filter(person=person).delete()


def notification_mark_read(*, person: Person, notification_ids: Iterable[int] | None = None) -> int:
    qs = Notification.objects.filter(person=person, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def delivery_retry_now(*, deliveries: Iterable[Delivery | int]) -> int:
    """Put deliveries (objects or ids) back in the queue, due now (admin "reintentar ahora").
    Rows being sent right now are left alone: their worker holds a lease on them."""
    ids = [getattr(d, "pk", d) for d in deliveries]
    return (
        Delivery.objects.filter(pk__in=ids)
        .exclude(status=Delivery.Status.SENDING)
        .update(
            status=Delivery.Status.PENDING,
            available_at=timezone.now(),
            leased_until=None,
            lease_token="",
        )
    )
