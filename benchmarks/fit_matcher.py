"""Try extra scoring features and a logistic-regression combination, honestly cross-validated.

    .venv/bin/python benchmarks/fit_matcher.py [--seeds 5] [--folds 5]

For every labelled pair of tests/data/duplicate_pairs.csv it computes candidate features:

- ``cur``    the shipped score (scoring.score_normalized) / 100
- ``T``      the shipped title similarity (token_sort/token_set mean) / 100
- ``tset``   rapidfuzz token_set_ratio of normalised titles, ``tpart`` partial_ratio
- ``C``      the shipped IDF-weighted word cosine (title words x2), ``both`` = both bodies exist
- ``dm``     the shipped distinctive-word mismatch, ``num`` differing title numbers
- ``gt3``    char 3-gram TF-IDF cosine of titles; ``gtb3``/``gtb4`` the same on title+body;
  ``gb3``/``gb4`` on bodies, only when both bodies exist (else 0). Char-gram IDF comes from
  the whole corpus of 2,738 proposals (unsupervised).
- ``ijac``/``icont`` IDF-weighted Jaccard / containment of the word sets
- ``tcmin``/``tcmax`` share of each title's IDF mass found anywhere in the other idea
- ``caps``   share of capitalised words (street, park, barrio names) in one original text
  that the other never mentions; ``mmax`` IDF of the rarest title word missing on the
  other side
- interactions ``Tb``/``Tnb`` (T when both / not both bodies exist), ``curb``/``curnb``,
  ``dmb``/``dmnb``

then, for each feature set, fits a pure-Python L2-regularised logistic regression (Newton /
IRLS, a few features, a few hundred pairs) and reports precision / recall / F1 on held-out
folds: k-fold cross-validation repeated with several shuffles, where the weights *and* the
decision threshold are chosen on the training folds only (probe-vs-real pairs are forced to
0, as in the matcher). The full-set F1 (fitted and thresholded on all pairs, optimistic) is
printed next to it.

It also cross-validates the shipped hand-tuned scorer the same way: its tuned constants
(title exponent, distinctive-word penalty, title-only factor) are picked by grid search on
the training folds only, together with the threshold. Results and the decision are in
docs/matcher.md.
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
from collections import Counter
from itertools import product
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matcher_quality import load_ideas, load_pairs  # noqa: E402
from rapidfuzz import fuzz  # noqa: E402

from forum.moderation.matcher import (  # noqa: E402
    DuplicateIndex,
    looks_like_probe,
    scoring,
)
from forum.moderation.matcher.normalize import (  # noqa: E402
    _URL,
    STOP_WORDS,
    normalize_idea,
    plain_text,
    strip_accents,
)

_WORD = re.compile(r"[a-z0-9]+")
_CAPS = re.compile(r"\b([A-ZÁÉÍÓÚÑ][a-záéíóúñü]{2,})")

FEATURE_SETS: dict[str, list[str]] = {
    "shipped score alone": ["cur"],
    "shipped score, split by body presence": ["curb", "curnb", "both"],
    "shipped parts (T, C, dm, num)": ["T", "C", "both", "dm", "num"],
    "parts split by body presence": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num"],
    "parts + char 3-gram title": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "gt3"],
    "parts + char 3-gram title+body": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "gtb3"],
    "parts + char 4-gram title+body": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "gtb4"],
    "parts + char 3-gram body (both)": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "gb3"],
    "parts + IDF Jaccard/containment": [
        "Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "ijac", "icont",
    ],
    "parts + title containment": [
        "Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "tcmin", "tcmax",
    ],
    "parts + capitalised-name mismatch": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "caps"],
    "parts + rarest missing title word": ["Tnb", "Tb", "C", "both", "dmnb", "dmb", "num", "mmax"],
    "shipped score + char grams + containment": [
        "curb", "curnb", "both", "gb3", "gtb3", "tcmin", "tcmax", "caps",
    ],
    "everything": [
        "Tnb", "Tb", "tset", "tpart", "gt3", "C", "both", "dmnb", "dmb", "num", "gb3", "gtb3",
        "gtb4", "ijac", "icont", "tcmin", "tcmax", "caps", "mmax",
    ],
}  # fmt: skip


# -- features ----------------------------------------------------------------------------
class Featurizer:
    def __init__(self, ideas: dict[str, tuple[str, str]]) -> None:
        self.ideas = ideas
        self.n = len(ideas)
        index = DuplicateIndex()
        for key, (title, body) in ideas.items():
            index.add(key, title, body)
        self.idf = index._current_idf()
        self.top_idf = math.log(self.n + 1) + 1.0
        self.norm = {k: normalize_idea(t, b) for k, (t, b) in ideas.items()}
        self.probe = {k: looks_like_probe(t, b) for k, (t, b) in ideas.items()}
        words = {k: (self._words(t), self._words(b)[:120]) for k, (t, b) in ideas.items()}
        self.grams: dict[tuple[str, int], dict[str, Counter]] = {}
        self.gram_df: dict[tuple[str, int], Counter] = {}
        for part, n in product(("t", "tb", "b"), (3, 4)):
            grams = {}
            for k, (tw, bw) in words.items():
                text = {"t": tw, "tb": tw + tw + bw, "b": bw}[part]
                grams[k] = self._char_grams(text, n)
            df: Counter = Counter()
            for g in grams.values():
                df.update(g.keys())
            self.grams[part, n] = grams
            self.gram_df[part, n] = df
        self.caps = {k: self._caps(t, b) for k, (t, b) in ideas.items()}

    @staticmethod
    def _words(text: str) -> list[str]:
        text = strip_accents(_URL.sub(" ", plain_text(text)).lower())
        return [w for w in _WORD.findall(text) if w not in STOP_WORDS]

    @staticmethod
    def _char_grams(words: list[str], n: int) -> Counter:
        s = " " + " ".join(words) + " "
        return Counter(s[i : i + n] for i in range(len(s) - n + 1)) if words else Counter()

    @staticmethod
    def _caps(title: str, body: str) -> set[str]:
        # Capitalised words not at the start of a sentence: mostly place names.
        text = plain_text(title) + ". " + plain_text(body)[:800]
        out = set()
        for sentence in re.split(r"[.!?¿¡:\n]", text):
            for m in list(_CAPS.finditer(sentence.strip()))[1:]:
                w = strip_accents(m.group(1).lower())
                if w not in STOP_WORDS:
                    out.add(normalize_idea(w).title or w)
        return out

    def _gram_cos(self, key, a: str, b: str) -> float:
        ga, gb = self.grams[key][a], self.grams[key][b]
        if not ga or not gb:
            return 0.0
        df, n = self.gram_df[key], self.n

        def vec(g: Counter) -> dict[str, float]:
            return {x: (1 + math.log(c)) * math.log((n + 1) / (df[x] + 1)) for x, c in g.items()}

        va, vb = vec(ga), vec(gb)
        dot = sum(v * vb[x] for x, v in va.items() if x in vb)
        na = math.sqrt(sum(v * v for v in va.values()))
        nb = math.sqrt(sum(v * v for v in vb.values()))
        return dot / (na * nb) if na and nb else 0.0

    def features(self, a: str, b: str) -> dict[str, float]:
        na, nb = self.norm[a], self.norm[b]
        idf = self.idf
        both = 1.0 if na.has_body and nb.has_body else 0.0
        all_a = set(na.title_tokens) | set(na.body_tokens)
        all_b = set(nb.title_tokens) | set(nb.body_tokens)
        f: dict[str, float] = {"both": both}
        f["cur"] = scoring.score_normalized(na, nb, idf) / 100
        f["T"] = scoring._title_similarity(na.title, nb.title) / 100
        f["tset"] = fuzz.token_set_ratio(na.title, nb.title) / 100
        f["tpart"] = fuzz.partial_ratio(na.title, nb.title) / 100
        f["C"] = scoring.weighted_cosine(na, nb, idf)
        f["dm"] = scoring.distinct_mismatch(na, nb, idf)
        f["num"] = 1.0 if na.numbers != nb.numbers and (na.numbers or nb.numbers) else 0.0
        for part, n in product(("t", "tb", "b"), (3, 4)):
            v = self._gram_cos((part, n), a, b)
            f[f"g{part}{n}"] = v * both if part == "b" else v
        inter = sum(idf(t) for t in all_a & all_b)
        ma, mb = sum(idf(t) for t in all_a), sum(idf(t) for t in all_b)
        f["ijac"] = inter / (ma + mb - inter) if ma + mb - inter else 0.0
        f["icont"] = inter / min(ma, mb) if min(ma, mb) else 0.0
        ta, tb = set(na.title_tokens), set(nb.title_tokens)
        mta, mtb = sum(idf(t) for t in ta), sum(idf(t) for t in tb)
        ca = sum(idf(t) for t in ta if t in all_b) / mta if mta else 0.0
        cb = sum(idf(t) for t in tb if t in all_a) / mtb if mtb else 0.0
        f["tcmin"], f["tcmax"] = min(ca, cb), max(ca, cb)
        caps_a, caps_b = self.caps[a], self.caps[b]
        if caps_a or caps_b:
            miss = sum(1 for w in caps_a if w not in all_b) + sum(
                1 for w in caps_b if w not in all_a
            )
            f["caps"] = miss / (len(caps_a) + len(caps_b))
        else:
            f["caps"] = 0.0
        missing = [idf(t) for t in ta if t not in all_b] + [idf(t) for t in tb if t not in all_a]
        f["mmax"] = max(missing) / self.top_idf if missing else 0.0
        nb_ = 1.0 - both
        f["Tb"], f["Tnb"] = f["T"] * both, f["T"] * nb_
        f["curb"], f["curnb"] = f["cur"] * both, f["cur"] * nb_
        f["dmb"], f["dmnb"] = f["dm"] * both, f["dm"] * nb_
        return f


# -- logistic regression (Newton / IRLS, pure Python) ------------------------------------
def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [[*row, b[i]] for i, row in enumerate(a)]
    for c in range(n):
        p = max(range(c, n), key=lambda r: abs(m[r][c]))
        m[c], m[p] = m[p], m[c]
        for r in range(n):
            if r != c and m[r][c]:
                f = m[r][c] / m[c][c]
                for k in range(c, n + 1):
                    m[r][k] -= f * m[c][k]
    return [m[i][n] / m[i][i] for i in range(n)]


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit_logistic(rows: list[list[float]], ys: list[int], l2: float = 1.0) -> list[float]:
    """Weights (last = intercept, not regularised) minimising log-loss + l2/2·|w|²."""
    d = len(rows[0]) + 1
    w = [0.0] * d
    xs = [[*x, 1.0] for x in rows]
    for _ in range(30):
        h = [[0.0] * d for _ in range(d)]
        g = [0.0] * d
        for x, y in zip(xs, ys, strict=True):
            p = _sigmoid(sum(wi * xi for wi, xi in zip(w, x, strict=True)))
            s = p * (1 - p)
            for i in range(d):
                g[i] += (p - y) * x[i]
                xi = x[i] * s
                for j in range(i, d):
                    h[i][j] += xi * x[j]
        for i in range(d):
            for j in range(i):
                h[i][j] = h[j][i]
            if i < d - 1:
                h[i][i] += l2
                g[i] += l2 * w[i]
        step = _solve(h, g)
        w = [wi - si for wi, si in zip(w, step, strict=True)]
        if max(abs(s) for s in step) < 1e-7:
            break
    return w


def predict(w: list[float], x: list[float]) -> float:
    return _sigmoid(w[-1] + sum(wi * xi for wi, xi in zip(w, x, strict=False)))


# -- evaluation --------------------------------------------------------------------------
def counts(scored, t):
    tp = sum(1 for s, y in scored if s >= t and y)
    fp = sum(1 for s, y in scored if s >= t and not y)
    fn = sum(1 for s, y in scored if s < t and y)
    return tp, fp, fn


def f1_of(scored, t) -> float:
    tp, fp, fn = counts(scored, t)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def pick_threshold(scored, grid) -> float:
    # Best F1; ties go to the threshold closest to the middle of the grid.
    mid = grid[len(grid) // 2]
    return max(grid, key=lambda t: (f1_of(scored, t), -abs(t - mid)))


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def cross_validate(fit_predict, n: int, seeds: int, folds: int):
    """fit_predict(train_idx, test_idx) -> [(score, y, threshold)] for test_idx."""
    res = []
    for seed in range(1, seeds + 1):
        idx = list(range(n))
        random.Random(seed).shuffle(idx)
        tp = fp = fn = 0
        for k in range(folds):
            test = idx[k::folds]
            tset = set(test)
            train = [i for i in idx if i not in tset]
            for s, y, t in fit_predict(train, test):
                tp += s >= t and y
                fp += s >= t and not y
                fn += s < t and y
        res.append(prf(tp, fp, fn))
    return tuple(sum(r[j] for r in res) / len(res) for j in range(3))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, default=5, help="shuffles of the k-fold split")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--first", type=int, default=0, help="only the first N pairs (0 = all)")
    args = ap.parse_args()

    ideas, pairs = load_ideas(), load_pairs()
    if args.first:
        pairs = pairs[: args.first]
    fz = Featurizer(ideas)
    feats = [fz.features(a, b) for a, b, _ in pairs]
    ys = [y for *_, y in pairs]
    forced0 = [fz.probe[a] != fz.probe[b] for a, b, _ in pairs]
    n = len(pairs)
    prob_grid = [i / 100 for i in range(5, 96)]
    print(f"{n} pairs ({sum(ys)} duplicates); {args.folds}-fold CV x {args.seeds} shuffles\n")
    print(f"{'logistic regression on':42} {'CV P':>6} {'CV R':>6} {'CV F1':>6} {'full F1':>8}")

    for name, names in FEATURE_SETS.items():
        rows = [[f[x] for x in names] for f in feats]

        def fit_predict(train, test, rows=rows):
            tr = [i for i in train if not forced0[i]]
            w = fit_logistic([rows[i] for i in tr], [ys[i] for i in tr], args.l2)

            def score(i):
                return 0.0 if forced0[i] else predict(w, rows[i])

            t = pick_threshold([(score(i), ys[i]) for i in train], prob_grid)
            return [(score(i), ys[i], t) for i in test]

        p, r, f = cross_validate(fit_predict, n, args.seeds, args.folds)
        full = fit_predict(list(range(n)), list(range(n)))
        ff = f1_of([(s, y) for s, y, _ in full], full[0][2])
        print(f"{name:42} {p:6.3f} {r:6.3f} {f:6.3f} {ff:8.3f}", flush=True)

    # The shipped hand-tuned scorer, with its constants re-tuned on training folds only.
    norms = [(fz.norm[a], fz.norm[b]) for a, b, _ in pairs]
    constants = ("TITLE_WEIGHT", "DISTINCT_PENALTY", "TITLE_ONLY_FACTOR")
    grid = list(product([0.45, 0.55, 0.65], [35.0, 45.0, 55.0], [0.6, 0.7, 0.8, 0.9, 1.0]))
    saved = tuple(getattr(scoring, x) for x in constants)
    by_combo = {}
    for combo in grid:
        for x, v in zip(constants, combo, strict=True):
            setattr(scoring, x, v)
        scoring.BODY_WEIGHT = 1 - scoring.TITLE_WEIGHT
        by_combo[combo] = [
            0.0 if forced0[i] else scoring.score_normalized(x, y, fz.idf)
            for i, (x, y) in enumerate(norms)
        ]
    for x, v in zip(constants, saved, strict=True):
        setattr(scoring, x, v)
    scoring.BODY_WEIGHT = 1 - scoring.TITLE_WEIGHT
    picked: Counter = Counter()
    last_pick: list = []
    thr_grid = [t / 2 for t in range(60, 160)]

    def fit_predict_hand(train, test):
        best = None
        for combo, sc in by_combo.items():
            tr = [(sc[i], ys[i]) for i in train]
            t = pick_threshold(tr, thr_grid)
            v = f1_of(tr, t)
            if best is None or v > best[0]:
                best = (v, combo, t)
        assert best is not None  # the grid has at least one combination
        _, combo, t = best
        picked[(*combo, t)] += 1
        last_pick[:] = [(*combo, t)]
        return [(by_combo[combo][i], ys[i], t) for i in test]

    def fit_predict_fixed(train, test):
        sc = by_combo[saved]
        t = pick_threshold([(sc[i], ys[i]) for i in train], thr_grid)
        return [(sc[i], ys[i], t) for i in test]

    print()
    p, r, f = cross_validate(fit_predict_fixed, n, args.seeds, args.folds)
    print(f"{'shipped scorer, threshold tuned in-fold':42} {p:6.3f} {r:6.3f} {f:6.3f}")
    p, r, f = cross_validate(fit_predict_hand, n, args.seeds, args.folds)
    print(f"{'shipped scorer, constants+threshold in-fold':42} {p:6.3f} {r:6.3f} {f:6.3f}")
    print("  picked (title exponent, penalty, title-only factor, threshold): times")
    for combo, times in picked.most_common(8):
        print(f"  {combo}: {times}")
    fit_predict_hand(list(range(n)), [])
    print(f"  picked on the full set: {last_pick[0]}")
    for combo in (saved, (*saved[:2], 1.0)):
        sc = [(by_combo[combo][i], ys[i]) for i in range(n)]
        t = pick_threshold(sc, thr_grid)
        print(f"  full set, constants {combo}: best threshold {t}, F1 {f1_of(sc, t):.3f}")


if __name__ == "__main__":
    main()
