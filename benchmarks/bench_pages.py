"""Requests per second and latency of the public pages and /api/ideas, under daphne, on PostgreSQL.

    .venv/bin/python benchmarks/bench_pages.py [--ideas 100000] [--seconds 15] [--concurrency 8]

The database named in ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/bench_pages``)
is created if missing, migrated and filled up to ``--ideas`` ideas (bulk inserts, realistic
statuses, histories and support counts; run again and it reuses them). Then one daphne process is
started on 127.0.0.1 with ``DEBUG`` off, and for each scenario a fixed number of concurrent
clients (httpx, keep-alive) request pages for ``--seconds``; the script prints requests per second
and p50/p95/p99 latency, and stops daphne. Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_pages")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DEBUG", "1")  # for setup only; daphne below runs with DEBUG off
os.environ.setdefault("LOG_LEVEL", "WARNING")

from tests.daphne_proc import start_daphne  # noqa: E402

TITLES = [
    "Fiscalizar la calidad de las OTEC en {r}",
    "Seguimiento de egresados a los seis meses en {r}",
    "Cursos de lengua de señas para funcionarios de {r}",
    "Más cupos de capacitación en oficios para jóvenes de {r}",
    "Foros virtuales para quienes no pueden viajar en {r}",
    "Certificación de competencias para trabajadores de temporada de {r}",
    "Capacitación en herramientas digitales para microempresas de {r}",
    "Horarios vespertinos para cursos de personas que trabajan en {r}",
]
BODY = (
    "En el diálogo de {r} se planteó que la oferta de cursos no conversa con lo que piden las "
    "empresas de la zona. Proponemos que el consejo revise cada año la pertinencia de los "
    "programas con datos de colocación y la opinión de quienes egresan, y que los resultados "
    "se publiquen por comuna."
)


def _ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare(n_ideas: int) -> list[str]:
    """Migrate and fill the database; return a sample of tracking codes for idea pages."""
    _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from forum.participation import codes
    from forum.participation.lifecycle import IdeaStatus
    from forum.participation.models import (
        Channel,
        Council,
        Dialogue,
        Idea,
        Person,
        Region,
        StatusChange,
        Topic,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(21719)
    regions = list(Region.objects.all())
    topics = [
        Topic.objects.get_or_create(slug=f"bench-{i}", defaults={"name": f"Tema de prueba {i}"})[0]
        for i in range(12)
    ]
    dialogues = []
    for i, region in enumerate(regions):
        council = Council.objects.get(region=region)
        dialogue, _ = Dialogue.objects.get_or_create(
            slug=f"bench-dialogo-{i}",
            defaults={
                "title": f"Diálogo de {region.name}",
                "council": council,
                "region": region,
                "date": "2026-10-01",
                "place": "Sede regional",
                "attendance": 80,
            },
        )
        dialogues.append(dialogue)
    people = list(Person.objects.filter(display_name__startswith="Bench ")[:2000])
    if len(people) < 2000:
        Person.objects.bulk_create(
            [Person(display_name=f"Bench {i}") for i in range(len(people), 2000)]
        )
        people = list(Person.objects.filter(display_name__startswith="Bench ")[:2000])

    have = Idea.objects.count()
    statuses = [s.value for s in IdeaStatus if s != IdeaStatus.MERGED]
    weights = [14, 18, 11, 10, 11, 12, 10, 8, 6]
    used = set(Idea.objects.values_list("tracking_code", flat=True))
    started = time.perf_counter()
    batch = 5000
    while have < n_ideas:
        size = min(batch, n_ideas - have)
        rows = []
        for _ in range(size):
            code = codes.generate_code()
            while code in used:
                code = codes.generate_code()
            used.add(code)
            region = rng.choice(regions)
            status = rng.choices(statuses, weights)[0]
            rows.append(
                Idea(
                    tracking_code=code,
                    title=rng.choice(TITLES).format(r=region.name),
                    body=BODY.format(r=region.name),
                    author=rng.choice(people),
                    channel=rng.choice(
                        [Channel.WEB, Channel.TELEGRAM, Channel.WHATSAPP, Channel.IN_PERSON]
                    ),
                    region=region,
                    topic=rng.choice(topics),
                    dialogue=rng.choice(dialogues) if rng.random() < 0.4 else None,
                    status=status,
                    # Skewed like the demo: a few ideas hold many supports.
                    support_count=int(rng.paretovariate(1.3)) - 1,
                )
            )
        with transaction.atomic():
            ideas = Idea.objects.bulk_create(rows)
            history = []
            for idea in ideas:
                history.append(
                    StatusChange(
                        idea=idea,
                        from_status="",
                        to_status="received",
                        public_message="Idea recibida.",
                    )
                )
                if idea.status != IdeaStatus.RECEIVED:
                    history.append(
                        StatusChange(
                            idea=idea,
                            from_status="received",
                            to_status=idea.status,
                            public_message="Cambio de estado registrado por el consejo.",
                        )
                    )
            StatusChange.objects.bulk_create(history)
        have += size
        print(f"  {have} ideas…", flush=True)
    if time.perf_counter() - started > 1:
        print(f"filled in {time.perf_counter() - started:.0f} s", flush=True)
    call_command("migrate", verbosity=0)  # no-op; keeps the connection healthy after bulk work
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    sample = list(Idea.objects.order_by("?").values_list("tracking_code", flat=True)[:500])
    connection.close()
    return [codes.format_code(c) for c in sample]


def daphne_env() -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-not-secret",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
        "SECURE_COOKIES": "0",
    }


async def run_scenario(base: str, make_path, seconds: float, concurrency: int) -> dict:
    import httpx

    latencies: list[float] = []
    errors = 0
    stop_at = time.perf_counter() + seconds

    async def client_loop(client: httpx.AsyncClient) -> None:
        nonlocal errors
        while time.perf_counter() < stop_at:
            path = make_path()
            t0 = time.perf_counter()
            try:
                r = await client.get(path)
                ok = r.status_code == 200
            except httpx.HTTPError:
                ok = False
            if ok:
                latencies.append(time.perf_counter() - t0)
            else:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(
        base_url=base, limits=limits, timeout=30, headers={"Accept-Language": "es"}
    ) as client:
        await client.get("/")  # warm-up: templates, connection
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000 if latencies else 0
        )

    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1) if latencies else 0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()

    print(f"preparing {args.ideas} ideas in {os.environ['DATABASE_URL']}", flush=True)
    sample = prepare(args.ideas)
    rng = random.Random(1)
    pages = max(1, args.ideas // 20)
    scenarios = {
        "idea list, first page": lambda: "/ideas/",
        "idea list, random page": lambda: f"/ideas/?page={rng.randint(1, min(pages, 500))}",
        "idea list, region + most supported": lambda: (
            f"/ideas/?region={rng.choice(['biobio', 'maule', 'metropolitana'])}&order=supports"
        ),
        "idea list, text search": lambda: f"/ideas/?q={rng.choice(['señas', 'OTEC', 'temporada'])}",
        "idea page": lambda: f"/ideas/{rng.choice(sample)}/",
        "api /api/ideas": lambda: f"/api/ideas?offset={rng.randint(0, 2000)}",
        "home": lambda: "/",
    }
    server = start_daphne(daphne_env())
    results = {}
    try:
        base = server.origin
        for name, make_path in scenarios.items():
            res = asyncio.run(run_scenario(base, make_path, args.seconds, args.concurrency))
            results[name] = res
            print(
                f"{name:38s} {res['rps']:7.1f} req/s  p50 {res['p50_ms']:6.1f} ms  "
                f"p95 {res['p95_ms']:6.1f} ms  p99 {res['p99_ms']:6.1f} ms  "
                f"errors {res['errors']}",
                flush=True,
            )
    finally:
        server.stop()
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "ideas": args.ideas,
                    "seconds": args.seconds,
                    "concurrency": args.concurrency,
                    "results": results,
                },
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
