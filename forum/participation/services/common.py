"""What every participation service shares: the actor and the refusal a person can fix."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text

from ..models import HIDDEN_REASON_MAX_LENGTH

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


def hide_reason_clean(reason: str, *, error: type[ValidationError] = ValidationError) -> str:
    """The one rule for a moderator's reason to hide content (an idea, a comment, a thread
    post): one plain line, required (the author is shown it, and a hidden post shows it in its
    place), at most ``HIDDEN_REASON_MAX_LENGTH`` characters, refused whole when longer, never
    cut. Raises ``error`` (the caller's refusal class) with code ``reason_required`` or
    ``reason_too_long``."""
    reason = clean_plain_text(reason).replace("\n", " ")
    if not reason:
        raise error(
            _("Indica el motivo: se le mostrará a la autora o autor."), code="reason_required"
        )
    if len(reason) > HIDDEN_REASON_MAX_LENGTH:
        raise error(
            _("El motivo tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo.")
            % {"n": len(reason), "max": HIDDEN_REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    return reason
