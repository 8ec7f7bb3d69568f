"""Text of a notification in one language: the inbox, e-mail and the bots' pushes use this.

Each kind's text is its class's in ``kinds`` (looked up in ``kinds.KINDS``); this module adds
what every notice shares: the date in the reader's language, the idea the row points at, the
closing "Ver más" line. Rendering reads only the notification's payload and its (already
loaded) idea, so rendering a page of notifications costs no query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from .formatting import format_number, format_when, one_line
from .kinds import RenderContext, notice_of

if TYPE_CHECKING:
    from .models import Notification

__all__ = ["RenderedNotification", "format_number", "format_when", "render_notification"]


@dataclass(frozen=True)
class RenderedNotification:
    subject: str
    text: str  # the whole message, ending with a "Ver más: <url>" line (e-mail, inbox)
    url: str
    body: str = ""  # the same text without that last line (bots that add their own link)
    # The idea a bot's "/estado" should look up (raw code; "" when the notice names none).
    tracking_code: str = ""
    # Answer buttons for the bots' pushes: (label in the reader's language, data).
    buttons: tuple[tuple[str, str], ...] = ()


def render_notification(notification: Notification, language: str | None) -> RenderedNotification:
    """Subject, plain text and link of ``notification`` in ``language`` (es/en)."""
    language = (language or settings.LANGUAGE_CODE)[:2]
    with translation.override(language):
        return _render(notification, language)


def _render(n: Notification, language: str) -> RenderedNotification:
    # Loaded idea (select_related) or a foreign key to load; never a query for "no idea".
    idea = n.idea if n.idea_id or type(n).idea.is_cached(n) else None
    notice = notice_of(n.kind, n.payload, label=str(n.get_kind_display()))
    draft = notice.draft(
        RenderContext(
            date=format_when(n.created_at, language) if n.created_at else "",
            idea_code=idea.tracking_code if idea is not None else "",
            idea_title=idea.title if idea is not None else "",
        )
    )
    # "… 7:52 p. m." + "." → one full stop (es_CL times end in an abbreviation).
    lines = [
        line[:-1] if line.endswith("..") and not line.endswith("...") else line
        for line in draft.lines
    ]
    body = "\n\n".join(lines)
    lines.append(_("Ver más: %(url)s") % {"url": draft.url})
    return RenderedNotification(
        subject=one_line(draft.subject),
        text="\n\n".join(lines),
        url=draft.url,
        body=body,
        tracking_code=notice.tracking_code,
        buttons=notice.buttons(),
    )
