"""Text hygiene shared by every way an idea or a post comes in."""

from __future__ import annotations

import html
import re
import unicodedata

import nh3

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t]+")
_BLANK_LINES = re.compile(r"\n{3,}")


def clean_plain_text(value: str) -> str:
    """Normalise user text: NFC, no control characters, tidy whitespace. Keeps it plain text."""
    value = unicodedata.normalize("NFC", value or "")
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL.sub("", value)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    return _BLANK_LINES.sub("\n\n", value).strip()


_BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def clean_name(name: str) -> str:
    """A display name (typed on a page or given by a platform), kept as text but without bidi
    overrides (spoofing in lists), on one line, at most 150 characters."""
    return clean_plain_text((name or "").translate(_BIDI_CONTROLS)).replace("\n", " ")[:150]


def html_to_text(value: str) -> str:
    """Turn rich-text HTML (e.g. from another portal) into plain text, dropping every tag."""
    value = re.sub(r"(?i)<\s*(br|/p|/li|/div|/h\d)\s*/?>", "\n", value or "")
    text = nh3.clean(value, tags=set(), attributes={}, strip_comments=True)
    # nh3 returns entity-escaped text; unescape so templates escape exactly once.

    return clean_plain_text(html.unescape(text))
