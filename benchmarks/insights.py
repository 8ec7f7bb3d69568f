"""Results pages and open-data downloads at 100,000 ideas on PostgreSQL, under one daphne.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/foro_bench \\
        .venv/bin/python benchmarks/insights.py [--seconds 15] [--concurrency 8]

Fill the database first with ``benchmarks/seed_bulk.py --ideas 100000`` (this script only
reads). It prints:

1. each aggregate's cold computation (cache empty) in this process, overall and for one region;
2. one daphne process (``DEBUG`` off, the cache in its memory as in a one-process deploy): the
   first request of each results page (cold: it computes and caches; ``--scopes`` regions,
   councils and dialogues), then, for each page,
   ``--concurrency`` clients with keep-alive for ``--seconds``: requests per second and
   p50/p95/p99 (target p95 ≤ 150 ms);
3. the full ideas CSV and JSON streamed through daphne: seconds to the last byte, megabytes and
   daphne's peak resident memory before and after (target ≤ 5 s, memory flat);
4. the ZIP of everything built in this process: seconds and size.

Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/foro_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DEBUG", "1")  # setup only; daphne below runs with DEBUG off
os.environ.setdefault("LOG_LEVEL", "WARNING")

from bench_pages import daphne_env, run_scenario  # noqa: E402  (this script's own folder)

from tests.daphne_proc import start_daphne  # noqa: E402


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cold_aggregates() -> None:
    import django

    django.setup()
    from django.core.cache import cache

    from forum.insights import selectors, success
    from forum.participation.models import Idea, Region

    print(f"{Idea.objects.count()} ideas in {os.environ['DATABASE_URL']}", flush=True)
    cache.clear()  # this process's own (local memory) cache unless REDIS_URL is set
    region = Region.objects.get(slug="biobio")
    for scope_name, scope in (
        ("overall", selectors.OVERALL),
        ("region biobio", selectors.Scope(region=region)),
    ):
        for name in ("headline", "accountability", "funnel", "trend", "breakdowns", "word_cloud"):
            t0 = time.perf_counter()
            getattr(selectors, name)(scope)
            print(f"  cold {scope_name:14s} {name:15s} {(time.perf_counter() - t0) * 1000:8.0f} ms")
        t0 = time.perf_counter()
        success.success_metric(scope)
        ms = (time.perf_counter() - t0) * 1000
        print(f"  cold {scope_name:14s} {'success_metric':15s} {ms:8.0f} ms", flush=True)


async def download(base: str, path: str) -> tuple[float, int]:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        t0 = time.perf_counter()
        size = 0
        async with client.stream("GET", path) as response:
            response.raise_for_status()
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        return time.perf_counter() - t0, size


async def first_request(base: str, path: str) -> float:
    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=300) as client:
        t0 = time.perf_counter()
        response = await client.get(path)
        response.raise_for_status()
        return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--scopes", type=int, default=4, help="regions/councils/dialogues each")
    parser.add_argument("--skip-zip", action="store_true")
    args = parser.parse_args()

    cold_aggregates()
    from django.db import connection

    from forum.participation.models import Council, Dialogue, Region

    # A sample of each kind of scope page (warming all 49 takes minutes on a busy machine).
    regions = list(Region.objects.values_list("slug", flat=True))[: args.scopes]
    councils = list(Council.objects.values_list("slug", flat=True))[: args.scopes]
    dialogues = list(Dialogue.objects.values_list("slug", flat=True))[: args.scopes]
    connection.close()
    rng = random.Random(1)
    scenarios = {
        # A page of the site that is not this app's, for the machine's state during the run.
        "/ (home, for comparison)": lambda: "/",
        "/resultados/": lambda: "/resultados/",
        "/resultados/?mapa=respondidas": lambda: "/resultados/?mapa=respondidas",
        "/resultados/region/<random>/": lambda: f"/resultados/region/{rng.choice(regions)}/",
        "/resultados/consejo/<random>/": lambda: f"/resultados/consejo/{rng.choice(councils)}/",
        "/resultados/dialogo/<random>/": lambda: f"/resultados/dialogo/{rng.choice(dialogues)}/",
        "/resultados/metrica/": lambda: "/resultados/metrica/",
        "/datos/": lambda: "/datos/",
        "/api/results/accountability": lambda: "/api/results/accountability",
    }
    server = start_daphne(daphne_env())
    try:
        base = server.origin
        warm = [
            "/resultados/", "/resultados/?mapa=respondidas", "/resultados/metrica/", "/datos/",
            "/api/results/accountability",
            *(f"/resultados/region/{s}/" for s in regions),
            *(f"/resultados/consejo/{s}/" for s in councils),
            *(f"/resultados/dialogo/{s}/" for s in dialogues),
        ]  # fmt: skip
        cold = {path: asyncio.run(first_request(base, path)) for path in warm}
        print(f"first request (cold, computes and caches): /resultados/ {cold[warm[0]]:.2f} s; "
              f"slowest {max(cold.values()):.2f} s ({max(cold, key=cold.__getitem__)}); "
              f"all {len(warm)} pages {sum(cold.values()):.1f} s", flush=True)  # fmt: skip
        for name, make_path in scenarios.items():
            res = asyncio.run(run_scenario(base, make_path, args.seconds, args.concurrency))
            print(
                f"{name:34s} {res['rps']:7.1f} req/s  p50 {res['p50_ms']:6.1f} ms  "
                f"p95 {res['p95_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms  "
                f"errors {res['errors']}",
                flush=True,
            )
        for path in ("/datos/ideas.csv", "/datos/ideas.json", "/datos/status_history.csv"):
            before = peak_rss_mb(server.proc.pid)
            seconds, size = asyncio.run(download(base, path))
            after = peak_rss_mb(server.proc.pid)
            print(
                f"{path:28s} {seconds:6.2f} s  {size / 1e6:7.1f} MB  "
                f"daphne peak RSS {before:.0f} → {after:.0f} MB",
                flush=True,
            )
    finally:
        server.stop()
    if not args.skip_zip:
        import tempfile

        from django.conf import settings

        from forum.insights import opendata

        with tempfile.TemporaryDirectory() as tmp:
            settings.OPEN_DATA_DIR = tmp
            t0 = time.perf_counter()
            built = opendata.zip_path(build=True)
            size = built.stat().st_size
            print(f"ZIP of everything: {time.perf_counter() - t0:.1f} s, {size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
