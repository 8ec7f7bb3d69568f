"""Fit the matcher's learned score and measure it on held-out pairs.

    .venv/bin/python benchmarks/fit_scorer.py [--seeds 5] [--l2 1.0] [--emit]

The matcher's score (``scoring.score_learned``) is a logistic regression over
``scoring.pair_features``: the hand-tuned lexical score and nine scale-free signals, among them
whether the two ideas name the same places (``places.NameStats``). This script computes those
features exactly as the index does (IDF and place names learnt from the 2,738 Madrid
proposals), for every pair of ``tests/data/duplicate_pairs.csv``, and

- cross-validates the whole fit: **grouped** 5-fold (pairs that share an idea, directly or
  through a chain of pairs, stay in one fold, so no idea is scored by weights fitted on it),
  weights *and* decision threshold chosen on the training folds only, pooled over the held-out
  folds and averaged over ``--seeds`` shuffles; the hand-tuned score with only its threshold
  chosen the same way is the baseline of the same run;
- fits the weights on all pairs and prints them, with the F1-best threshold on the set;
  ``--emit`` writes them into ``forum/moderation/matcher/scoring.py``.

Probe-vs-real pairs are scored 0 by the index whatever the features say; they are left out
of the fit and counted as 0 in every figure. Pure Python (the IRLS solver of fit_matcher.py).
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from fit_matcher import fit_logistic  # noqa: E402
from matcher_learned import components  # noqa: E402
from matcher_quality import load_ideas, load_pairs  # noqa: E402

from forum.moderation.matcher import DEFAULT_THRESHOLD, DuplicateIndex  # noqa: E402
from forum.moderation.matcher import scoring as S  # noqa: E402

SCORING = ROOT / "forum" / "moderation" / "matcher" / "scoring.py"


def features(ideas, pairs):
    """(feature rows, hand-tuned scores, probe-vs-real flags), in pair order."""
    index = DuplicateIndex()
    for key, (title, body) in ideas.items():
        index.add(key, title, body)
    idf, is_name = index._current_idf(), index.names.is_name
    docs = {key: index._docs[index._ids[key]] for key in ideas}
    rows, lexical, mixed = [], [], []
    for a, b, _ in pairs:
        da, db = docs[a], docs[b]
        # Nothing was removed from this index.
        assert da is not None
        assert db is not None
        rows.append(S.pair_features(da.norm, db.norm, idf, is_name))
        lexical.append(S.score_normalized(da.norm, db.norm, idf))
        mixed.append(da.probe != db.probe)
    return rows, lexical, mixed


def prf(scores, ys, t):
    tp = sum(1 for s, y in zip(scores, ys, strict=True) if s >= t and y)
    fp = sum(1 for s, y in zip(scores, ys, strict=True) if s >= t and not y)
    fn = sum(1 for s, y in zip(scores, ys, strict=True) if s < t and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scores, ys) -> float:
    cands = sorted(set(round(s, 1) for s in scores))
    return max(cands, key=lambda t: (prf(scores, ys, t)[2], -t))


def weighted(w, rows, mixed):
    return [
        0.0 if m else S.learned_score_with(w[:-1], w[-1], x)
        for x, m in zip(rows, mixed, strict=True)
    ]


def cross_validate(rows, lexical, mixed, ys, comp, seeds: int, l2: float, fixed=None):
    groups = sorted(set(comp))
    learned, hand, chosen = [], [], []
    for seed in range(seeds):
        order = groups[:]
        random.Random(seed).shuffle(order)
        fold_of_group = {g: i % 5 for i, g in enumerate(order)}
        fold = [fold_of_group[c] for c in comp]
        pred_l = [0.0] * len(ys)
        pred_h = [0.0] * len(ys)
        cut_l = [0.0] * len(ys)
        cut_h = [0.0] * len(ys)
        for k in range(5):
            train = [i for i in range(len(ys)) if fold[i] != k]
            test = [i for i in range(len(ys)) if fold[i] == k]
            fit = [i for i in train if not mixed[i]]
            w = fit_logistic([rows[i] for i in fit], [ys[i] for i in fit], l2)
            s_train = weighted(w, [rows[i] for i in train], [mixed[i] for i in train])
            t = best_threshold(s_train, [ys[i] for i in train]) if fixed is None else fixed
            chosen.append(t)
            s_test = weighted(w, [rows[i] for i in test], [mixed[i] for i in test])
            for i, s in zip(test, s_test, strict=True):
                pred_l[i], cut_l[i] = s, t
            h_train = [0.0 if mixed[i] else lexical[i] for i in train]
            th = best_threshold(h_train, [ys[i] for i in train])
            for i in test:
                pred_h[i], cut_h[i] = (0.0 if mixed[i] else lexical[i]), th
        learned.append(_pooled(pred_l, cut_l, ys))
        hand.append(_pooled(pred_h, cut_h, ys))
    mean = lambda runs: tuple(sum(r[j] for r in runs) / len(runs) for j in range(3))  # noqa: E731
    return mean(learned), mean(hand), chosen


def _pooled(scores, cuts, ys):
    tp = sum(1 for s, t, y in zip(scores, cuts, ys, strict=True) if s >= t and y)
    fp = sum(1 for s, t, y in zip(scores, cuts, ys, strict=True) if s >= t and not y)
    fn = sum(1 for s, t, y in zip(scores, cuts, ys, strict=True) if s < t and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def emit(w) -> None:
    text = SCORING.read_text(encoding="utf-8")
    weights = ", ".join(f"{x:.4f}" for x in w[:-1])
    text = re.sub(r"^WEIGHTS = \(.*?\)$", f"WEIGHTS = ({weights})", text, flags=re.M | re.S)
    text = re.sub(r"^INTERCEPT = .*$", f"INTERCEPT = {w[-1]:.4f}", text, flags=re.M)
    SCORING.write_text(text, encoding="utf-8")
    print(f"weights written to {SCORING.relative_to(ROOT)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=1.0)
    ap.add_argument("--emit", action="store_true", help="write the fitted weights into scoring.py")
    args = ap.parse_args()

    ideas, pairs = load_ideas(), load_pairs()
    ys = [y for *_, y in pairs]
    rows, lexical, mixed = features(ideas, pairs)
    comp = components(pairs)
    print(f"{len(pairs)} labelled pairs ({sum(ys)} duplicates), {len(set(comp))} groups")

    learned, hand, chosen = cross_validate(rows, lexical, mixed, ys, comp, args.seeds, args.l2)
    print(f"\nheld-out, grouped 5-fold x{args.seeds}       P      R     F1")
    for label, (p, r, f) in (
        ("hand-tuned score (threshold fitted)", hand),
        ("learned score (weights + threshold)", learned),
    ):
        print(f"{label}   {p:.3f}  {r:.3f}  {f:.3f}")
    print(f"  thresholds chosen in-fold: {min(chosen):.1f} .. {max(chosen):.1f}")
    fixed, _, _ = cross_validate(
        rows, lexical, mixed, ys, comp, args.seeds, args.l2, fixed=DEFAULT_THRESHOLD
    )
    print(
        f"learned score, weights fitted in-fold, threshold {DEFAULT_THRESHOLD:g} (the default)"
        f"   {fixed[0]:.3f}  {fixed[1]:.3f}  {fixed[2]:.3f}"
    )

    fit = [i for i in range(len(ys)) if not mixed[i]]
    w = fit_logistic([rows[i] for i in fit], [ys[i] for i in fit], args.l2)
    scores = weighted(w, rows, mixed)
    t = best_threshold(scores, ys)
    p, r, f = prf(scores, ys, t)
    print(
        f"\nfitted on all pairs (in-sample): best threshold {t:.1f}: P {p:.3f} R {r:.3f} F1 {f:.3f}"
    )
    for name, wi in zip(S.FEATURES, w, strict=False):
        print(f"  {name:22} {wi:+.4f}")
    print(f"  {'intercept':22} {w[-1]:+.4f}")
    if args.emit:
        emit(w)


if __name__ == "__main__":
    main()
