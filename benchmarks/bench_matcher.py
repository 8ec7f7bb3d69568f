"""Speed and memory of the duplicate matcher on a synthetic corpus.

    .venv/bin/python benchmarks/bench_matcher.py --sizes 100000 1000000 --queries 300 \
        --clusters-up-to 100000

The corpus perturbs and combines the Madrid proposals (word drops, swaps, a sentence
borrowed from another proposal, a street number changed) until it has N ideas. Prints
build time, query p50/p95 (queries are perturbed Madrid ideas), time for all clusters
and peak RSS (resource.getrusage, Linux kilobytes).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.moderation.matcher import DuplicateIndex  # noqa: E402
from forum.moderation.matcher.normalize import plain_text  # noqa: E402

DATA = Path("/work/shared/data/decide_madrid_proposals.csv")


def load() -> list[tuple[str, str]]:
    with DATA.open(encoding="utf-8", newline="") as f:
        return [
            (r["title"], plain_text(r["description"])) for r in csv.DictReader(f, delimiter=";")
        ]


def perturb(rng: random.Random, words: list[str], p_drop: float = 0.1) -> list[str]:
    out = [w for w in words if rng.random() > p_drop] or words[:1]
    for _ in range(max(1, len(out) // 10)):
        if len(out) > 1:
            i = rng.randrange(len(out) - 1)
            out[i], out[i + 1] = out[i + 1], out[i]
    return out


def synth(base: list[tuple[str, str]], n: int, seed: int = 7):
    rng = random.Random(seed)
    for i in range(n):
        title, body = base[rng.randrange(len(base))]
        t = perturb(rng, title.split())
        b = perturb(rng, body.split()[:120])
        if rng.random() < 0.3:
            other = base[rng.randrange(len(base))][1].split()
            b += other[:20]
        if rng.random() < 0.2:
            t.append(str(rng.randrange(1, 300)))
        yield str(i), " ".join(t), " ".join(b)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(size: int, queries: int, do_clusters: bool, base) -> None:
    index = DuplicateIndex()
    t0 = time.perf_counter()
    for key, title, body in synth(base, size):
        index.add(key, title, body)
    build = time.perf_counter() - t0
    print(
        f"\n== {size:,} ideas: build {build:.1f} s ({size / build:,.0f} ideas/s), "
        f"peak RSS {peak_rss_mb():,.0f} MB"
    )

    rng = random.Random(99)
    timings = []
    for _ in range(queries):
        title, body = base[rng.randrange(len(base))]
        title = " ".join(perturb(rng, title.split()))
        t = time.perf_counter()
        index.query(title, body)
        timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    p50 = statistics.median(timings)
    p95 = timings[int(0.95 * (len(timings) - 1))]
    print(f"query x{queries}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.1f} ms")

    if do_clusters:
        t0 = time.perf_counter()
        clusters = index.clusters()
        took = time.perf_counter() - t0
        big = max((len(c) for c in clusters), default=0)
        print(f"clusters: {len(clusters):,} clusters (largest {big:,}) in {took:.1f} s")
    print(f"peak RSS {peak_rss_mb():,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--clusters-up-to", type=int, default=100_000)
    args = ap.parse_args()
    base = load()
    for size in args.sizes:
        run(size, args.queries, size <= args.clusters_up_to, base)


if __name__ == "__main__":
    main()
