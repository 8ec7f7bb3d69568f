"""The idea list's search at 100,000 ideas on PostgreSQL: count and first page, per query.

    .venv/bin/python benchmarks/bench_search.py [--url URL] [--repeat 20]

Runs ``selectors.idea_list`` (the list page's own query: filter, ``relevance`` rank, order,
the page's 20 rows and its ``COUNT``) for a few searches people type, on the database filled by
``benchmarks/seed_bulk.py`` (default ``postgres://postgres@127.0.0.1:5432/foro_bench``), and
prints the number of matches and the median and p95 milliseconds of count + first page, with
the list without a search for comparison. Talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/foro_bench"
QUERIES = [
    "",
    "sordos",
    "otec biobio",
    "cursos",
    "capacitación de mujeres en oficios",
    "lengua de señas los lagos",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if "127.0.0.1" not in args.url and "localhost" not in args.url:
        sys.exit("bench_search only reads a local database (127.0.0.1)")
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from forum.participation import selectors
    from forum.participation.models import Idea

    print(f"{Idea.objects.count():,} ideas")
    print(f"{'query':<40} {'matches':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for q in QUERIES:
        timings = []
        count = 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            qs = selectors.idea_list(selectors.IdeaFilters(q=q or None))
            count = qs.count()
            list(qs[:20])
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
        label = f"«{q}»" if q else "(no search)"
        print(f"{label:<40} {count:>8,} {statistics.median(timings):>8.1f} {p95:>8.1f}")


if __name__ == "__main__":
    main()
