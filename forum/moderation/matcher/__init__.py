"""Duplicate-idea matcher: Spanish normalisation, rapidfuzz scoring, candidate index.

Pure Python (plus rapidfuzz); imports nothing from Django. See ``docs/matcher.md``.
"""

from .index import (
    DEFAULT_THRESHOLD,
    SUGGEST_THRESHOLD,
    DuplicateIndex,
    Match,
    find_clusters,
    score_pair,
)
from .normalize import normalize, normalize_idea, strip_html, tokens
from .probe import looks_like_probe

__all__ = [
    "DEFAULT_THRESHOLD",
    "SUGGEST_THRESHOLD",
    "DuplicateIndex",
    "Match",
    "find_clusters",
    "looks_like_probe",
    "normalize",
    "normalize_idea",
    "score_pair",
    "strip_html",
    "tokens",
]
