"""The audit log: one row per moderator action, never updated or deleted afterwards."""

from __future__ import annotations

from typing import Any

from django.db import models

from forum.core.text import clean_plain_text
from forum.core.validation import full_clean

from ..models import AuditEntry
from .common import Actor, user_of


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit row (never updated or deleted afterwards)."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    entry = AuditEntry(
        actor=user_of(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        before=before or {},
        after=after or {},
        reason=clean_plain_text(reason)[:5000],
    )
    full_clean(entry)
    entry.save()
    return entry
