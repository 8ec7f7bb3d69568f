"""Moderation figures on the real Madrid file: import, index build, similar ideas, merge/unmerge,
moderator queue page.

    .venv/bin/python benchmarks/bench_moderation.py [--queries 300] [--merges 40]

Uses a fresh PostgreSQL database (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/bench_moderation``, dropped and recreated; set
``DATABASE_URL=sqlite`` to use a temporary SQLite file instead). Imports
``/work/shared/data/decide_madrid_proposals.csv`` with ``import_ideas``, then prints timings.
Talks only to 127.0.0.1; bounded by the file size and the counts given.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
MADRID = Path("/work/shared/data/decide_madrid_proposals.csv")


def _setup_env() -> str:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_moderation")
    if url == "sqlite":
        os.environ.pop("DATABASE_URL")
        os.environ["SQLITE_PATH"] = str(Path(tempfile.mkdtemp()) / "bench.sqlite3")
        return "sqlite"
    os.environ["DATABASE_URL"] = url
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return "postgresql"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def ms(values: list[float]) -> str:
    return (
        f"p50 {statistics.median(values) * 1000:.1f} ms, "
        f"p95 {pct(values, 95) * 1000:.1f} ms, max {max(values) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--merges", type=int, default=40)
    args = parser.parse_args()
    engine = _setup_env()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from forum.moderation import selectors, services
    from forum.moderation.index import shared_index
    from forum.moderation.roles import MODERATION
    from forum.participation.models import Idea
    from tests import factories

    call_command("migrate", verbosity=0)
    print(f"database: {engine}")

    t0 = time.perf_counter()
    out = io.StringIO()
    call_command(
        "import_ideas",
        str(MADRID),
        "--delimiter",
        ";",
        "--source",
        "madrid",
        "--region",
        "metropolitana",
        "--no-progress",
        stdout=out,
        stderr=io.StringIO(),
    )
    took = time.perf_counter() - t0
    print(
        f"import_ideas, 2,738 rows: {took:.1f} s ({2738 / took:.0f} rows/s) — "
        f"{out.getvalue().splitlines()[0]}"
    )
    t0 = time.perf_counter()
    call_command(
        "import_ideas",
        str(MADRID),
        "--delimiter",
        ";",
        "--source",
        "madrid",
        "--no-progress",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    print(f"import_ideas second run (nothing to add): {time.perf_counter() - t0:.1f} s")

    # Steady state: the imported ideas are not all "just created" (which would make every
    # catch-up re-read the whole table; see docs/moderation.md).
    import datetime as dt

    from django.utils import timezone

    hour_ago = timezone.now() - dt.timedelta(hours=1)
    Idea.objects.update(created_at=hour_ago, updated_at=hour_ago)

    t0 = time.perf_counter()
    shared_index().get()
    print(
        f"index build from the database ({len(shared_index().get())} ideas): "
        f"{time.perf_counter() - t0:.2f} s"
    )

    ideas = list(Idea.objects.values_list("pk", "title", "body"))
    rng = random.Random(7)
    sample = rng.sample(ideas, min(args.queries, len(ideas)))
    lat = []
    for pk, title, body in sample:
        t0 = time.perf_counter()
        selectors.similar_ideas(title, body, limit=3, exclude=pk)
        lat.append(time.perf_counter() - t0)
    print(f"similar_ideas (catch-up query + index + DB re-check), {len(lat)} queries: {ms(lat)}")
    raw = shared_index().get()
    lat = []
    for pk, title, body in sample:
        t0 = time.perf_counter()
        raw.query(title, body, limit=8, exclude=str(pk))
        lat.append(time.perf_counter() - t0)
    print(f"  of which DuplicateIndex.query alone: {ms(lat)}")

    mod = factories.user("bench-mod", groups=(MODERATION,))
    live = list(
        Idea.objects.filter(merged_into__isnull=True, status="received")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    merge_t, unmerge_t = [], []
    for i in range(args.merges):
        a, b = Idea.objects.get(pk=live[2 * i]), Idea.objects.get(pk=live[2 * i + 1])
        t0 = time.perf_counter()
        services.idea_merge(canonical=a, merged=[b], actor=mod, reason="bench")
        merge_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        services.idea_unmerge(merged_idea=b, actor=mod, reason="bench")
        unmerge_t.append(time.perf_counter() - t0)
    print(f"idea_merge (1 into 1): {ms(merge_t)}")
    print(f"idea_unmerge: {ms(unmerge_t)}")

    client = Client()
    client.force_login(mod)
    page_t = []
    for page in range(1, 11):
        t0 = time.perf_counter()
        response = client.get(f"/moderacion/?page={page}")
        page_t.append(time.perf_counter() - t0)
        assert response.status_code == 200
    print(f"moderator queue page (20 ideas with duplicates and diffs): {ms(page_t)}")


if __name__ == "__main__":
    main()
