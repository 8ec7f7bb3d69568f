"""Outbox delivery channels of the bots: ``telegram``, ``whatsapp``, ``webchat``.

The notifications worker calls ``sender(delivery)``; the text is rendered here, in the
person's language, from the notification's small payload. Platform answers map to the outbox's
contract: a flood limit or a server/network error → ``RetryLater`` (Telegram's ``retry_after``
as the delay), a user who blocked the bot → ``Unreachable`` (and the identity is marked so no
more deliveries are created for it).
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from forum.notifications.registry import RetryLater, Unreachable
from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus

from . import services, telegram, whatsapp
from .messages import Reply
from .models import Conversation

if TYPE_CHECKING:
    from forum.notifications.models import Delivery, Notification


class RateLimiter:
    """At most ``rate`` sends per second overall and one per ``per_address`` seconds to the same
    chat (Telegram: ~30/s overall, 1/s per chat). Blocks the calling worker thread briefly."""

    def __init__(self, rate: float, per_address: float) -> None:
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.per_address = per_address
        self._next = 0.0
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def wait(self, address: str) -> None:
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next, self._last.get(address, -1e9) + self.per_address)
            self._next = at + self.interval
            self._last[address] = at
            if len(self._last) > 10000:
                horizon = now - self.per_address
                self._last = {k: v for k, v in self._last.items() if v >= horizon}
        delay = at - time.monotonic()
        if delay > 0:
            time.sleep(delay)


telegram_limiter = RateLimiter(
    float(getattr(settings, "TELEGRAM_RATE_PER_SECOND", 30)),
    float(getattr(settings, "TELEGRAM_PER_CHAT_INTERVAL", 1.0)),
)
whatsapp_limiter = RateLimiter(float(getattr(settings, "WHATSAPP_RATE_PER_SECOND", 50)), 0.0)


def status_label(value: str) -> str:
    try:
        return str(IdeaStatus(value).label)
    except ValueError:
        return value


def render_notification(notification: Notification) -> str:
    """The push text for one notification, in its person's language."""
    person = notification.person
    payload = notification.payload or {}
    with translation.override(person.language or "es"):
        code = format_code(payload["code"]) if payload.get("code") else ""
        values = {
            "code": code, "title": payload.get("title", ""),
            "to": status_label(payload.get("to", "")),
            "canonical": format_code(payload["canonical_code"])
            if payload.get("canonical_code") else "",
            "thread": payload.get("thread_title", ""),
            "excerpt": payload.get("excerpt", ""),
        }
        kind = notification.kind
        if kind == "merged" or payload.get("to") == IdeaStatus.MERGED:
            if values["canonical"]:
                text = _("La idea %(code)s «%(title)s» se fusionó con la idea %(canonical)s: desde "
                         "ahora te avisaremos de los cambios de esa idea.") % values
            else:
                text = _("La idea %(code)s «%(title)s» se fusionó con otra idea parecida.") % values
        elif kind == "unmerged":
            text = _("La idea %(code)s «%(title)s» vuelve a seguir su propio camino.") % values
        elif kind == "hidden":
            text = _("La idea %(code)s «%(title)s» fue ocultada por moderación.") % values
        elif kind == "restored":
            text = _("La idea %(code)s «%(title)s» vuelve a estar visible.") % values
        elif kind in ("thread_post", "thread_reply"):
            text = _("Nuevo mensaje en el hilo «%(thread)s»: %(excerpt)s") % values
        elif code:
            text = _("Novedades de la idea %(code)s «%(title)s»: ahora está «%(to)s».") % values
        else:
            text = _("Tienes una novedad en Foro Abierto.")
        message = payload.get("message") or payload.get("reason") or ""
        if message:
            text += "\n" + message
        if code:
            text += "\n" + _("Más detalles: /estado %(code)s") % values
        return text


def _split(text: str, limit: int) -> list[str]:
    from .messages import split_text

    return split_text(text, limit)


def _raise_for(outcome: str, delay: float | None, error: str, channel: str, address: str) -> None:
    if outcome == "sent":
        return
    if outcome == "retry":
        raise RetryLater(error, delay=delay)
    if outcome == "blocked":
        services.identity_mark_unreachable(channel=channel, external_id=address)
        raise Unreachable(error)
    raise RuntimeError(error)


def telegram_sender(delivery: Delivery) -> None:
    text = render_notification(delivery.notification)
    for chunk in _split(text, telegram.TEXT_LIMIT):
        telegram_limiter.wait(delivery.address)
        outcome, delay, error = telegram.send_sync(delivery.address, chunk)
        _raise_for(outcome, delay, error, "telegram", delivery.address)


def whatsapp_sender(delivery: Delivery) -> None:
    text = render_notification(delivery.notification)
    for chunk in _split(text, whatsapp.TEXT_LIMIT):
        whatsapp_limiter.wait(delivery.address)
        outcome, delay, error = whatsapp.send_reply(delivery.address, chunk)
        _raise_for(outcome, delay, error, "whatsapp", delivery.address)


def webchat_sender(delivery: Delivery) -> None:
    """Keep the push in the chat history and tell any open page (at-most-once over the layer;
    a page that reconnects reads the history)."""
    conv = Conversation.objects.filter(channel="webchat", external_id=delivery.address).first()
    if conv is None or conv.person_id is None:
        raise Unreachable("no web chat conversation for this address")
    text = render_notification(delivery.notification)
    [message] = services.messages_queue(conversation=conv, replies=[Reply(text)], delivered=True)
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(
            f"webchat.{delivery.address}", {"type": "chat.message", "message_id": message.pk}
        )
