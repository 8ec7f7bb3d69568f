"""Word-level differences between two ideas, as safe HTML built from escaped tokens."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORDS = re.compile(r"\S+|\s+")
MAX_WORDS = 160


def _words(text: str) -> list[str]:
    tokens = _WORDS.findall(text or "")
    words = [t for t in tokens if not t.isspace()]
    if len(words) > MAX_WORDS:
        words = [*words[:MAX_WORDS], "…"]
    return words


def _key(word: str) -> str:
    return word.lower().strip(".,;:¡!¿?()«»\"'")


def _render(words: list[str], spans: list[tuple[int, int]], css: str) -> SafeString:
    marked = [False] * len(words)
    for start, end in spans:
        for k in range(start, end):
            marked[k] = True
    out: list[str] = []
    k = 0
    while k < len(words):
        if marked[k]:
            run = []
            while k < len(words) and marked[k]:
                run.append(escape(words[k]))
                k += 1
            out.append(f'<mark class="{css}">{" ".join(run)}</mark>')
        else:
            out.append(escape(words[k]))
            k += 1
    # Every piece above is either escaped user text or our own fixed markup.
    return mark_safe(" ".join(out))  # noqa: S308


def word_diff(a: str, b: str) -> tuple[SafeString, SafeString]:
    """(a_html, b_html): each text with the words the other one lacks highlighted."""
    wa, wb = _words(a), _words(b)
    matcher = difflib.SequenceMatcher(
        a=[_key(w) for w in wa], b=[_key(w) for w in wb], autojunk=False
    )
    only_a: list[tuple[int, int]] = []
    only_b: list[tuple[int, int]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag in ("replace", "delete"):
            only_a.append((i1, i2))
        if tag in ("replace", "insert"):
            only_b.append((j1, j2))
    return _render(wa, only_a, "diff-del"), _render(wb, only_b, "diff-ins")
