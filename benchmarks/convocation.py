"""How long the convocation rule takes to propose a list, alone and with its database read.

    .venv/bin/python benchmarks/convocation.py [--orgs 20000] [--convocations 200000] \
        [--seats 60] [--runs 5] [--db]

Pure part: ``--orgs`` synthetic organisations (five categories, 30 communes, 12 value chains, a
fifth representing a group at risk) and ``--convocations`` past convocations spread over three
years; their history is summarised (last convocation, count in 12 months) and
``rule.propose`` fills ``--seats`` seats. Prints the median and worst of ``--runs`` runs, wall
clock and process CPU time (on a shared machine the wall clock includes waiting for others).

``--db``: the same registry in the database named by ``DATABASE_URL`` (default
``postgres://postgres@127.0.0.1:5432/h_convocation``; created, migrated and filled on the first
run, reused after), all in one region (the worst case: a real region holds a fraction); then
times ``selectors.candidates`` (one aggregate query) + ``rule.propose``, and the whole
``services.proposal_create`` (which also writes the list).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from forum.convocation import rule  # noqa: E402

TODAY = dt.date(2026, 9, 1)
COMMUNES = [f"Comuna {n}" for n in range(30)]
CHAINS = [f"Cadena {n}" for n in range(12)]
GROUPS = ["women", "youth", "disability", "migrants", "indigenous", "older"]


def registry(orgs: int, convocations: int, seed: int = 7):
    rnd = random.Random(seed)
    rows = []
    for i in range(1, orgs + 1):
        category = rule.CATEGORIES[i % 5]
        rows.append(
            (
                i,
                f"Organización {rnd.randrange(10**6):06d} {i}",
                category,
                rnd.choice(COMMUNES),
                rnd.choice(CHAINS),
                rnd.choice(GROUPS) if category == "exclusion_groups" or i % 5 == 0 else "",
            )
        )
    # Skewed: a tenth of the organisations get half the convocations (the fatigued ones).
    busy = max(1, orgs // 10)
    history = []
    for n in range(convocations):
        org = rnd.randrange(1, busy + 1) if n % 2 else rnd.randrange(1, orgs + 1)
        history.append((org, TODAY - dt.timedelta(days=rnd.randrange(0, 3 * 365))))
    return rows, history


def summarise(rows, history):
    since = TODAY - dt.timedelta(days=365)
    last: dict[int, dt.date] = {}
    count: dict[int, int] = {}
    for org, day in history:
        if day > last.get(org, dt.date.min):
            last[org] = day
        if day > since:
            count[org] = count.get(org, 0) + 1
    return [
        rule.Candidate(
            id=i,
            name=name,
            category=cat,
            territory=terr,
            value_chain=chain,
            at_risk_group=group,
            last_convened=last.get(i),
            convened_12m=count.get(i, 0),
        )
        for i, name, cat, terr, chain, group in rows
    ]


def timed(fn, runs: int) -> tuple[list[float], list[float], object]:
    walls, cpus, result = [], [], None
    for _ in range(runs):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    return walls, cpus, result


def report(label: str, walls: list[float], cpus: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(walls) * 1000:.0f} ms "
        f"(cpu {statistics.median(cpus) * 1000:.0f} ms), worst {max(walls) * 1000:.0f} ms"
    )


def pure(args) -> None:
    rows, history = registry(args.orgs, args.convocations)
    w, c = time.perf_counter(), time.process_time()
    candidates = summarise(rows, history)
    print(
        f"summarise {len(history):,} convocations: {(time.perf_counter() - w) * 1000:.0f} ms "
        f"(cpu {(time.process_time() - c) * 1000:.0f} ms)"
    )
    target = rule.Target(size=args.seats, priority_chains=frozenset(CHAINS[:4]))
    walls, cpus, result = timed(lambda: rule.propose(candidates, target), args.runs)
    report(f"rule.propose {args.seats} seats from {len(candidates):,} organisations", walls, cpus)
    assert isinstance(result, rule.Proposal)
    print(f"  picks {len(result.picks)}, shortfalls {len(result.shortfalls)}")


def with_db(args) -> None:
    os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/h_convocation")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgres"):
        _ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from forum.convocation import selectors, services
    from forum.convocation.models import Convocation, OrganisationProfile
    from forum.participation.models import Council, Dialogue, Organisation, Region

    region = Region.objects.get(slug="biobio")
    prefix = "Bench "
    if Organisation.objects.filter(name__startswith=prefix).count() < args.orgs:
        print("filling the database (first run only)…")
        Organisation.objects.filter(name__startswith=prefix).delete()
        rows, history = registry(args.orgs, args.convocations)
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(name=prefix + name, region=region, actor_category=cat)
                for _i, name, cat, _t, _c, _g in rows
            ],
            batch_size=2000,
        )
        ids = {n: o.pk for n, o in enumerate(orgs, start=1)}
        OrganisationProfile.objects.bulk_create(
            [
                OrganisationProfile(organisation_id=ids[i], territory=terr, at_risk_group=group)
                for i, _n, _c, terr, _ch, group in rows
            ],
            batch_size=2000,
        )
        Convocation.objects.bulk_create(
            [
                Convocation(organisation_id=ids[o], date=day, space_name="Bench")
                for o, day in history
            ],
            batch_size=5000,
        )
        from django.db import connection

        if connection.vendor == "postgresql":
            # What autovacuum does shortly after a bulk load: planner statistics.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    council = Council.objects.get(region=region)
    dialogue, _ = Dialogue.objects.get_or_create(
        slug="bench-convocatoria",
        defaults={"title": "Bench", "council": council, "region": region, "date": TODAY},
    )
    target = rule.Target(size=args.seats, priority_chains=selectors.priority_chains(region))
    print(f"registry in the database: {selectors.region_organisations(region).count():,} orgs")
    walls, cpus, _r = timed(lambda: selectors.candidates(region, TODAY), args.runs)
    report("selectors.candidates (query + rows)", walls, cpus)
    walls, cpus, _r = timed(
        lambda: rule.propose(selectors.candidates(region, TODAY), target), args.runs
    )
    report(f"candidates + rule.propose ({args.seats} seats)", walls, cpus)
    walls, cpus, _r = timed(
        lambda: services.proposal_create(
            actor=None, dialogue=dialogue, size=args.seats, today=TODAY
        ),
        args.runs,
    )
    report("services.proposal_create (read, rule, write the list)", walls, cpus)


def _ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=20_000)
    parser.add_argument("--convocations", type=int, default=200_000)
    parser.add_argument("--seats", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", action="store_true")
    args = parser.parse_args()
    print(f"load average at start: {os.getloadavg()[0]:.1f}")
    pure(args)
    if args.db:
        with_db(args)
    print(f"load average at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
