"""Outbox delivery channels of the bots: ``telegram``, ``whatsapp``, ``webchat``.

The notifications worker calls ``sender(delivery)``; the text is rendered here, in the
person's language, from the notification's small payload. Platform answers map to the outbox's
contract: a flood limit or a server/network error → ``RetryLater`` (Telegram's ``retry_after``
as the delay), a user who blocked the bot → ``Unreachable`` (and the identity is marked so no
more deliveries are created for it).
"""

from __future__ import annotations

import datetime as dt
import time
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.ratelimit import SendLimiter
from forum.notifications.registry import RetryLater, Unreachable
from forum.notifications.render import render_notification
from forum.participation import services as participation_services
from forum.participation.codes import format_code

from . import services, telegram, whatsapp, whatsapp_templates
from .messages import Reply, split_text
from .models import Conversation

if TYPE_CHECKING:
    from forum.notifications.models import Delivery, Notification


# Platform limits for the parts after the first of a long message (the worker paced the first:
# registration in apps.py). Telegram: ~30/s overall, 1/s per chat; WhatsApp: 50/s overall.
TELEGRAM_RATE_PER_SECOND = float(getattr(settings, "TELEGRAM_RATE_PER_SECOND", 30))
TELEGRAM_PER_CHAT_INTERVAL = float(getattr(settings, "TELEGRAM_PER_CHAT_INTERVAL", 1.0))
WHATSAPP_RATE_PER_SECOND = float(getattr(settings, "WHATSAPP_RATE_PER_SECOND", 50))

# Shared by the worker's sender threads; blocks the calling thread briefly.
limiter = SendLimiter()


def _pace(channel: str, address: str, *, rate: float, interval: float | None = None) -> None:
    delay = limiter.pace(channel, address, rate=rate, interval=interval)
    if delay > 0:
        time.sleep(delay)


def push_buttons(notification: Notification) -> list[dict[str, str]]:
    """The notice's answer buttons (an invitation's «asistiré / no puedo / …»), in its person's
    language; none for most kinds."""
    rendered = render_notification(notification, notification.person.language or "es")
    return [{"label": label, "data": data} for label, data in rendered.buttons]


def render_push(notification: Notification) -> str:
    """The push text for one notification, in its person's language (the notifications app's
    renderer, shared with the inbox and e-mail, whose text ends with its «Ver más: <url>» line),
    plus a pointer to ``/estado``. The link is printed once."""
    language = notification.person.language or "es"
    rendered = render_notification(notification, language)
    parts = [rendered.text]
    code = rendered.tracking_code
    with translation.override(language):
        if code:
            parts.append(_("Más detalles: /estado %(code)s") % {"code": format_code(code)})
    return "\n".join(p for p in parts if p)


def _raise_for(outcome: str, delay: float | None, error: str, channel: str, address: str) -> None:
    if outcome == "sent":
        return
    if outcome == "retry":
        raise RetryLater(error, delay=delay)
    if outcome == "blocked":
        participation_services.identity_mark_unreachable(channel=channel, external_id=address)
        raise Unreachable(error)
    raise RuntimeError(error)


NOT_CONFIGURED_RETRY = 600.0


def telegram_sender(delivery: Delivery) -> None:
    if not telegram.configured():
        # Keep the push until a token is configured; never call Telegram with a fake token.
        raise RetryLater("TELEGRAM_BOT_TOKEN is not configured", delay=NOT_CONFIGURED_RETRY)
    text = render_push(delivery.notification)
    buttons = push_buttons(delivery.notification)
    chunks = split_text(text, telegram.TEXT_LIMIT)
    for n, chunk in enumerate(chunks):
        if n:
            _pace(
                "telegram",
                delivery.address,
                rate=TELEGRAM_RATE_PER_SECOND,
                interval=TELEGRAM_PER_CHAT_INTERVAL,
            )
        last = n == len(chunks) - 1
        outcome, delay, error = telegram.send_sync(
            delivery.address, chunk, buttons if last else None
        )
        _raise_for(outcome, delay, error, "telegram", delivery.address)


# WhatsApp's customer-service window: free text only within 24 hours of the participant's last
# message (a margin covers clock skew and the time the push waits in the outbox).
WHATSAPP_WINDOW = dt.timedelta(hours=24) - dt.timedelta(minutes=10)
# Outside the window with no template configured: try again later (the participant may write
# meanwhile, which reopens the window), until the outbox's attempts run out.
NO_TEMPLATE_RETRY = 3600.0


def whatsapp_window_open(address: str) -> bool:
    last = (
        Conversation.objects.filter(channel="whatsapp", external_id=address)
        .values_list("last_inbound_at", flat=True)
        .first()
    )
    return last is not None and timezone.now() - last < WHATSAPP_WINDOW


def whatsapp_sender(delivery: Delivery) -> None:
    """Free text inside the 24-hour window; otherwise (or when Meta answers 131047, window
    closed) the approved push template with the idea's code and the news in one line."""
    if not whatsapp.configured():
        raise RetryLater("WHATSAPP_ACCESS_TOKEN is not configured", delay=NOT_CONFIGURED_RETRY)
    address = delivery.address
    if whatsapp_window_open(address):
        text = render_push(delivery.notification)
        buttons = push_buttons(delivery.notification)
        try:
            chunks = split_text(text, whatsapp.TEXT_LIMIT)
            for n, chunk in enumerate(chunks):
                if n:
                    _pace("whatsapp", address, rate=WHATSAPP_RATE_PER_SECOND)
                if buttons and n == len(chunks) - 1:
                    whatsapp.client().send_buttons(address, chunk, buttons)
                else:
                    whatsapp.client().send_text(address, chunk)
            return
        except whatsapp.GraphError as exc:
            if exc.code != whatsapp.WINDOW_CLOSED_CODE:
                _raise_for(exc.outcome, exc.delay, str(exc), "whatsapp", address)
    _whatsapp_template_push(delivery)


def _whatsapp_template_push(delivery: Delivery) -> None:
    """Outside the window: the kind's template with quick-reply buttons when it has answer
    buttons and one is configured (an invitation, a consent request), else the push template."""
    notification = delivery.notification
    buttons = push_buttons(notification)
    with_buttons = whatsapp_templates.button_template(notification.kind) if buttons else ""
    name, languages = whatsapp.push_template()
    if not (name or with_buttons):
        raise RetryLater(
            "more than 24 hours since this participant last wrote on WhatsApp, so Meta only "
            "accepts an approved template: set WHATSAPP_PUSH_TEMPLATE (see docs/bots.md). "
            "Retrying in case they write meanwhile.",
            delay=NO_TEMPLATE_RETRY,
        )
    language = notification.person.language or "es"
    rendered = render_notification(notification, language)
    code, news = rendered.tracking_code, rendered.text
    try:
        if with_buttons:
            whatsapp.client().send_template(
                delivery.address,
                with_buttons,
                languages.get(language, language),
                [news],
                quick_replies=[b["data"] for b in buttons],
            )
        else:
            whatsapp.client().send_template(
                delivery.address,
                name,
                languages.get(language, language),
                [format_code(code) if code else "-", news],
            )
    except whatsapp.GraphError as exc:
        _raise_for(exc.outcome, exc.delay, str(exc), "whatsapp", delivery.address)


def webchat_sender(delivery: Delivery) -> None:
    """Keep the push in the chat history and tell any open page (at-most-once over the layer;
    a page that reconnects reads the history)."""
    conv = Conversation.objects.filter(channel="webchat", external_id=delivery.address).first()
    if conv is None or conv.person_id is None:
        raise Unreachable("no web chat conversation for this address")
    text = render_push(delivery.notification)
    [message] = services.messages_queue(conversation=conv, replies=[Reply(text)], delivered=True)
    publish_on_commit(
        f"webchat.{delivery.address}", {"type": "chat.message", "message_id": message.pk}
    )
