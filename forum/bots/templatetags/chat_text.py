"""``{{ message.text|chat_text }}``: a chat message as HTML, for the page without JavaScript.

Everything is escaped; only http(s) addresses become links (the same rule as
``forum/static/bots/chat.js``): trailing punctuation and closing quotes stay outside the link.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_URL = re.compile(r"https?://[^\s<>\"«»]+")
_TRAILING = re.compile(r"[.,;:!?)\]'\u2019]+$")


@register.filter
def chat_text(text: str) -> SafeString:
    parts: list[str] = []
    last = 0
    text = text or ""
    for match in _URL.finditer(text):
        url = _TRAILING.sub("", match.group(0))
        parts.append(escape(text[last : match.start()]))
        parts.append(
            format_html('<a href="{}" rel="noopener noreferrer nofollow">{}</a>', url, url)
        )
        last = match.start() + len(url)
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts).replace("\n", "<br>"))  # noqa: S308 - every part escaped
