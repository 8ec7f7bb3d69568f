"""Reads for the bots: conversations, similar ideas, rate-limit counts, the stored updates not
yet processed (health endpoint). A person's data export is
:func:`forum.participation.privacy.person_export`."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from typing import Any, NamedTuple

from django.db.models import Count, Min, QuerySet
from django.utils import timezone
from rapidfuzz import fuzz, process

from forum.core import health
from forum.moderation.selectors import similar_ideas as moderation_similar
from forum.participation.lifecycle import OPEN_FOR_SUPPORT
from forum.participation.models import (
    Idea,
    Person,
    Region,
    StatusChange,
    Topic,
)

from .models import ChatMessage, Conversation, InboundUpdate

log = logging.getLogger(__name__)

BOT_CHANNELS = ("telegram", "whatsapp", "webchat")


def conversation_get(*, channel: str, external_id: str) -> Conversation | None:
    return (
        Conversation.objects.select_related("person")
        .filter(channel=channel, external_id=external_id)
        .first()
    )


def chat_history(
    conversation: Conversation, *, since_id: int = 0, limit: int = 50
) -> list[ChatMessage]:
    qs = ChatMessage.objects.filter(conversation=conversation, id__gt=since_id).order_by("-id")
    return list(reversed(qs[:limit]))


def chat_message(message_id: int) -> ChatMessage | None:
    return ChatMessage.objects.filter(pk=message_id).first()


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("ordinal")


def topics() -> QuerySet[Topic]:
    return Topic.objects.order_by("name")


def submission_times_since(person: Person, since: dt.datetime) -> list[dt.datetime]:
    """When this person sent each idea through a bot channel since ``since``, oldest first (the
    rate limit counts them, and tells when the oldest leaves the window)."""
    return list(
        Idea.objects.filter(author=person, channel__in=BOT_CHANNELS, created_at__gte=since)
        .order_by("created_at")
        .values_list("created_at", flat=True)
    )


def last_public_message(idea: Idea) -> StatusChange | None:
    return (
        StatusChange.objects.filter(idea=idea)
        .exclude(public_message="")
        .order_by("-created_at", "-id")
        .first()
    )


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _fallback_similar(title: str, body: str, limit: int) -> list[tuple[Idea, float]]:
    """Until the moderation app's matcher selector exists: a fuzzy match over recent ideas."""

    query = _fold(f"{title} {body[:300]}")
    candidates = list(
        Idea.objects.filter(hidden_at__isnull=True, status__in=OPEN_FOR_SUPPORT)
        .order_by("-created_at")
        .values_list("pk", "title", "body")[:3000]
    )
    if not candidates:
        return []
    choices = {pk: _fold(f"{t} {b[:300]}") for pk, t, b in candidates}
    found = process.extract(
        query, choices, scorer=fuzz.token_set_ratio, limit=limit * 3, score_cutoff=72
    )
    ids = [key for _text, _score, key in found]
    ideas = Idea.objects.in_bulk(ids)
    return [(ideas[key], score / 100) for _text, score, key in found if key in ideas][:limit]


def similar_ideas(title: str, body: str = "", *, limit: int = 3) -> list[tuple[Idea, float]]:
    """Ideas similar to a draft, from any channel and dialogue, that can still be supported."""
    try:
        found = list(moderation_similar(title, body, limit=limit * 2))
    except Exception:  # the draft must never be lost because the matcher failed
        log.exception("similar_ideas failed; using the fallback matcher")
        found = _fallback_similar(title, body, limit)
    result = []
    for idea, score in found:
        if idea.hidden_at is not None or idea.status not in OPEN_FOR_SUPPORT:
            continue
        result.append((idea, score))
    return result[:limit]


def pending_outgoing(*, platform: str | None = None, limit: int = 100) -> list[ChatMessage]:
    now = timezone.now()
    qs = ChatMessage.objects.filter(
        direction=ChatMessage.Direction.OUT,
        status=ChatMessage.Status.PENDING,
        available_at__lte=now,
    ).select_related("conversation")
    if platform:
        qs = qs.filter(conversation__channel=platform)
    return list(qs.order_by("id")[:limit])


class InboundBacklog(NamedTuple):
    unprocessed: int
    oldest_unprocessed_at: dt.datetime | None
    dead: int


def inbound_backlog() -> InboundBacklog:
    """Stored platform updates not processed yet (pending, or failed and waiting for a retry by
    ``process_updates``), when the oldest arrived, and those given up on (dead)."""
    S = InboundUpdate.Status
    waiting = InboundUpdate.objects.filter(status__in=[S.PENDING, S.FAILED]).aggregate(
        count=Count("id"), oldest=Min("created_at")
    )
    dead = InboundUpdate.objects.filter(status=S.DEAD).count()
    return InboundBacklog(
        unprocessed=waiting["count"], oldest_unprocessed_at=waiting["oldest"], dead=dead
    )


def inbound_health(now: dt.datetime) -> dict[str, Any]:
    """The bots' figures in ``/salud/`` (registered with ``core.health`` at start-up)."""
    backlog = inbound_backlog()
    return {
        "unprocessed": backlog.unprocessed,
        "oldest_unprocessed_seconds": health.age_seconds(now, backlog.oldest_unprocessed_at),
        "dead": backlog.dead,
    }
