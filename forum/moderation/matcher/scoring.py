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

from .normalize import Normalized, _stem_cached

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
    a: Normalized,
    b: Normalized,
    idf: IdfFn,
    cutoff: float | None = None,
    *,
    bound_only: bool = False,
    cosine: float | None = None,
) -> float:
    """Duplicate score 0..100.

    With ``cutoff``, a pair that cannot reach it even with identical descriptions gets an
    upper bound (below ``cutoff``) instead of its exact score, skipping the costly
    description cosine; every score at or above ``cutoff`` is exact. ``bound_only`` returns
    that upper bound (identical descriptions assumed) whatever it is. ``cosine``: the
    descriptions' ``weighted_cosine`` when the caller already has it.
    """
    title = _title_similarity(a.title, b.title)
    title_a, title_b = set(a.title_tokens), set(b.title_tokens)
    words_a, words_b = title_a.union(a.body_tokens), title_b.union(b.body_tokens)
    penalty = DISTINCT_PENALTY * _mismatch(title_a, title_b, words_a, words_b, idf)
    if a.numbers and b.numbers and a.numbers != b.numbers:
        penalty += NUMBER_PENALTY
    if a.has_body and b.has_body:
        if cutoff is not None:
            bound = (title**TITLE_WEIGHT) * (100.0**BODY_WEIGHT) - penalty
            if (
                bound_only or bound < cutoff - 1e-6
            ):  # margin: a rounded cosine can exceed 1.0 slightly
                return max(0.0, min(100.0, bound))
        if cosine is None:
            cosine = _cosine(_weights(a, idf), _weights(b, idf))
        cos = 100.0 * cosine
        # Geometric blend: a shared generic title ("Mejoras en Tetuán") cannot carry two
        # unrelated descriptions, and copied descriptions cannot carry unrelated titles.
        base = (title**TITLE_WEIGHT) * (cos**BODY_WEIGHT)
    else:
        base = title * TITLE_ONLY_FACTOR
    return max(0.0, min(100.0, base - penalty))


# -- the learned score ----------------------------------------------------------------------
#
# The hand-tuned score above misses the same request worded differently for the same place,
# and accepts the same template for another place. A logistic regression over it and a few
# more scale-free signals -- above all whether the two ideas name the same places
# (places.NameStats) -- separates them better: held-out F1 0.751 -> 0.788 (docs/matcher.md).
# Weights fitted by benchmarks/fit_scorer.py on tests/data/duplicate_pairs.csv (grouped
# cross-validation there); regenerate them with `fit_scorer.py --emit` after relabelling.

FEATURES = (
    "lexical",  # score_normalized / 100
    "title_in_other_min",  # share of each title's IDF mass found anywhere in the other idea
    "title_in_other_max",
    "rarest_shared",  # IDF of the rarest word both mention / the largest possible IDF
    "numbers_differ",  # both titles carry numbers and they differ
    "containment",  # IDF mass of shared words / that of the smaller idea
    "description_cosine",  # weighted_cosine when both have a description, else 0
    "description_missing",  # one or both have no description
    "place_missing",  # share of the titles' place names that the other idea never mentions
    "places_disjoint",  # both mention place names and share none
)
WEIGHTS = (2.8000, 2.5381, 1.5360, 1.9973, -2.1737, 2.3667, 0.6821, -0.6733, -0.9183, -1.6433)
INTERCEPT = -7.0771

# Two ideas that name places, none in common, are never clustered, however alike the rest
# ("Pumptrack en Valdebebas" / "Pumptrack en Valdezarza" with the same description); they can
# still be suggested to a person (SUGGEST_THRESHOLD 30 < 40 < DEFAULT_THRESHOLD 52). Of the
# labelled pairs, 235 name disjoint places and 6 of them are duplicates (a barrio whose name
# is two common words, "Pueblo Nuevo", that the names test cannot see); the cap changes no
# decision on them at the default threshold: the fitted weights already score them low. It
# matters where the weights cannot reach: near-identical templates, rare in the labels.
DIFFERENT_PLACES_CAP = 40.0

IsName = Callable[[str], bool]
_DISJOINT = FEATURES.index("places_disjoint")
_LEXICAL = FEATURES.index("lexical")
_COSINE = FEATURES.index("description_cosine")


def _no_names(word: str) -> bool:
    return False


def _mass(tokens: set[str], idf: IdfFn) -> float:
    return sum([idf(t) for t in tokens])


def _name_mass(words: set[str], idf: IdfFn) -> float:
    return sum([idf(_stem_cached(w)) for w in words])


def pair_features(
    a: Normalized,
    b: Normalized,
    idf: IdfFn,
    is_name: IsName = _no_names,
    *,
    lexical: float | None = None,
    cosine: float | None = None,
) -> list[float]:
    """The learned score's inputs (FEATURES order), each on a 0..1 scale.

    ``lexical`` (``score_normalized``) and ``cosine`` (``weighted_cosine`` of two ideas that
    both have a description) are computed unless given.
    """
    title_a, title_b = set(a.title_tokens), set(b.title_tokens)
    words_a, words_b = title_a.union(a.body_tokens), title_b.union(b.body_tokens)
    shared = words_a & words_b
    mass_ta, mass_tb = _mass(title_a, idf), _mass(title_b, idf)
    a_in_b = _mass(title_a & words_b, idf) / mass_ta if mass_ta else 0.0
    b_in_a = _mass(title_b & words_a, idf) / mass_tb if mass_tb else 0.0
    top = idf("")  # an unseen token: the largest IDF the corpus gives
    rarest = max([idf(t) for t in shared], default=0.0) / top if top > 0 else 0.0
    smaller = min(_mass(words_a, idf), _mass(words_b, idf))
    both = a.has_body and b.has_body
    names_ta = {w for w in a.title_words if is_name(w)}
    names_tb = {w for w in b.title_words if is_name(w)}
    names_a = names_ta.union(w for w in a.body_words if is_name(w))
    names_b = names_tb.union(w for w in b.body_words if is_name(w))
    title_names = _name_mass(names_ta | names_tb, idf)
    missing = _name_mass(names_ta - names_b, idf) + _name_mass(names_tb - names_a, idf)
    if both and cosine is None:
        cosine = weighted_cosine(a, b, idf)
    if lexical is None:
        lexical = score_normalized(a, b, idf, cosine=cosine)
    return [
        lexical / 100.0,
        min(a_in_b, b_in_a),
        max(a_in_b, b_in_a),
        rarest,
        1.0 if a.numbers and b.numbers and a.numbers != b.numbers else 0.0,
        _mass(shared, idf) / smaller if smaller else 0.0,
        cosine if both and cosine is not None else 0.0,  # always set when both
        0.0 if both else 1.0,
        missing / title_names if title_names else 0.0,
        1.0 if names_a and names_b and not (names_a & names_b) else 0.0,
    ]


def learned_score(features: list[float]) -> float:
    """0..100: the fitted probability that a moderator would merge the two ideas."""
    return learned_score_with(WEIGHTS, INTERCEPT, features)


def learned_score_with(weights, intercept: float, features: list[float]) -> float:
    z = intercept + sum([w * f for w, f in zip(weights, features, strict=True)])
    score = 0.0 if z < -30 else 100.0 / (1.0 + math.exp(-z))
    if features[_DISJOINT]:
        score = min(score, DIFFERENT_PLACES_CAP)
    return score


def score_learned(
    a: Normalized,
    b: Normalized,
    idf: IdfFn,
    is_name: IsName = _no_names,
    cutoff: float | None = None,
) -> float:
    """The matcher's score, 0..100 (``learned_score`` of ``pair_features``).

    With ``cutoff``, a pair whose hand-tuned score cannot be high enough gets an upper bound
    below ``cutoff`` instead of its exact score (see ``score_normalized``); every score at
    or above ``cutoff`` is exact. Valid because the weights of the lexical score and of the
    description cosine are positive (tested) and every other feature is computed exactly.
    """
    if cutoff is None or not (a.has_body and b.has_body):
        return learned_score(pair_features(a, b, idf, is_name))
    # Identical descriptions (cosine 1) give the highest score the pair could reach.
    bound = score_normalized(a, b, idf, cutoff=0.0, bound_only=True)
    features = pair_features(a, b, idf, is_name, lexical=bound, cosine=1.0)
    upper = learned_score(features)
    if upper < cutoff - 1e-6:
        return upper
    # Only the two description-dependent features change; the rest were computed exactly.
    cosine = weighted_cosine(a, b, idf)
    features[_LEXICAL] = score_normalized(a, b, idf, cosine=cosine) / 100.0
    features[_COSINE] = cosine
    return learned_score(features)


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
