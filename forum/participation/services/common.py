"""What every participation service shares: the actor and the refusal a person can fix."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    from django.contrib.auth.models import User


Actor = AbstractBaseUser | AnonymousUser | None


class ParticipationError(ValidationError):
    """A request a participant can fix (too long, budget exhausted…); the message says how."""


def actor_user(actor: Actor) -> User | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return cast("User", actor)
