"""``notifications_unread``: the signed-in person's unread count, for the navigation badge.

Lazy: the query runs only on pages whose template uses the value.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .selectors import unread_count_for_user


def unread(request) -> dict:
    def _count() -> int:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return 0

        return unread_count_for_user(user.pk)

    return {"notifications_unread": SimpleLazyObject(_count)}
