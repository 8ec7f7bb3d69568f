"""Pairwise duplicate score (0..100) between two normalised ideas.

The score blends rapidfuzz similarities of title and body, then penalises what makes two
similar-looking requests different: a distinctive (rare) title word of one idea that the
other never mentions — usually a street, park or neighbourhood — and differing numbers
("URL Test 5" / "URL Test 6", "Alcalá 550" / "Alcalá 120").
"""

from __future__ import annotations

import math
from collections.abc import Callable

from rapidfuzz import fuzz

from .normalize import Normalized

# Weights chosen on tests/data/duplicate_pairs.csv (see docs/matcher.md).
TITLE_WEIGHT = 0.55
BODY_WEIGHT = 0.45
# Title-only comparison (one or both bodies empty) is less certain.
TITLE_ONLY_FACTOR = 1.0
DISTINCT_PENALTY = 45.0
NUMBER_PENALTY = 35.0

IdfFn = Callable[[str], float]


def _title_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return 0.5 * fuzz.token_sort_ratio(a, b) + 0.5 * fuzz.token_set_ratio(a, b)


def distinct_mismatch(a: Normalized, b: Normalized, idf: IdfFn) -> float:
    """Share (0..1) of the titles' IDF mass that only one side mentions anywhere."""
    words_a = set(a.title_tokens) | set(a.body_tokens)
    words_b = set(b.title_tokens) | set(b.body_tokens)
    title_a = set(a.title_tokens)
    title_b = set(b.title_tokens)
    total = 0.0
    missing = 0.0
    for tok in title_a:
        w = idf(tok)
        total += w
        if tok not in words_b:
            missing += w
    for tok in title_b:
        w = idf(tok)
        total += w
        if tok not in words_a:
            missing += w
    return missing / total if total else 0.0


def weighted_cosine(a: Normalized, b: Normalized, idf: IdfFn) -> float:
    """IDF-weighted cosine (0..1) of the two ideas' word sets, title words counted twice."""
    wa: dict[str, float] = {}
    for tok in a.body_tokens:
        wa[tok] = idf(tok)
    for tok in a.title_tokens:
        wa[tok] = 2.0 * idf(tok)
    wb: dict[str, float] = {}
    for tok in b.body_tokens:
        wb[tok] = idf(tok)
    for tok in b.title_tokens:
        wb[tok] = 2.0 * idf(tok)
    dot = sum(w * wb[t] for t, w in wa.items() if t in wb)
    if not dot:
        return 0.0
    na = math.sqrt(sum(w * w for w in wa.values()))
    nb = math.sqrt(sum(w * w for w in wb.values()))
    return dot / (na * nb)


def score_normalized(a: Normalized, b: Normalized, idf: IdfFn) -> float:
    title = _title_similarity(a.title, b.title)
    if a.body and b.body:
        cos = 100.0 * weighted_cosine(a, b, idf)
        # Geometric blend: a shared generic title ("Mejoras en Tetuán") cannot carry two
        # unrelated descriptions, and copied descriptions cannot carry unrelated titles.
        base = (title**TITLE_WEIGHT) * (cos**BODY_WEIGHT)
    else:
        base = title * TITLE_ONLY_FACTOR
    penalty = DISTINCT_PENALTY * distinct_mismatch(a, b, idf)
    if a.numbers != b.numbers and (a.numbers or b.numbers):
        penalty += NUMBER_PENALTY
    return max(0.0, min(100.0, base - penalty))


def make_idf(df: Callable[[str], int], n_docs: int) -> IdfFn:
    """Smoothed IDF; unseen tokens get the maximum weight."""
    log_n = math.log(n_docs + 1)

    def idf(tok: str) -> float:
        return log_n - math.log(df(tok) + 1) + 1.0

    return idf
