"""What every moderation service shares: the actor, the refusal, the idea's audited state."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction

from forum.participation.models import Idea

from .. import index

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    from django.contrib.auth.models import User

Actor = AbstractBaseUser | AnonymousUser | None


class ModerationError(ValidationError):
    """A refused moderation action; the message tells the moderator why. Nothing changed."""


def user_of(actor: Actor) -> User | None:
    """The user row an actor is written as (None for the system or an anonymous actor)."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return cast("User", actor)


def idea_state(idea: Idea) -> dict[str, Any]:
    """What the audit log keeps of an idea before and after an action."""
    return {
        "code": idea.tracking_code,
        "status": idea.status,
        "merged_into": idea.merged_into_id,
        "support_count": idea.support_count,
        "hidden": idea.hidden_at is not None,
    }


def after_commit(fn, *args, **kwargs) -> None:
    transaction.on_commit(functools.partial(fn, *args, **kwargs))


def reindex_after_commit(target: Any) -> None:
    """The matcher's index follows an idea's visibility and text once the change commits."""
    if not isinstance(target, Idea):
        return
    if target.hidden_at is not None or target.merged_into_id is not None:
        after_commit(index.index_remove, target.pk)
    else:
        after_commit(index.index_add, target.pk, target.title, target.body)
