"""Who may run a dialogue's phases (staff), in one predicate per question."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

User = AbstractBaseUser | AnonymousUser | None


def can_run_dialogues(user: User) -> bool:
    """Staff set guidelines, publish agenda and tables, move phases and publish results."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and getattr(user, "is_staff", False)
    )
