"""Speed and memory of the duplicate matcher on a synthetic corpus.

    .venv/bin/python benchmarks/bench_matcher.py --sizes 100000 1000000 --queries 300 \
        --clusters-up-to 100000

The corpus perturbs and combines the Madrid proposals (word drops, swaps, a sentence
borrowed from another proposal, a street number changed) until it has N ideas. Prints
build time, query p50/p95 (queries are perturbed Madrid ideas), time for all clusters
and peak RSS (resource.getrusage, Linux kilobytes). Wall-clock times are printed with the
process CPU time next to them ("cpu"): on a shared machine the wall clock also counts time
spent waiting for other processes, the CPU time is what the matcher itself costs. The load
average at start and end is printed so a loaded run is recognisable.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.moderation.matcher import SUGGEST_THRESHOLD, DuplicateIndex  # noqa: E402
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
    t0, c0 = time.perf_counter(), time.process_time()
    for key, title, body in synth(base, size):
        index.add(key, title, body)
    build, build_cpu = time.perf_counter() - t0, time.process_time() - c0
    print(
        f"\n== {size:,} ideas: build {build:.1f} s (cpu {build_cpu:.1f} s, "
        f"{size / build_cpu:,.0f} ideas/cpu-s), peak RSS {peak_rss_mb():,.0f} MB"
    )

    # The clustering threshold, and the lower one the product's suggestions use (bot, queue).
    for label, cutoff in (("threshold", None), ("suggest", SUGGEST_THRESHOLD)):
        rng = random.Random(99)
        timings, cpu = [], []
        for _ in range(queries):
            title, body = base[rng.randrange(len(base))]
            title = " ".join(perturb(rng, title.split()))
            t, c = time.perf_counter(), time.process_time()
            index.query(title, body, min_score=cutoff)
            timings.append((time.perf_counter() - t) * 1000)
            cpu.append((time.process_time() - c) * 1000)
        for name, xs in (("wall", timings), ("cpu", cpu)):
            xs.sort()
            p50 = statistics.median(xs)
            p95 = xs[int(0.95 * (len(xs) - 1))]
            print(
                f"query x{queries} at {label} {cutoff or index.threshold:g} ({name}): "
                f"p50 {p50:.2f} ms, p95 {p95:.2f} ms, max {xs[-1]:.1f} ms"
            )

    if do_clusters:
        t0, c0 = time.perf_counter(), time.process_time()
        clusters = index.clusters()
        took, took_cpu = time.perf_counter() - t0, time.process_time() - c0
        big = max((len(c) for c in clusters), default=0)
        print(
            f"clusters: {len(clusters):,} clusters (largest {big:,}) in {took:.1f} s "
            f"(cpu {took_cpu:.1f} s)"
        )
    print(f"peak RSS {peak_rss_mb():,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--clusters-up-to", type=int, default=100_000)
    args = ap.parse_args()
    base = load()
    print("load average at start: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))
    for size in args.sizes:
        run(size, args.queries, size <= args.clusters_up_to, base)
    print("load average at end: {:.1f} {:.1f} {:.1f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
