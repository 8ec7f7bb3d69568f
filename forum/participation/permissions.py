"""Who may do what on the participation pages."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

User = AbstractBaseUser | AnonymousUser | None


def can_change_status(user: User) -> bool:
    """Moderators and administrators move ideas through the lifecycle."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("participation.change_idea")  # type: ignore[attr-defined]
    )


def can_moderate(user: User) -> bool:
    """The one answer to "may this person moderate?" (the moderation pages and socket, hiding
    and restoring thread posts): an active account with the ``moderation.moderate``
    permission, which the Moderación and Administración groups carry (superusers have every
    permission).

    Decision (issue 13): ``is_staff`` is not a moderation role. It only opens the admin site,
    and council secretaries have it to answer there; the threads' old predicate admitted
    ``is_staff`` (and ``threads.change_post``), which let a secretary hide posts in any
    thread while the moderation pages refused her. Defined here, in the lowest app that knows
    about people's roles, so ``threads`` and ``moderation`` ask the same question.
    """
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.has_perm("moderation.moderate")  # type: ignore[attr-defined]
    )
