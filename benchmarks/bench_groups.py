"""Duplicate groups built one idea at a time (``matcher.groups``): quality and cost.

    .venv/bin/python benchmarks/bench_groups.py --madrid           # quality on the Madrid file
    .venv/bin/python benchmarks/bench_groups.py --size 100000      # latency at 100,000 ideas

``--madrid`` feeds the 2,738 Madrid proposals in file order, as they would arrive, and prints:
the size distribution of the proposed groups; the moderator decisions needed to resolve every
duplicate today (one merge per idea that joins another: sum of size - 1 over the groups) and
with the group queue (one decision per group); pairwise precision and recall of the groups on
the labelled pairs (tests/data/duplicate_pairs.csv: a pair is "proposed" when both ideas end in
one group); what merging identical texts on arrival (``identity_key``) would merge, and whether
any labelled "different" pair is among them; the lowest matcher score whose precision on the
labelled pairs is at least 0.99.

``--size N`` grows the benchmark corpus of ``bench_matcher.py`` (perturbed Madrid proposals) to
N ideas, adding each to the index and placing it in a group, and prints the placement time per
idea (p50/p95/max, CPU and wall) over the last ``--measure`` ideas, the size distribution and
the largest group, next to what union-find clustering (``DuplicateIndex.clusters``) returns.
Database writes of the service (one to three small INSERT/UPDATE per arriving idea) are not in
these figures.
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_matcher import load, synth  # noqa: E402
from matcher_quality import load_ideas, load_pairs  # noqa: E402

from forum.moderation.matcher import DEFAULT_THRESHOLD, DuplicateIndex  # noqa: E402
from forum.moderation.matcher.groups import Groups, identity_key  # noqa: E402
from forum.moderation.matcher.normalize import plain_text  # noqa: E402


def distribution(sizes: list[int]) -> str:
    counts = collections.Counter(sizes)
    buckets = [(2, 2), (3, 3), (4, 5), (6, 10), (11, 20), (21, 30), (31, 10**9)]
    parts = []
    for lo, hi in buckets:
        n = sum(c for s, c in counts.items() if lo <= s <= hi)
        if n:
            label = str(lo) if lo == hi else (f"{lo}-{hi}" if hi < 10**9 else f">{lo - 1}")
            parts.append(f"{label}: {n}")
    return ", ".join(parts)


def madrid() -> None:
    ideas = load_ideas()
    index = DuplicateIndex()
    groups = Groups(index)
    identical: dict[str, str] = {}  # identity key -> first idea with it
    auto_merged: list[tuple[str, str]] = []
    for key, (title, body) in ideas.items():
        body = plain_text(body)
        ident = identity_key(title, body)
        if ident in identical:
            auto_merged.append((key, identical[ident]))
            continue  # merged on arrival: never indexed, never grouped
        identical[ident] = key
        groups.add(key, title, body)
        index.add(key, title, body)
    sizes = groups.sizes()
    in_groups = sum(sizes)
    print(f"Madrid: {len(ideas):,} proposals, {len(auto_merged)} merged on arrival (identical)")
    print(
        f"groups: {len(sizes)} holding {in_groups} ideas; largest {sizes[:6]}; "
        f"sizes {distribution(sizes)}"
    )
    print(
        "moderator decisions to resolve every duplicate: today (one merge per idea) "
        f"{in_groups - len(sizes) + len(auto_merged):,}; with the group queue (one per group) "
        f"{len(sizes):,} (identical reposts: 0, merged on arrival)"
    )
    # Pairwise precision/recall on the labelled pairs; an auto-merged idea counts as being
    # in its twin's group.
    twin = dict(auto_merged)

    def group(k: str):
        return groups.group_of.get(twin.get(k, k), ("alone", twin.get(k, k)))

    pairs = load_pairs()
    tp = fp = fn = 0
    for a, b, label in pairs:
        same = group(a) == group(b)
        tp += same and label == 1
        fp += same and label == 0
        fn += (not same) and label == 1
    print(
        f"groups on {len(pairs)} labelled pairs: precision {tp / max(1, tp + fp):.3f}, "
        f"recall {tp / max(1, tp + fn):.3f} (TP {tp}, FP {fp}, FN {fn})"
    )
    merged_pairs = {frozenset(p) for p in auto_merged}
    labelled = {frozenset((a, b)): label for a, b, label in pairs}
    hits = [labelled[p] for p in merged_pairs if p in labelled]
    wrong = [p for p in merged_pairs if labelled.get(p) == 0]
    # Identical keys between ideas that are both in a labelled pair (not only first-seen pairs).
    same_key_pairs = [
        label
        for a, b, label in pairs
        if a in ideas
        and b in ideas
        and identity_key(ideas[a][0], plain_text(ideas[a][1]))
        == identity_key(ideas[b][0], plain_text(ideas[b][1]))
    ]
    print(
        f"merge on arrival: {len(auto_merged)} ideas; labelled pairs with identical text: "
        f"{len(same_key_pairs)} ({sum(same_key_pairs)} labelled same, "
        f"{len(same_key_pairs) - sum(same_key_pairs)} labelled different); among the merged "
        f"pairs {len(hits)} labelled, {len(wrong)} labelled different"
    )
    # The lowest score with precision >= 0.99 on the labelled pairs (for a score-based rule).
    scored = []
    full = DuplicateIndex()
    for key, (title, body) in ideas.items():
        full.add(key, title, plain_text(body))
    for a, b, label in pairs:
        if a in ideas and b in ideas:
            ta, ba = ideas[a]
            scored.append((full.score_to(ta, plain_text(ba), b), label))
    scored.sort(reverse=True)
    best = None
    tp = fp = 0
    for score, label in scored:
        tp += label == 1
        fp += label == 0
        if tp / (tp + fp) >= 0.99:
            best = (score, tp, fp)
    if best:
        print(
            f"score with precision >= 0.99 on the labelled pairs: >= {best[0]:g} "
            f"({best[1]} same, {best[2]} different above it)"
        )


def large(size: int, measure: int, union_find: bool) -> None:
    base = load()
    index = DuplicateIndex()
    groups = Groups(index)
    wall: list[float] = []
    cpu: list[float] = []
    start = time.perf_counter()
    for n, (key, title, body) in enumerate(synth(base, size)):
        t, c = time.perf_counter(), time.process_time()
        groups.add(key, title, body)
        if n >= size - measure:
            wall.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        index.add(key, title, body)
    print(f"{size:,} ideas placed in {time.perf_counter() - start:.0f} s")
    for name, xs in (("wall", wall), ("cpu", cpu)):
        xs.sort()
        print(
            f"placement per idea over the last {len(xs):,} ({name}): "
            f"p50 {statistics.median(xs):.2f} ms, p95 {xs[int(0.95 * (len(xs) - 1))]:.2f} ms, "
            f"max {xs[-1]:.1f} ms"
        )
    sizes = groups.sizes()
    print(
        f"groups: {len(sizes):,} holding {sum(sizes):,} ideas; largest {sizes[:5]}; "
        f"sizes {distribution(sizes)}"
    )
    if union_find:
        t = time.perf_counter()
        clusters = index.clusters()
        uf = sorted((len(c) for c in clusters), reverse=True)
        print(
            f"union-find clusters (DuplicateIndex.clusters, {time.perf_counter() - t:.0f} s): "
            f"{len(uf):,}; largest {uf[:5]}; sizes {distribution(uf)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--madrid", action="store_true")
    ap.add_argument("--size", type=int, default=0)
    ap.add_argument("--measure", type=int, default=2000)
    ap.add_argument("--union-find", action="store_true")
    args = ap.parse_args()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    print(f"threshold {DEFAULT_THRESHOLD:g}")
    if args.madrid:
        madrid()
    if args.size:
        large(args.size, args.measure, args.union_find)
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
