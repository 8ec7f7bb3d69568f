"""Shared pieces of the engine: command table, locale formatting, links."""

from __future__ import annotations

import datetime as dt
import unicodedata

from babel.dates import format_date
from babel.numbers import format_decimal
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import ngettext

from forum.core.i18n import babel_locale
from forum.participation.models import Dialogue, Idea, Region

from .. import selectors
from ..messages import Button

LANGUAGE_BUTTONS = (Button("Español", "lang:es"), Button("English", "lang:en"))

# Spanish names first, each with its English alias (the English texts name the English ones).
COMMANDS: dict[str, str] = {
    "start": "start",
    "inicio": "start",
    "hola": "start",
    "estado": "status",
    "status": "status",
    "mis_ideas": "my_ideas",
    "misideas": "my_ideas",
    "my_ideas": "my_ideas",
    "apoyar": "support",
    "support": "support",
    "idioma": "language",
    "language": "language",
    "region": "region",
    "ayuda": "help",
    "help": "help",
    "mis_datos": "my_data",
    "misdatos": "my_data",
    "my_data": "my_data",
    "borrar": "erase",
    "delete": "erase",
    "erase": "erase",
    "myideas": "my_ideas",
    "mydata": "my_data",
    "cancelar": "cancel",
    "cancel": "cancel",
    "sesion": "session",
    "session": "session",
    "asistencia": "session",
    "votar": "vote",
    "vote": "vote",
    "palabra": "word",
    "word": "word",
    "dialogo": "dialogue",
    "diálogo": "dialogue",
    "dialogue": "dialogue",
}
# Commands a group chat may use (no personal data in a group).
GROUP_COMMANDS = {"start", "help", "status"}


def submission_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "BOTS_SUBMISSIONS_PER_WINDOW", 5)),
        int(getattr(settings, "BOTS_SUBMISSION_WINDOW_SECONDS", 600)),
    )


def fmt_number(n: int) -> str:
    return format_decimal(n, locale=babel_locale())


def fmt_date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_date(value, format="long", locale=babel_locale())


def supports_text(count: int) -> str:
    """«1 apoyo», «1.234 apoyos» in the active language."""
    return ngettext("%(n)s apoyo", "%(n)s apoyos", count) % {"n": fmt_number(count)}


def parse_command(text: str) -> tuple[str, str] | None:
    """``/estado ABCD-EFGH`` → ("status", "ABCD-EFGH"); None when it is not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _sep, arg = text[1:].partition(" ")
    head = head.split("@", 1)[0]
    head = unicodedata.normalize("NFKD", head.lower())
    head = "".join(ch for ch in head if not unicodedata.combining(ch))
    return COMMANDS.get(head, "unknown:" + head[:32]), arg.strip()


def privacy_url() -> str:
    try:
        path = reverse("participation:privacy")
    except NoReverseMatch:
        path = "/privacidad/"
    return settings.SITE_URL.rstrip("/") + path


DIALOGUE_DEEP_LINK = "dlg_"  # /start dlg_<slug>: the deep link on a dialogue's page


def dialogue_url(dialogue: Dialogue) -> str | None:
    try:
        return settings.SITE_URL.rstrip("/") + reverse("dialogues:detail", args=[dialogue.slug])
    except NoReverseMatch:
        return None


def idea_url(idea: Idea) -> str | None:
    for args in ((idea.tracking_code,), (idea.pk,)):
        try:
            return settings.SITE_URL.rstrip("/") + reverse("participation:idea_detail", args=args)
        except NoReverseMatch:
            continue
    return None


def looks_like_idea(text: str) -> bool:
    """A typed message that reads like an idea rather than a short answer ("sí", "Biobío",
    "inglés"): four words or more. Used where the bot expects an answer and gets an idea."""
    return len((text or "").split()) >= 4


def region_named(text: str) -> Region | None:
    """The region a typed answer names ("Biobío", "región de los lagos", "VIII", "RM"), if any."""

    folded = _fold(text).replace("-", " ")
    for prefix in ("region de la ", "region de los ", "region del ", "region de ", "region "):
        folded = folded.removeprefix(prefix)
    if not folded:
        return None
    for region in selectors.regions():
        names = {_fold(region.name), region.slug.replace("-", " "), _fold(region.code)}
        if folded in names:
            return region
    return None


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "!.¡,")
