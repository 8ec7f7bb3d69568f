"""Text of a notification in one language: the inbox, e-mail and the bots' pushes use this.

Rendering reads only the notification's payload and its (already loaded) idea, so rendering a
page of notifications costs no query per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from babel.numbers import format_decimal
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext as _

from forum.core.i18n import babel_locale
from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus, shown_message

if TYPE_CHECKING:
    from .models import Notification

# Babel locales for the site's languages: dates and numbers as people there write them.


@dataclass(frozen=True)
class RenderedNotification:
    subject: str
    text: str  # the whole message, ending with a "Ver más: <url>" line (e-mail, inbox)
    url: str
    body: str = ""  # the same text without that last line (bots that add their own link)


def format_when(value: dt.datetime, language: str | None) -> str:
    """``23 de noviembre de 2026, 19:52`` / ``November 23, 2026, 7:52 PM`` in Chile's time."""
    local = value.astimezone(ZoneInfo(settings.TIME_ZONE))
    locale = babel_locale(language or settings.LANGUAGE_CODE)
    day = format_date(local, "long", locale=locale)
    return f"{day}, {format_time(local, 'short', locale=locale)}"


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


def _one_line(text: str, limit: int = 150) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_notification(notification: Notification, language: str | None) -> RenderedNotification:
    """Subject, plain text and link of ``notification`` in ``language`` (es/en)."""
    language = (language or settings.LANGUAGE_CODE)[:2]
    with translation.override(language):
        return _render(notification, language)


def _render(n: Notification, language: str) -> RenderedNotification:
    p: dict[str, Any] = dict(n.payload or {})
    # Loaded idea (select_related) or a foreign key to load; never a query for "no idea".
    idea = n.idea if n.idea_id or type(n).idea.is_cached(n) else None
    code = p.get("code") or (idea.tracking_code if idea is not None else "")
    title = p.get("title") or (idea.title if idea is not None else "")
    shown_code = format_code(code) if code else ""
    when = format_when(n.created_at, language) if n.created_at else ""
    url = idea_url(code) if code else absolute("/")
    facts = {"code": shown_code, "title": _one_line(title, 200), "date": when}
    lines: list[str] = []
    Kind = type(n).Kind

    if n.kind == Kind.STATUS_CHANGED:
        facts |= {"from": status_label(p.get("from", "")), "to": status_label(p.get("to", ""))}
        subject = _("Idea %(code)s: %(to)s") % facts
        if p.get("from"):
            lines.append(
                _("La idea «%(title)s» (%(code)s) pasó de «%(from)s» a «%(to)s» el %(date)s.")
                % facts
            )
        else:
            lines.append(_("La idea «%(title)s» (%(code)s) quedó en «%(to)s» el %(date)s.") % facts)
        message = shown_message(
            p.get("system_message"), p.get("system_params"), p.get("message", "")
        )
        if message:
            lines.append(_("Mensaje público: %(message)s") % {"message": message})
    elif n.kind == Kind.MERGED:
        canonical = p.get("canonical_code", "")
        facts |= {
            "canonical": format_code(canonical) if canonical else "",
            "canonical_title": _one_line(p.get("canonical_title", ""), 200),
        }
        subject = _("La idea %(code)s se fusionó con %(canonical)s") % facts
        lines.append(
            _(
                "La idea «%(title)s» (%(code)s) se fusionó el %(date)s con %(canonical)s, que "
                "plantea lo mismo. Sus apoyos se suman a esa idea y te seguiremos avisando de sus "
                "cambios."
            )
            % facts
        )
        if facts["canonical_title"]:
            lines.append(_("Idea resultante: «%(canonical_title)s».") % facts)
        if p.get("reason"):
            lines.append(_("Motivo: %(reason)s") % {"reason": p["reason"]})
        if canonical:
            url = idea_url(canonical)
    elif n.kind == Kind.UNMERGED:
        canonical = p.get("canonical_code", "")
        facts |= {
            "canonical": format_code(canonical) if canonical else "",
            "to": status_label(p.get("to", "")),
        }
        subject = _("Se deshizo la fusión de la idea %(code)s") % facts
        lines.append(
            _(
                "La idea «%(title)s» (%(code)s) ya no está fusionada con %(canonical)s y vuelve al "
                "estado «%(to)s» (%(date)s)."
            )
            % facts
        )
        if p.get("reason"):
            lines.append(_("Motivo: %(reason)s") % {"reason": p["reason"]})
    elif n.kind in (Kind.HIDDEN, Kind.RESTORED):
        if n.kind == Kind.HIDDEN:
            subject = _("Tu contenido fue ocultado por moderación")
            lines.append(_("«%(title)s» fue ocultado por moderación el %(date)s.") % facts)
        else:
            subject = _("Tu contenido vuelve a estar visible")
            lines.append(_("«%(title)s» vuelve a estar visible desde el %(date)s.") % facts)
        if p.get("reason"):
            lines.append(_("Motivo: %(reason)s") % {"reason": p["reason"]})
        if not code and p.get("thread_id"):
            url = thread_url(p["thread_id"], p.get("post_id"))
    elif n.kind in (Kind.THREAD_POST, Kind.THREAD_REPLY):
        facts["thread"] = _one_line(p.get("thread_title", ""), 120)
        if n.kind == Kind.THREAD_REPLY:
            subject = _("Respondieron tu mensaje en «%(thread)s»") % facts
            lines.append(_("Alguien respondió tu mensaje en el hilo «%(thread)s»:") % facts)
        else:
            subject = _("Nuevo mensaje en «%(thread)s»") % facts
            lines.append(_("Hay un mensaje nuevo en el hilo «%(thread)s»:") % facts)
        if p.get("excerpt"):
            lines.append(f"«{p['excerpt']}»")
        if p.get("thread_id"):
            url = thread_url(p["thread_id"], p.get("post_id"))
    else:  # a kind added later and not taught here yet: still say something useful
        subject = str(n.get_kind_display())
        if title:
            lines.append(f"«{facts['title']}»")

    # "… 7:52 p. m." + "." → one full stop (es_CL times end in an abbreviation).
    lines = [
        line[:-1] if line.endswith("..") and not line.endswith("...") else line for line in lines
    ]
    body = "\n\n".join(lines)
    lines.append(_("Ver más: %(url)s") % {"url": url})
    return RenderedNotification(
        subject=_one_line(subject), text="\n\n".join(lines), url=url, body=body
    )
