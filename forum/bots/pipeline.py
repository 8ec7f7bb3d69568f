"""From a stored platform update to sent replies.

1. ``services.update_store`` (in the webhook, before answering 200): durable, unique per id.
   The webhook does nothing else.
2. The worker (``manage.py work``, kind ``updates``: :class:`UpdatesJob`) takes every stored
   update; :func:`process` runs the adapter + engine once, in one transaction with the replies
   it queues (``ChatMessage`` rows, *leased* to that worker for ``REPLY_LEASE`` seconds), under
   the update's row lock, so two workers never process one update twice.
3. The same worker sends them at once (:func:`deliver_sync`). Whatever fails stays in the
   database: failed updates come back with backoff, and kind ``replies`` (:class:`RepliesJob`)
   resends unsent replies once their lease or backoff ran out.

Latency: an idle worker looks for new updates every :attr:`UpdatesJob.poll_interval` seconds
(0.1), so a reply leaves about 0.1 s + the engine's time + the platform's API call after the
webhook stored the update. ``runbot`` (polling mode, no webhook) processes in its own process
and sends with :func:`deliver_async`.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from asgiref.sync import sync_to_async
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from forum.participation import services as participation_services

from . import engine, queues, services, states, telegram, whatsapp
from .messages import Incoming, Kind, Reply, split_text
from .models import ChatMessage, Conversation, InboundUpdate

log = logging.getLogger(__name__)

REPLY_LEASE = dt.timedelta(seconds=60)
LIMITS = {"telegram": telegram.TEXT_LIMIT, "whatsapp": whatsapp.TEXT_LIMIT}


def split_replies(replies: Iterable[Reply], limit: int) -> list[Reply]:
    out: list[Reply] = []
    for reply in replies:
        chunks = split_text(reply.text, limit)
        out += [Reply(chunk) for chunk in chunks[:-1]]
        out.append(Reply(chunks[-1], reply.buttons))
    return out


def _handle(upd: InboundUpdate) -> list[ChatMessage]:
    if upd.platform == telegram.PLATFORM:
        incoming, side = telegram.to_incoming(upd.payload)
    elif upd.platform == whatsapp.PLATFORM:
        incoming, side = whatsapp.to_incoming(upd.payload)
    else:
        return []
    if side.get("blocked"):
        participation_services.identity_mark_unreachable(
            channel=upd.platform, external_id=side["blocked"]
        )
    if side.get("unblocked"):
        participation_services.identity_mark_reachable(
            channel=upd.platform, external_id=side["unblocked"]
        )
    if incoming is None:
        return []
    if not incoming.is_group:
        participation_services.identity_mark_reachable(
            channel=upd.platform, external_id=incoming.external_id
        )
    conv = services.conversation_lock(incoming=incoming, received_at=upd.created_at)
    replies = split_replies(engine.handle_locked(conv, incoming), LIMITS[upd.platform])
    extra = (
        {"callback_query_id": side["callback_query_id"]} if side.get("callback_query_id") else None
    )
    # Leased to whoever processed the update; the worker takes them only if that one dies.
    messages = services.messages_queue(
        conversation=conv,
        replies=replies,
        extra=extra,
        lease_seconds=REPLY_LEASE.total_seconds(),
    )
    for m in messages:
        m.conversation = conv
    return messages


def process(update_pk: int) -> list[ChatMessage]:
    """Process a stored update once; returns the replies to send now (possibly none)."""
    return services.update_process(update_pk=update_pk, handler=_handle) or []


# ---------------------------------------------------------------- sending


def _record(message: ChatMessage, outcome: str, delay: float | None, error: str) -> None:
    conv = message.conversation
    if outcome == telegram.SendOutcome.SENT:
        services.message_mark_sent(message)
    elif outcome == telegram.SendOutcome.RETRY:
        services.message_mark_retry(message, error=error, delay=delay)
    elif outcome == telegram.SendOutcome.BLOCKED:
        services.message_mark_failed(message, error=error)
        participation_services.identity_mark_unreachable(
            channel=conv.channel, external_id=conv.external_id
        )
    else:
        services.message_mark_failed(message, error=error)


def _send_whatsapp(message: ChatMessage) -> tuple[str, float | None, str]:
    conv = message.conversation
    return whatsapp.send_reply(conv.external_id, message.text, message.buttons)


def record_all(outcomes: list[tuple[ChatMessage, tuple[str, float | None, str]]]) -> None:
    """Write the outcomes of one batch of sends in one transaction (one commit, not one per
    message: on SQLite every commit is an fsync)."""
    with transaction.atomic():
        sent = [m.pk for m, result in outcomes if result[0] == telegram.SendOutcome.SENT]
        if sent:
            ChatMessage.objects.filter(pk__in=sent).update(
                status=ChatMessage.Status.SENT, sent_at=timezone.now(), attempts=F("attempts") + 1
            )
        for message, result in outcomes:
            if result[0] != telegram.SendOutcome.SENT:
                _record(message, *result)


Outcome = tuple[str, float | None, str]


async def send_all(messages: list[ChatMessage]) -> list[tuple[ChatMessage, Outcome]]:
    """Send queued replies in order; stop a conversation at its first failure (order kept)."""
    stopped: set[int] = set()
    outcomes: list[tuple[ChatMessage, Outcome]] = []
    for message in messages:
        if message.conversation_id in stopped:
            continue
        if message.conversation.channel == telegram.PLATFORM:
            outcome = await telegram.send(
                message.conversation.external_id,
                message.text,
                message.buttons,
                message.extra.get("callback_query_id"),
            )
        else:
            outcome = await sync_to_async(_send_whatsapp, thread_sensitive=False)(message)
        outcomes.append((message, outcome))
        if outcome[0] != telegram.SendOutcome.SENT:
            stopped.add(message.conversation_id)
    return outcomes


async def deliver_async(messages: list[ChatMessage]) -> None:
    outcomes = await send_all(messages)
    if outcomes:
        await sync_to_async(record_all)(outcomes)


def deliver_sync(messages: list[ChatMessage], *, acknowledge: bool = False) -> None:
    """Send queued replies in order, stopping a conversation at its first failure (order kept),
    then write the outcomes in one transaction (:func:`record_all`). ``acknowledge``: also
    answer the Telegram button press the replies answer (fresh replies; after a crash or a
    backoff the press is too old for Telegram to accept an answer)."""
    stopped: set[int] = set()
    outcomes: list[tuple[ChatMessage, Outcome]] = []
    for message in messages:
        if message.conversation_id in stopped:
            continue
        if message.conversation.channel == telegram.PLATFORM:
            callback = message.extra.get("callback_query_id") if acknowledge else None
            outcome = (
                telegram.send_sync(
                    message.conversation.external_id, message.text, message.buttons, callback
                )
                if message.text or callback
                else (telegram.SendOutcome.SENT, None, "")
            )
        else:
            outcome = _send_whatsapp(message)
        outcomes.append((message, outcome))
        if outcome[0] != telegram.SendOutcome.SENT:
            stopped.add(message.conversation_id)
    if outcomes:
        record_all(outcomes)


def claim_due_messages(limit: int = 200) -> list[ChatMessage]:
    """Pending replies whose lease or backoff ran out, oldest first, claimed for this worker
    (:meth:`forum.core.jobs.Queue.claim`); a conversation with an older unsent message is left
    for later so the order holds."""

    def in_order(rows: list[tuple]) -> list[tuple]:
        kept: list[tuple] = []
        for row in rows:
            older_unsent = (
                queues.REPLIES.rows()
                .filter(conversation_id=row[3], status=ChatMessage.Status.PENDING, id__lt=row[0])
                .exclude(pk__in=[k[0] for k in kept])
                .exists()
            )
            if not older_unsent:
                kept.append(row)
        return kept

    claim = queues.REPLIES.claim(
        limit=limit,
        lease_seconds=REPLY_LEASE.total_seconds(),
        columns=("conversation_id",),
        keep=in_order,
    )
    return list(
        ChatMessage.objects.filter(pk__in=claim.ids).select_related("conversation").order_by("id")
    )


class UpdatesJob:
    """``manage.py work --kind updates``: process every stored update (new ones, and failed
    ones whose backoff passed) and send its replies at once. The webhooks only store updates,
    so without this job nobody answers on Telegram or WhatsApp."""

    # Seconds between looks for new updates while idle: a person waits for the reply.
    poll_interval = 0.1

    def step(self) -> int:
        processed = 0
        for pk in services.updates_due():
            messages = services.update_process(update_pk=pk, handler=_handle)
            if messages is None:
                continue  # done already, taken by another worker, or failed (retried later)
            processed += 1
            if messages:
                deliver_sync(messages, acknowledge=True)
        return processed

    def stop(self) -> None:
        pass

    def close(self) -> None:
        pass


class RepliesJob(UpdatesJob):
    """``manage.py work --kind replies``: resend replies whose sender died or failed."""

    poll_interval = 0.5

    def step(self) -> int:
        messages = claim_due_messages()
        if messages:
            deliver_sync(messages)
        return len(messages)


# ---------------------------------------------------------------- web chat


def webchat_handle(incoming: Incoming) -> list[ChatMessage]:
    """Web chat: run the engine and keep both sides in the chat history (after consent)."""
    with transaction.atomic():
        conv = services.conversation_lock(incoming=incoming)
        shown: list[ChatMessage] = []
        if incoming.kind == Kind.TEXT:
            mine = services.message_record_incoming(conversation=conv, text=incoming.text)
            if mine is not None:
                shown.append(mine)
        replies = engine.handle_locked(conv, incoming)
        if incoming.kind == Kind.BUTTON and conv.person_id is not None:
            label = incoming.extra.get("label")
            if label:
                services.message_record_incoming(conversation=conv, text=f"» {label}")
        shown += services.messages_queue(conversation=conv, replies=replies, delivered=True)
    return shown


def webchat_open(*, external_id: str, person_id: int | None, language: str) -> list[ChatMessage]:
    """The chat page was opened in ``language``. If the consent question is still waiting in
    another language (the person switched the site's language since), ask it again in this one,
    so nobody has to accept a privacy notice in a language they did not choose."""
    conv = webchat_conversation(external_id)
    if (
        not language
        or person_id is not None
        or conv is None
        or conv.person_id is not None
        or conv.state != states.AWAITING_CONSENT
        or conv.language == language
    ):
        return []
    return webchat_handle(
        Incoming(
            channel="webchat",
            external_id=external_id,
            kind=Kind.BUTTON,
            data="start",
            language_hint=language,
        )
    )


def webchat_conversation(external_id: str) -> Conversation | None:
    return Conversation.objects.filter(channel="webchat", external_id=external_id).first()
