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

# Constants picked, together with index.DEFAULT_THRESHOLD, by grid search on
# tests/data/duplicate_pairs.csv; benchmarks/fit_matcher.py reruns that search inside k-fold
# cross-validation (held-out F1 in docs/matcher.md).
TITLE_WEIGHT = 0.55
BODY_WEIGHT = 0.45
# Title-only comparison (one or both bodies empty) is less certain: "Mesas de ping pong"
# vs "Instalación mesas de Ping Pong en Valdebebas" share every word of the shorter title.
# With 0.7 a title-only pair needs a title similarity of ~76 to reach the threshold.
TITLE_ONLY_FACTOR = 0.7
# The grid's full-set optimum is 35 (threshold 53.5), F1 0.861 vs 0.857 here: within noise,
# and 45 keeps "Carril bici C/ Goya" vs "... C/ Príncipe de Vergara" with the same
# description below the threshold.
DISTINCT_PENALTY = 45.0
# Applied only when both titles carry numbers and they differ. A number in one title only
# ("Autobús 165 al Hospital Ramón y Cajal" / "Autobús al Hospital Ramón y Cajal") is already
# charged by the distinctive-word penalty when the other idea never mentions it; charging it
# again cost real duplicates and no false alarm in the labelled pairs (docs/matcher.md).
NUMBER_PENALTY = 35.0

IdfFn = Callable[[str], float]


def _title_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return 0.5 * fuzz.token_sort_ratio(a, b) + 0.5 * fuzz.token_set_ratio(a, b)


def _mismatch(
    title_a: set[str], title_b: set[str], words_a: set[str], words_b: set[str], idf: IdfFn
) -> float:
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


def distinct_mismatch(a: Normalized, b: Normalized, idf: IdfFn) -> float:
    """Share (0..1) of the titles' IDF mass that only one side mentions anywhere."""
    title_a, title_b = set(a.title_tokens), set(b.title_tokens)
    return _mismatch(
        title_a, title_b, title_a.union(a.body_tokens), title_b.union(b.body_tokens), idf
    )


def _weights(n: Normalized, idf: IdfFn) -> dict[str, float]:
    w = dict(zip(n.body_tokens, map(idf, n.body_tokens), strict=True))
    for tok in n.title_tokens:
        w[tok] = 2.0 * idf(tok)
    return w


def _cosine(wa: dict[str, float], wb: dict[str, float]) -> float:
    common = wa.keys() & wb.keys()
    if not common:
        return 0.0
    dot = sum([wa[t] * wb[t] for t in common])
    return dot / (math.hypot(*wa.values()) * math.hypot(*wb.values()))


def weighted_cosine(a: Normalized, b: Normalized, idf: IdfFn) -> float:
    """IDF-weighted cosine (0..1) of the two ideas' word sets, title words counted twice."""
    return _cosine(_weights(a, idf), _weights(b, idf))


def score_normalized(
    a: Normalized, b: Normalized, idf: IdfFn, cutoff: float | None = None
) -> float:
    """Duplicate score 0..100.

    With ``cutoff``, a pair that cannot reach it even with identical descriptions gets an
    upper bound (below ``cutoff``) instead of its exact score, skipping the costly
    description cosine; every score at or above ``cutoff`` is exact.
    """
    title = _title_similarity(a.title, b.title)
    title_a, title_b = set(a.title_tokens), set(b.title_tokens)
    words_a, words_b = title_a.union(a.body_tokens), title_b.union(b.body_tokens)
    penalty = DISTINCT_PENALTY * _mismatch(title_a, title_b, words_a, words_b, idf)
    if a.numbers and b.numbers and a.numbers != b.numbers:
        penalty += NUMBER_PENALTY
    if a.body and b.body:
        if cutoff is not None:
            bound = (title**TITLE_WEIGHT) * (100.0**BODY_WEIGHT) - penalty
            if bound < cutoff - 1e-6:  # margin: a rounded cosine can exceed 1.0 slightly
                return max(0.0, min(100.0, bound))
        cos = 100.0 * _cosine(_weights(a, idf), _weights(b, idf))
        # Geometric blend: a shared generic title ("Mejoras en Tetuán") cannot carry two
        # unrelated descriptions, and copied descriptions cannot carry unrelated titles.
        base = (title**TITLE_WEIGHT) * (cos**BODY_WEIGHT)
    else:
        base = title * TITLE_ONLY_FACTOR
    return max(0.0, min(100.0, base - penalty))


_IDF_CACHE_MAX = 1_000_000


def make_idf(df: Callable[[str], int], n_docs: int) -> IdfFn:
    """Smoothed IDF; unseen tokens get the maximum weight.

    Memoised: a token's weight is computed once per ``make_idf`` call (the index makes a
    new one whenever its size changed by 10 %), so document frequencies are read as of the
    first lookup. Scoring looks up a few hundred tokens per pair, and without the memo
    these lookups were ~40 % of the time of ``clusters()``.
    """
    log_n = math.log(n_docs + 1) + 1.0
    cache: dict[str, float] = {}
    get = cache.get
    log = math.log

    def idf(tok: str) -> float:
        w = get(tok)
        if w is None:
            w = log_n - log(df(tok) + 1)
            if len(cache) < _IDF_CACHE_MAX:
                cache[tok] = w
        return w

    return idf
