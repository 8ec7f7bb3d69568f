"""Human words for the audit log's codes (``idea.merge``, ``participation.idea``)."""

from __future__ import annotations

from django import template
from django.apps import apps

from forum.moderation.forms import AUDIT_ACTIONS

register = template.Library()


@register.filter
def audit_action(code: str) -> str:
    """The action's label; an unknown code (an older or newer action) shows as it is."""
    return str(AUDIT_ACTIONS.get(code, code))


@register.filter
def audit_target(entry) -> str:
    """``Idea #1129`` rather than ``participation.idea #1129``."""
    try:
        name = apps.get_model(entry.target_type)._meta.verbose_name
    except (LookupError, ValueError):
        name = entry.target_type
    return f"{str(name)[:1].upper()}{str(name)[1:]} #{entry.target_id}"
