"""Staff corrections of an idea from the admin, audited like every other staff action."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import models, transaction

from forum.core.validation import full_clean
from forum.participation.models import Idea

from .audit import audit_record
from .common import Actor, reindex_after_commit
from .groups import group_follow

# What staff may correct on an idea from the admin (status, merges and answers have their own
# services and forms).
EDITABLE_IDEA_FIELDS = frozenset(
    {
        "title",
        "body",
        "original_text",
        "author",
        "channel",
        "region",
        "topic",
        "dialogue",
        "external_source",
        "external_id",
    }
)


def _audit_value(idea: Idea, field: str) -> Any:
    """A field's value as the audit log keeps it: text as is, a related row by its name."""
    value = getattr(idea, field)
    return str(value) if isinstance(value, models.Model) else value


def idea_edit(*, idea: Idea, fields: Iterable[str], actor: Actor, reason: str = "") -> Idea:
    """Staff correct an idea's text or origin (the admin): ``idea`` carries the new values of
    ``fields``, already validated by the form. Saved with one audit row holding each changed
    field before and after; the matcher's index follows a new title or text after commit."""
    fields = [f for f in fields if f in EDITABLE_IDEA_FIELDS]
    if not fields:
        return idea
    with transaction.atomic():
        stored = Idea.objects.select_for_update().get(pk=idea.pk)
        before = {f: _audit_value(stored, f) for f in fields}
        full_clean(idea, validate_unique=False, validate_constraints=False)
        idea.save(update_fields=[*fields, "updated_at"])
        audit_record(
            actor=actor,
            action="idea.edit",
            target=idea,
            before=before,
            after={f: _audit_value(idea, f) for f in fields},
            reason=reason,
        )
        if {"title", "body"} & set(fields):
            reindex_after_commit(idea)
            group_follow(idea)
    return idea
