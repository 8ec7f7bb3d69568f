"""Text hygiene shared by every way an idea or a post comes in."""

from __future__ import annotations

import html
import json
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


# ---------------------------------------------------------------- hostile input at the boundary

# NUL (PostgreSQL text and jsonb refuse it) and lone UTF-16 surrogates (no UTF-8 encoding exists
# for them: psycopg cannot send them, jsonb refuses their ``\ud800`` escape). In a Python str a
# well-formed emoji is one code point, so any code point in this range is a lone surrogate.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(value: str) -> str:
    """``value`` without the characters no database column can hold (NUL, lone surrogates)."""
    return _UNSTORABLE.sub("", value) if _UNSTORABLE.search(value) else value


def has_unstorable(value: str) -> bool:
    return _UNSTORABLE.search(value) is not None


def storable_json(value: object) -> object:
    """A decoded JSON value with :func:`storable` applied to every string, keys included: what
    a platform sent, kept as it was except for what jsonb cannot hold."""
    if isinstance(value, str):
        return storable(value)
    if isinstance(value, dict):
        return {storable(str(k)): storable_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [storable_json(v) for v in value]
    return value


# Deeper than any real platform payload (Telegram's and WhatsApp's nest about 6 levels), far
# shallower than Python's recursion limit, which a nested body would otherwise reach.
JSON_MAX_DEPTH = 64


class JSONRefused(ValueError):
    """Not JSON, or nested deeper than :data:`JSON_MAX_DEPTH`."""


def _depth_exceeds(value: object, limit: int) -> bool:
    """Whether a decoded value nests deeper than ``limit`` (a walk with a stack, no recursion:
    the check must not fail the way a recursive reader of the value would)."""
    stack: list[tuple[object, int]] = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if depth + 1 > limit:
                return True
            stack.extend((child, depth + 1) for child in item if isinstance(child, dict | list))
    return False


def load_json(raw: str | bytes, *, max_depth: int = JSON_MAX_DEPTH) -> object:
    """``json.loads`` for bodies from outside: :class:`JSONRefused` (a ValueError) for
    malformed JSON and for nesting past ``max_depth``, never a RecursionError."""
    try:
        text = raw.decode() if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as exc:
        raise JSONRefused("not UTF-8") from exc
    try:
        value = json.loads(text)
    except RecursionError as exc:
        raise JSONRefused(f"nested deeper than {max_depth}") from exc
    except ValueError as exc:
        raise JSONRefused(str(exc)[:200]) from exc
    # Fewer brackets than the limit cannot nest past it: real payloads skip the walk.
    if text.count("[") + text.count("{") > max_depth and _depth_exceeds(value, max_depth):
        raise JSONRefused(f"nested deeper than {max_depth}")
    return value
