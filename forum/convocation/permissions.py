"""Who may propose lists, swap seats and send invitations."""

from __future__ import annotations

from typing import Any


def can_convene(user: Any) -> bool:
    """Staff with ``convocation.convene`` (or moderators: they route ideas to the same spaces)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.has_perm("convocation.convene") or user.has_perm("moderation.moderate"))
    )
