"""The built-in delivery channels: the web inbox and e-mail. Bots register theirs the same way."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from .models import Delivery
from .registry import RetryLater, Unreachable
from .render import render_notification

MESSAGE_ID_DOMAIN = "foroabierto"


def message_id(delivery: Delivery) -> str:
    """The same Message-ID on every try, so a re-send after a worker crash is recognisable
    (and deduplicated by mail systems that honour it) rather than a new message."""
    return f"<delivery-{delivery.pk}@{MESSAGE_ID_DOMAIN}>"


def send_inbox(delivery: Delivery) -> None:
    """Nothing leaves the system: the inbox page lists Notification rows. Registered as
    transactional, so the worker marks it sent in the claim transaction: exactly once."""


def send_email(delivery: Delivery) -> None:
    notification = delivery.notification
    person = notification.person
    if person.erased_at is not None or not person.email_notifications:
        raise Unreachable("the person erased their data or turned e-mail notices off")
    rendered = render_notification(notification, person.language)
    message = EmailMessage(
        subject=rendered.subject,
        body=rendered.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[delivery.address],
        headers={
            "Message-ID": message_id(delivery),
            "Content-Language": person.language,
            "Auto-Submitted": "auto-generated",
        },
    )
    try:
        message.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as exc:
        raise Unreachable(str(exc)) from exc
    except (smtplib.SMTPException, OSError) as exc:
        raise RetryLater(str(exc)) from exc
