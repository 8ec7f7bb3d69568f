"""Human words for the audit log's codes (``idea.merge``, ``participation.idea``)."""

from __future__ import annotations

from django import template

from forum.moderation.forms import AUDIT_ACTIONS

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """The action's label; an unknown code (an older or newer action) shows as it is."""
    return str(AUDIT_ACTIONS.get(code, code))
