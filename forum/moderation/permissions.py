"""Who may do what in moderation. Small functions; views and consumers call them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from forum.participation.models import Council

User = AbstractBaseUser | AnonymousUser | None


def _active(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_moderate(user: User) -> bool:
    """Moderators and administrators (group permission ``moderation.moderate``)."""
    return _active(user) and user.has_perm("moderation.moderate")  # type: ignore[union-attr]


def can_answer_any_council(user: User) -> bool:
    return _active(user) and user.has_perm("moderation.answer_any_council")  # type: ignore[union-attr]


def can_answer_for(user: User, council: Council) -> bool:
    """Council secretaries answer for their own council only; administrators for any."""
    if not _active(user):
        return False
    if can_answer_any_council(user):
        return True
    if not user.has_perm("moderation.answer_for_council"):  # type: ignore[union-attr]
        return False
    from .models import CouncilSecretary

    return CouncilSecretary.objects.filter(user=user, council=council).exists()


def answerable_councils(user: User) -> list[Council]:
    """The councils this user may answer for (for the secretary's landing page)."""
    if not _active(user):
        return []
    if can_answer_any_council(user):
        return list(Council.objects.all())
    if not user.has_perm("moderation.answer_for_council"):  # type: ignore[union-attr]
        return []
    return list(Council.objects.filter(secretaries__user=user))


def can_report(user: User) -> bool:
    """Anyone logged in may flag an idea or a post."""
    return _active(user)
