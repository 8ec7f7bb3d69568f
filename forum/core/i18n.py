"""Babel's locale for the site's languages (dates and numbers where no template formats them)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

BABEL_LOCALES = {"es": "es_CL", "en": "en"}


def babel_locale(language: str | None = None) -> str:
    """``es_CL`` for Spanish (Chile), ``en`` for English; without ``language``, the active one
    (the site's default outside a request)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    return BABEL_LOCALES.get(language[:2], "es_CL")
