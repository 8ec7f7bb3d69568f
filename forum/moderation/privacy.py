"""Moderation's part of a person's export (:mod:`forum.participation.privacy`): the content
they reported; and whether an account is a council secretary or is named in the audit trail
or a merge. Reports stay after an erasure, by an anonymous person: nothing to erase here."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from forum.participation import privacy
from forum.participation.models import Idea, Person
from forum.threads.models import Post

from .models import AuditEntry, CouncilSecretary, Merge, Report

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def export(person: Person) -> dict[str, Any]:
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
        row.update(
            motivo=r.reason,
            fecha=r.created_at.isoformat(),
            revisado=r.resolved_at.isoformat() if r.resolved_at else None,
        )
        rows.append(row)
    return {"reportes": rows}


def keeps_account(user: User) -> bool:
    """A council secretary, or the «who» of an audit entry or a merge (or its undoing)."""
    return (
        CouncilSecretary.objects.filter(user=user).exists()
        or AuditEntry.objects.filter(actor=user).exists()
        or Merge.objects.filter(Q(actor=user) | Q(undone_by=user)).exists()
    )


def register() -> None:
    privacy.register(
        "moderation", sections=("reportes",), export=export, keeps_account=keeps_account
    )
