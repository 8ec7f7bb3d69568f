"""Threads' part of a person's export and erasure (:mod:`forum.participation.privacy`): the
posts they wrote and the threads they follow; and whether an account hid someone's post."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from forum.participation import privacy
from forum.participation.models import Person

from . import services
from .models import Follow, Post

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def export(person: Person) -> dict[str, Any]:
    """Posts as stored: a deleted post keeps its text, an edited one its earlier versions."""
    posts = (
        Post.objects.filter(author=person)
        .select_related("thread")
        .prefetch_related("revisions")
        .order_by("id")
    )
    return {
        "mensajes_en_hilos": [
            {
                "hilo": p.thread_id,
                "titulo_hilo": p.thread.title,
                "mensaje": p.pk,
                "texto": p.body,
                "publicado": p.created_at.isoformat(),
                "editado": p.edited_at.isoformat() if p.edited_at else None,
                "eliminado": p.deleted_at.isoformat() if p.deleted_at else None,
                "oculto": p.hidden_at.isoformat() if p.hidden_at else None,
                "motivo_ocultamiento": p.hidden_reason or None,
                "versiones_anteriores": [r.body for r in p.revisions.all()],
            }
            for p in posts
        ],
        "hilos_seguidos": [
            {"hilo": f.thread_id, "titulo": f.thread.title}
            for f in Follow.objects.filter(person=person).select_related("thread").order_by("id")
        ],
    }


def keeps_account(user: User) -> bool:
    """The post's «hidden by» would say nobody."""
    return Post.objects.filter(hidden_by=user).exists()


def register() -> None:
    privacy.register(
        "threads",
        sections=("mensajes_en_hilos", "hilos_seguidos"),
        export=export,
        erase=services.follow_erase_all,
        keeps_account=keeps_account,
    )
