"""Writes of the bots app: conversations, consent, inbound updates, outgoing messages.

Domain writes (ideas, supports, preferences) go through :mod:`forum.participation.services`;
this module only adds what belongs to the bots (and the consent of a bot participant). A
person's erasure is :func:`forum.participation.privacy.person_erase`; the bots' part of it is in
:mod:`.privacy`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from forum.core.text import clean_name
from forum.participation.models import ChannelIdentity, Person

from . import queues, states
from .messages import Incoming, Reply
from .models import ChatMessage, Conversation, InboundUpdate

log = logging.getLogger(__name__)

MAX_UPDATE_ATTEMPTS = queues.MAX_UPDATE_ATTEMPTS


# ---------------------------------------------------------------- conversations


def conversation_lock(
    *, incoming: Incoming, received_at: dt.datetime | None = None
) -> Conversation:
    """The conversation of ``incoming``'s chat, created on first contact (channel id only) and
    locked for the rest of the caller's transaction, so two updates of one chat run one after
    the other. ``incoming.person_id`` (a signed-in web user) links it to that person.
    ``received_at``: when the participant's message reached us (opens WhatsApp's 24-hour
    window for free-text pushes)."""
    assert transaction.get_connection().in_atomic_block, "call inside transaction.atomic"
    channel, external_id = incoming.channel, incoming.external_id
    person_id = incoming.person_id
    language = hint_language(incoming.language_hint) or "es"
    conv = (
        Conversation.objects.select_for_update()
        .filter(channel=channel, external_id=external_id)
        .first()
    )
    if conv is None:
        try:
            with transaction.atomic():
                Conversation.objects.create(
                    channel=channel, external_id=external_id, language=language
                )
        except IntegrityError:
            pass  # created concurrently: fine, lock the winner's row below
        conv = Conversation.objects.select_for_update().get(
            channel=channel, external_id=external_id
        )
    web_person = (
        Person.objects.filter(pk=person_id, erased_at__isnull=True).first()
        if person_id is not None and conv.person_id is None
        else None
    )
    if web_person is not None:
        # A signed-in web user consented when creating the account (not if they erased it).
        conv.person = web_person
        conv.state = states.IDLE
        conv.save(update_fields=["person", "state", "updated_at"])
    elif conv.person_id is not None:
        conv.person = Person.objects.select_related("region").get(pk=conv.person_id)
    elif incoming.language_hint and conv.language != language:
        # Not consented yet: follow the platform's current language (the web chat page's, a
        # Telegram user's app), so the privacy notice is asked in a language they read.
        # Saved with the conversation's state by ``conversation_save``.
        conv.language = language
    if received_at is not None and (
        conv.last_inbound_at is None or received_at > conv.last_inbound_at
    ):
        conv.last_inbound_at = received_at
        Conversation.objects.filter(pk=conv.pk).update(last_inbound_at=received_at)
    return conv


def hint_language(hint: str) -> str:
    """A platform's language hint (``en-US``, ``es``, ``pt-br``) as one of the site's languages;
    a language the site does not offer gives Spanish, no hint gives ""."""
    code = (hint or "").strip().lower().replace("_", "-").split("-", 1)[0]
    if not code:
        return ""
    return code if code in dict(settings.LANGUAGES) else "es"


def conversation_save(conversation: Conversation) -> None:
    conversation.save(update_fields=["state", "data", "language", "updated_at"])


def conversation_consent(*, conversation: Conversation, display_name: str = "") -> Person:
    """Accepting the privacy notice: only now a Person and the ChannelIdentity are created."""
    with transaction.atomic():
        identity = (
            ChannelIdentity.objects.select_related("person")
            .filter(channel=conversation.channel, external_id=conversation.external_id)
            .first()
        )
        if identity is not None and identity.person.erased_at is None:
            person = identity.person
            if person.consent_at is None:
                person.consent_at = timezone.now()
                person.save(update_fields=["consent_at"])
        else:
            if identity is not None:
                identity.delete()
            person = Person.objects.create(
                display_name=clean_name(display_name),
                language=conversation.language,
                consent_at=timezone.now(),
            )
            ChannelIdentity.objects.create(
                person=person,
                channel=conversation.channel,
                external_id=conversation.external_id,
            )
        conversation.person = person
        conversation.save(update_fields=["person", "updated_at"])
    return person


# ---------------------------------------------------------------- messages


def _reply_extra(reply: Reply, extra: dict[str, Any]) -> dict[str, Any]:
    if reply.refused_too_long:
        extra[ChatMessage.REFUSED_TOO_LONG] = True
    return extra


def messages_queue(
    *,
    conversation: Conversation,
    replies: Iterable[Reply],
    delivered: bool = False,
    extra: dict[str, Any] | None = None,
    lease_seconds: float = 0,
) -> list[ChatMessage]:
    """Write the bot's replies. ``delivered`` for the web chat (shown from the database);
    otherwise they are ``pending`` until the platform accepted them, leased for
    ``lease_seconds`` to the caller that is about to send them."""
    now = timezone.now()
    available = now + dt.timedelta(seconds=lease_seconds)
    rows = [
        ChatMessage(
            conversation=conversation,
            direction=ChatMessage.Direction.OUT,
            text=r.text,
            buttons=[{"label": b.label, "data": b.data} for b in r.buttons],
            extra=_reply_extra(r, dict(extra or {}) if i == 0 else {}),
            status=ChatMessage.Status.SENT if delivered else ChatMessage.Status.PENDING,
            available_at=available,
            sent_at=now if delivered else None,
        )
        for i, r in enumerate(replies)
    ]
    if not rows and extra:
        # Nothing to say, but the platform expects an acknowledgement (Telegram callback).
        rows = [
            ChatMessage(
                conversation=conversation,
                text="",
                extra=dict(extra),
                status=ChatMessage.Status.PENDING,
                available_at=available,
            )
        ]
    return ChatMessage.objects.bulk_create(rows)


def message_record_incoming(*, conversation: Conversation, text: str) -> ChatMessage | None:
    """Keep what the person wrote in the web chat history — only once they consented."""
    if conversation.person_id is None or not text:
        return None
    return ChatMessage.objects.create(
        conversation=conversation,
        direction=ChatMessage.Direction.IN,
        text=text[:5000],
        status=ChatMessage.Status.SENT,
        sent_at=timezone.now(),
    )


def message_mark_sent(message: ChatMessage) -> None:
    ChatMessage.objects.filter(pk=message.pk).update(
        status=ChatMessage.Status.SENT, sent_at=timezone.now(), attempts=message.attempts + 1
    )


def message_mark_retry(message: ChatMessage, *, error: str, delay: float | None = None) -> None:
    """A send failed for now: due again after ``delay`` or the backoff; dead at the limit."""
    queues.REPLIES.retry(message.pk, attempts=message.attempts + 1, error=error, delay=delay)


def message_mark_failed(message: ChatMessage, *, error: str) -> None:
    """A send failed for good (blocked, refused): the dead letter, never retried."""
    queues.REPLIES.bury(message.pk, attempts=message.attempts + 1, error=error)


# ---------------------------------------------------------------- inbound updates


def update_store(*, platform: str, update_id: str, payload: Any) -> InboundUpdate | None:
    """Store an update durably. Returns None when this update id was already stored (a
    redelivery, possibly concurrent): the unique constraint decides, so it is processed once.

    One ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` (PostgreSQL, SQLite ≥ 3.35): a single
    round trip and a single commit on the webhook's hot path, and no IntegrityError that would
    break a caller's transaction.
    """
    now = timezone.now()
    table = connection.ops.quote_name(InboundUpdate._meta.db_table)
    cast = "::jsonb" if connection.vendor == "postgresql" else ""
    sql = (
        f"INSERT INTO {table} (platform, update_id, payload, status, attempts, available_at, "  # noqa: S608
        f"error, created_at) VALUES (%s, %s, %s{cast}, %s, 0, %s, '', %s) "
        "ON CONFLICT (platform, update_id) DO NOTHING RETURNING id"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [
                platform,
                str(update_id)[:128],
                json.dumps(payload),
                InboundUpdate.Status.PENDING,
                stamp,
                stamp,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return InboundUpdate(
        pk=row[0],
        platform=platform,
        update_id=str(update_id)[:128],
        payload=payload,
        available_at=now,
        created_at=now,
    )


def update_process(
    *, update_pk: int, handler: Callable[[InboundUpdate], list[ChatMessage]]
) -> list[ChatMessage] | None:
    """Run ``handler`` on a stored update exactly once, in one transaction with everything it
    writes (conversation state, ideas, queued replies), under the row lock
    (:meth:`forum.core.jobs.Queue.run_locked`). Returns the queued messages, or None if the
    update was already processed (or is being processed, or failed: then it is retried with
    backoff by ``manage.py work``). A database outage is raised (nothing was written): the
    worker waits for the database and takes the update again."""
    ran, queued = queues.UPDATES.run_locked(update_pk, handler)
    return queued if ran else None


def updates_due(*, limit: int = 100) -> list[int]:
    """Updates to process, oldest first: every pending one (the webhooks only store them) and
    the failed ones whose backoff passed."""
    now = timezone.now()
    return list(queues.UPDATES.due(now).order_by("id").values_list("pk", flat=True)[:limit])


def conversation_forget_person(*, person: Person) -> None:
    """Erasure (``participation.privacy``): the chat history goes and each conversation starts
    over, keeping only the chat id, as before consent: writing again asks for consent anew.
    Runs inside the erasure's transaction."""
    for conv in Conversation.objects.select_for_update().filter(person=person):
        conv.messages.all().delete()
        conv.person = None
        conv.state = states.NEW
        conv.data = {}
        conv.last_inbound_at = None
        conv.save(update_fields=["person", "state", "data", "last_inbound_at", "updated_at"])
