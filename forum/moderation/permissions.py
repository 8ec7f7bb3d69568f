"""Who may do what in moderation. Small functions; views and consumers call them."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from forum.participation.models import Council, Membership

# The one "may moderate?" predicate lives in participation.permissions; asked from here too.
from forum.participation.permissions import can_moderate as can_moderate

User = AbstractBaseUser | AnonymousUser | None


def _active(user: User) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


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
    return _secretary_councils(user).filter(pk=council.pk).exists()


def can_view_council(user: User, council: Council) -> bool:
    """A council's inbox: those who answer for it, and moderators (who read it, to follow
    what they routed)."""
    return can_answer_for(user, council) or can_moderate(user)


def _secretary_councils(user: User):
    """Councils a user is secretary of: a CouncilSecretary row, or a current council
    Membership with role *secretary* of the user's Person."""
    today = timezone.localdate()
    return Council.objects.filter(
        Q(secretaries__user=user)
        | Q(
            memberships__person__user=user,
            memberships__role=Membership.Role.SECRETARY,
            memberships__term_start__lte=today,
        )
        & (Q(memberships__term_end__isnull=True) | Q(memberships__term_end__gte=today))
    ).distinct()


def answerable_councils(user: User) -> list[Council]:
    """The councils this user may answer for (for the secretary's landing page)."""
    if not _active(user):
        return []
    if can_answer_any_council(user):
        return list(Council.objects.all())
    if not user.has_perm("moderation.answer_for_council"):  # type: ignore[union-attr]
        return []
    return list(_secretary_councils(user))


def can_report(user: User) -> bool:
    """Anyone logged in may flag an idea or a post."""
    return _active(user)


def landing_url(user: User) -> str | None:
    """After login: moderators to the queue, council secretaries to their council inbox
    (registered with ``participation.handlers.on_landing``)."""
    if can_moderate(user):
        return reverse("moderation:queue")
    if answerable_councils(user):
        return reverse("moderation:councils")
    return None
