"""``contact_email``: the address people write to about the site and their data (privacy page)."""

from __future__ import annotations

from django.conf import settings


def site(request) -> dict:
    return {"contact_email": settings.CONTACT_EMAIL}
