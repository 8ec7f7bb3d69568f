"""Recognise test, attack and spam posts (XSS probes, SSRF probes, "URL Test N" floods).

The matcher keeps probes in their own world: a probe is only ever compared with other
probes, so a flood of attack posts can never be merged into a citizen's proposal.
Other parts of the forum (moderation queue, rate limits) can reuse ``looks_like_probe``.
"""

from __future__ import annotations

import html
import re

from .normalize import strip_accents, strip_html

# Markup or payloads no citizen writes in a proposal. Checked on the raw *and* unescaped
# text because editors store ``&lt;script&gt;``.
_PAYLOAD = re.compile(
    r"""
    <\s*(?:script|iframe|object|embed|svg|img|body|style)\b
    | \bon(?:click|error|load|mouseover|focus|submit|toggle|animationstart)\s*=
    | javascript\s*:
    | \balert\s*\(
    | \bprompt\s*\(
    | document\.cookie
    | \{\{\s*\d+\s*\*\s*\d+\s*\}\}
    | \$\{\s*jndi:
    | \bunion\s+select\b
    | '\s*or\s+'?1'?\s*=\s*'?1
    | \.\./\.\./
    | /etc/passwd
    | \bssrf\b
    | \bxss\b
    | interactsh | \boast\.(?:fun|me|live|site|online|pro) | burpcollaborator
    | \bflag\.txt\b
    | 169\.254\.169\.254 | \blocalhost\b | \b127\.0\.0\.1\b | metadata\.google\.internal
    """,
    re.IGNORECASE | re.VERBOSE,
)
_TRIGGERS = (
    "<",
    "&lt",
    "=",
    "javascript",
    "alert",
    "prompt",
    "cookie",
    "{{",
    "${",
    "select",
    "'",
    "../",
    "passwd",
    "ssrf",
    "xss",
    "interactsh",
    "oast.",
    "burpcollab",
    "flag.txt",
    "169.254",
    "localhost",
    "127.0.0.1",
    "metadata.google",
)
# A Unix timestamp (2017-2033) glued into a title: typical of scripted submissions.
_TIMESTAMP = re.compile(r"\b1[5-9]\d{8}\b")
_TEST_WORD = re.compile(r"\b(?:test\w*|testing|dummy|lorem|asdf\w*|qwerty)\b", re.IGNORECASE)
_WORD = re.compile(r"[a-z]+")
# Words that are frequent in Spanish prose and not English words.
_SPANISH = frozenset(
    [
        "de",
        "la",
        "el",
        "en",
        "que",
        "los",
        "las",
        "del",
        "por",
        "para",
        "con",
        "una",
        "se",
        "al",
        "lo",
        "su",
        "sus",
        "le",
        "les",
        "muy",
        "mas",
        "pero",
        "como",
        "este",
        "esta",
        "hay",
        "son",
        "calle",
        "barrio",
        "zona",
        "parque",
    ]
)


def _spanish_ratio(text: str) -> float:
    words = _WORD.findall(strip_accents(text.lower()))
    if not words:
        return 0.0
    return sum(1 for w in words if w in _SPANISH) / len(words)


def looks_like_probe(title: str, body: str = "") -> bool:
    """True for posts that are security probes, scripted tests or keyboard mashing.

    Errs on the side of *not* flagging: a real proposal flagged as a probe only loses its
    duplicate suggestions, while a probe that slips through can at worst be matched
    against other text (and still needs a score above the threshold).
    """
    title = title or ""
    body = body or ""
    raw = f"{title}\n{body}"
    low = raw.lower()
    # Cheap substring screen first: the payload regex is the slowest step of indexing.
    if any(t in low for t in _TRIGGERS) and (
        _PAYLOAD.search(raw) or _PAYLOAD.search(html.unescape(raw))
    ):
        return True
    if _TIMESTAMP.search(title):
        return True
    if _TEST_WORD.search(title):
        # "Test de VIH gratuito en los centros de salud" is Spanish prose; "Test Proposal
        # with YouTube URL" and "testsia" are not.
        text = f"{title} {strip_html(body)}"
        if _spanish_ratio(text) < 0.12:
            return True
    return False
