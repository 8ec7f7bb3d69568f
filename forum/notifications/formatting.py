"""Pieces of a notification's text: dates, numbers, status names and links, in the active
language. ``kinds`` (each kind's text) and ``render`` (the whole message) build on these."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from forum.core.i18n import babel_locale
from forum.participation.lifecycle import IdeaStatus

# Babel locales for the site's languages: dates and numbers as people there write them.


def format_when(value: dt.datetime, language: str | None) -> str:
    """``23 de noviembre de 2026, 19:52`` / ``November 23, 2026, 7:52 PM`` in Chile's time."""
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    locale = babel_locale(language or settings.LANGUAGE_CODE)
    day = format_date(local, "long", locale=locale)
    return f"{day}, {format_time(local, 'short', locale=locale)}"


def format_day(value: dt.date, language: str | None) -> str:
    """``31 de marzo de 2027`` / ``March 31, 2027``."""
    return format_date(value, "long", locale=babel_locale(language or settings.LANGUAGE_CODE))


def format_number(value: float | int, language: str | None) -> str:
    """``1.234`` in es_CL, ``1,234`` in English."""
    return format_decimal(value, locale=babel_locale(language or settings.LANGUAGE_CODE))


def status_label(value: str) -> str:
    try:
        return str(IdeaStatus(value).label)
    except ValueError:
        return value


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def idea_url(code: str) -> str:
    try:
        return absolute(reverse("participation:idea_detail", args=[code]))
    except NoReverseMatch:
        return absolute(f"/ideas/{code}/")


def thread_url(thread_id: Any, post_id: Any = None) -> str:
    try:
        path = reverse("threads:detail", args=[int(thread_id)])
    except (NoReverseMatch, TypeError, ValueError):
        path = f"/hilos/{thread_id}/"
    if post_id:
        path += f"#post-{post_id}"
    return absolute(path)


def one_line(text: str, limit: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
