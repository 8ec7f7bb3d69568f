"""Reads for the bots: conversations, similar ideas, a person's data export, rate-limit counts,
the stored updates not yet processed (health endpoint)."""

from __future__ import annotations

import datetime as dt
import logging
import unicodedata
from typing import Any, NamedTuple

from django.db.models import Count, Min, QuerySet
from django.utils import timezone

from forum.core import health
from forum.moderation.models import Report
from forum.moderation.selectors import similar_ideas as moderation_similar
from forum.notifications.models import Notification
from forum.participation.lifecycle import OPEN_FOR_SUPPORT
from forum.participation.models import (
    Idea,
    IdeaCoauthor,
    Membership,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)
from forum.threads.models import Follow, Post

from . import states
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
    from rapidfuzz import fuzz, process

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


def person_export(person: Person) -> dict[str, Any]:
    """Everything stored about a person (Law 21.719 rights of access and portability): for
    ``/mis_datos`` in the bots and the «Mis datos» page of a web account. The web-only parts
    (account, thread posts, reports…) are empty for a participant who only used a bot."""
    ideas = Idea.objects.filter(author=person).order_by("created_at")
    supports = Support.objects.filter(person=person).select_related("idea").order_by("created_at")
    conversations = Conversation.objects.filter(person=person)
    user = person.user
    return {
        "persona": {
            "nombre": person.display_name,
            "correo": person.email,
            "idioma": person.language,
            "region": person.region.name if person.region is not None else None,
            "organizacion": person.organisation.name if person.organisation else None,
            "categoria_actor": person.get_actor_category_display() or None,
            "avisos_por_correo": person.email_notifications,
            "consentimiento": person.consent_at.isoformat() if person.consent_at else None,
            "creada": person.created_at.isoformat() if person.created_at else None,
        },
        "cuenta": (
            {
                "usuario": user.get_username(),
                "correo": user.email,
                "creada": user.date_joined.isoformat(),
                "ultimo_ingreso": user.last_login.isoformat() if user.last_login else None,
            }
            if user is not None
            else None
        ),
        "identidades": [{"canal": i.channel, "id": i.external_id} for i in person.identities.all()],
        "ideas": [
            {
                "codigo": i.formatted_code,
                "titulo": i.title,
                # The label in the active language (the bot renders in the person's):
                # «Recibida» / «Received», not the internal code.
                "estado": i.get_status_display(),
                "canal": i.channel,
                "recibida": i.created_at.isoformat(),
            }
            for i in ideas
        ],
        "coautorias": [
            {"codigo": c.idea.formatted_code, "titulo": c.idea.title}
            for c in IdeaCoauthor.objects.filter(person=person).select_related("idea")
        ],
        "apoyos": [
            {
                "codigo": s.idea.formatted_code,
                "titulo": s.idea.title,
                "fecha": s.created_at.isoformat(),
            }
            for s in supports
        ],
        "consejos": [
            {
                "consejo": m.council.name,
                "rol": m.get_role_display(),
                "organizacion": m.organisation.name if m.organisation else None,
                "inicio": m.term_start.isoformat(),
                "fin": m.term_end.isoformat() if m.term_end else None,
            }
            for m in Membership.objects.filter(person=person).select_related(
                "council", "organisation"
            )
        ],
        "mensajes_en_hilos": _thread_posts_export(person),
        "hilos_seguidos": [
            {"hilo": f.thread_id, "titulo": f.thread.title}
            for f in Follow.objects.filter(person=person).select_related("thread").order_by("id")
        ],
        "reportes": _reports_export(person),
        "avisos": [
            {
                "tipo": n.get_kind_display(),
                "idea": n.idea.formatted_code if n.idea else None,
                "fecha": n.created_at.isoformat(),
                "leido": n.read_at.isoformat() if n.read_at else None,
            }
            for n in Notification.objects.filter(person=person).select_related("idea")
        ],
        "conversaciones": [
            {
                "canal": c.channel,
                "id": c.external_id,
                "estado": str(states.LABELS.get(c.state, c.state)),
                "ultimo_mensaje": c.last_inbound_at.isoformat() if c.last_inbound_at else None,
                "mensajes_guardados": c.messages.count(),
                # An idea being written (kept during onboarding or the topic question).
                "borrador": (c.data or {}).get("held") or (c.data or {}).get("draft") or None,
            }
            for c in conversations
        ],
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _thread_posts_export(person: Person) -> list[dict[str, Any]]:
    """Posts they wrote, as stored: a deleted post keeps its text, an edited one its earlier
    versions."""
    posts = (
        Post.objects.filter(author=person)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("id")
    )
    return [
        {
            "hilo": p.thread_id,
            "titulo_hilo": p.thread.title,
            "mensaje": p.pk,
            "texto": p.body,
            "publicado": p.created_at.isoformat(),
            "editado": _iso(p.edited_at),
            "eliminado": _iso(p.deleted_at),
            "oculto": _iso(p.hidden_at),
            "motivo_ocultamiento": p.hidden_reason or None,
            "versiones_anteriores": [r.body for r in p.revisions.all()],
        }
        for p in posts
    ]


def _reports_export(person: Person) -> list[dict[str, Any]]:
    """Content they reported: an idea by its code, a post by its thread and number."""
    reports = list(
        Report.objects.filter(reporter=person).select_related("content_type").order_by("id")
    )
    idea_ids = [r.object_id for r in reports if r.content_type.model == "idea"]
    post_ids = [r.object_id for r in reports if r.content_type.model == "post"]
    codes = dict(Idea.objects.filter(pk__in=idea_ids).values_list("pk", "tracking_code"))
    threads = dict(Post.objects.filter(pk__in=post_ids).values_list("pk", "thread_id"))
    rows = []
    for r in reports:
        row: dict[str, Any] = {"tipo": "mensaje" if r.content_type.model == "post" else "idea"}
        if r.content_type.model == "idea":
            code = codes.get(r.object_id)
            row["idea"] = f"{code[:4]}-{code[4:]}" if code else None
        elif r.content_type.model == "post":
            row["hilo"] = threads.get(r.object_id)
            row["mensaje"] = r.object_id
        row.update(motivo=r.reason, fecha=r.created_at.isoformat(), revisado=_iso(r.resolved_at))
        rows.append(row)
    return rows


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
