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
