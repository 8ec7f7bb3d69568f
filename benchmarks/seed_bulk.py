"""Fill a PostgreSQL database with 100,000 realistic ideas for the page and API benchmarks.

    .venv/bin/python benchmarks/seed_bulk.py [--ideas 100000] [--people 20000] [--url URL]

Default database: ``postgres://postgres@127.0.0.1:5432/foro_bench`` (created if missing, then
migrated). Ideas are written with ``bulk_create`` (services would take hours at this size) using
the demo's Chilean-Spanish phrase banks, so titles, bodies and text search behave like real
data; every idea gets a full status history (received → … → its status, with dates), routed
ideas a council and due date, answered ones a public answer, and supports are real ``Support``
rows with a Zipf-like skew (a few ideas gather most of them). Support counters are then
recomputed by ``services.ideas_recount_supports``. Running it again tops up to ``--ideas``.
Talks only to 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from forum.participation.lifecycle import IdeaStatus
    from forum.participation.models import Idea, StatusChange

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/foro_bench"


def ensure_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?", 1)[0]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=20_000)
    parser.add_argument("--supports", type=int, default=400_000, help="approximate total")
    parser.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--seed", type=int, default=100_000)
    args = parser.parse_args()
    if "127.0.0.1" not in args.url and "localhost" not in args.url:
        sys.exit("seed_bulk only writes to a local database (127.0.0.1)")

    ensure_database(args.url)
    os.environ["DATABASE_URL"] = args.url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    os.environ.setdefault("DEBUG", "1")  # setup only: a dev secret key; queries are not logged
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # don't keep a log of a million inserts
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    seed(args)


def seed(args: argparse.Namespace) -> None:
    from django.db import connection, transaction

    from forum.demo import content, histories, prose, spec
    from forum.demo.load import load_dialogues, load_topics
    from forum.demo.people import person_name
    from forum.participation import codes, services
    from forum.participation.lifecycle import ANSWERS, IdeaStatus
    from forum.participation.models import (
        Channel,
        Council,
        Idea,
        Person,
        Region,
        StatusChange,
        Support,
    )

    S = IdeaStatus
    rng = random.Random(args.seed)
    started = time.perf_counter()
    regions = {r.slug: r for r in Region.objects.all()}
    councils = {c.slug: c for c in Council.objects.all()}
    topics = load_topics()
    dialogues = list(load_dialogues(regions, topics).values())
    region_names = {slug: r.name for slug, r in regions.items()}

    have_people = Person.objects.filter(display_name__startswith="Bench·").count()
    if have_people < args.people:
        Person.objects.bulk_create(
            [
                Person(
                    display_name=f"Bench· {person_name(rng)}",
                    region=rng.choice(list(regions.values())),
                )
                for _ in range(args.people - have_people)
            ],
            batch_size=5000,
        )
    people = list(
        Person.objects.filter(display_name__startswith="Bench·").values_list("id", flat=True)
    )

    have = Idea.objects.count()
    todo = args.ideas - have
    print(f"{have} ideas present, adding {max(todo, 0)}", flush=True)
    if todo <= 0:
        return
    mix = {
        S.RECEIVED: 14,
        S.IN_REVIEW: 16,
        S.NOT_ADMITTED: 9,
        S.ROUTED: 12,
        S.ON_AGENDA: 10,
        S.ANSWERED_ACCEPTED: 12,
        S.ANSWERED_PARTLY: 11,
        S.ANSWERED_REJECTED: 9,
        S.IMPLEMENTED: 7,
    }
    channels = {Channel.IN_PERSON: 55, Channel.WEB: 20, Channel.TELEGRAM: 14, Channel.WHATSAPP: 11}
    used = set(Idea.objects.values_list("tracking_code", flat=True))
    first = dt.datetime(2024, 11, 1, tzinfo=spec.TZ)
    span = (dt.datetime(2026, 11, 15, tzinfo=spec.TZ) - first).total_seconds()
    region_slugs = list(regions)
    batch = 5000
    done = 0
    while done < todo:
        size = min(batch, todo - done)
        rows, paths = [], []
        # Each idea's intended (created_at, updated_at), in the order of rows.
        planned: list[tuple[dt.datetime, dt.datetime]] = []
        for _ in range(size):
            code = codes.generate_code()
            while code in used:
                code = codes.generate_code()
            used.add(code)
            slug = rng.choice(region_slugs)
            channel = spec.weighted(rng, channels)
            theme = rng.choice(content.THEMES)
            slots = prose.idea_slots(rng, slug, region_names)
            created = first + dt.timedelta(seconds=rng.random() * span)
            slots["year"] = str(created.year + 1)
            title, body = prose.compose(rng, theme, channel, slots)
            status = spec.weighted(rng, mix)
            council = councils[f"cre-{slug}"]
            steps = _path(status, rng, ANSWERS, S)
            dates = histories.history_dates(rng, created, len(steps))
            routed_at = next((d for s, d in zip(steps, dates, strict=True) if s == S.ROUTED), None)
            answer = ""
            if status in ANSWERS or status == S.IMPLEMENTED:
                outcome = next(s for s in steps if s in ANSWERS)
                bank = {
                    S.ANSWERED_ACCEPTED: theme.accept,
                    S.ANSWERED_PARTLY: theme.partly,
                    S.ANSWERED_REJECTED: theme.reject,
                }[outcome]
                answer = f"El {council.name} acordó {spec.fill(rng.choice(bank), slots)}."
            idea = Idea(
                tracking_code=code,
                title=title[:200],
                body=body,
                channel=channel,
                author_id=rng.choice(people),
                region=regions[slug],
                topic=topics[theme.slug],
                dialogue=rng.choice(dialogues) if channel == Channel.IN_PERSON else None,
                status=status,
                council=council if routed_at else None,
                answer_due=(routed_at + dt.timedelta(days=60)).date() if routed_at else None,
                public_answer=answer,
            )
            planned.append((created, dates[-1] if dates else created))
            rows.append(idea)
            paths.append((created, steps, dates, answer))
        with transaction.atomic():
            ideas = Idea.objects.bulk_create(rows, batch_size=batch)
            history = []
            history_at: list[dt.datetime] = []  # each status change's intended created_at
            for idea, (created, steps, dates, answer) in zip(ideas, paths, strict=True):
                change = StatusChange(
                    idea=idea, from_status="", to_status=S.RECEIVED, public_message="Idea recibida."
                )
                history.append(change)
                history_at.append(created)
                previous = S.RECEIVED
                for status, when in zip(steps, dates, strict=True):
                    message = answer if status in ANSWERS else ""
                    change = StatusChange(
                        idea=idea, from_status=previous, to_status=status, public_message=message
                    )
                    history.append(change)
                    history_at.append(when)
                    previous = status
            StatusChange.objects.bulk_create(history, batch_size=batch)
            # auto_now_add overwrote the dates: put the planned ones back in one statement.
            _restore_dates(connection, ideas, planned, history, history_at)
        done += size
        print(f"  {have + done} ideas ({time.perf_counter() - started:.0f} s)", flush=True)

    _seed_supports(args, rng, people, Idea, Support, S)
    services.ideas_recount_supports()
    # Dates and counters were rewritten after the inserts: compact the tables and refresh the
    # visibility map and statistics, as autovacuum would have done on a live database.
    with connection.cursor() as cursor:
        for table in ("participation_idea", "participation_statuschange", "participation_support"):
            cursor.execute(f"VACUUM FULL ANALYZE {table}")
        cursor.execute("VACUUM ANALYZE")
    print(
        f"done in {time.perf_counter() - started:.0f} s: {Idea.objects.count()} ideas, "
        f"{StatusChange.objects.count()} status changes, {Support.objects.count()} supports",
        flush=True,
    )


def _path(
    status: IdeaStatus, rng: random.Random, answers: frozenset[IdeaStatus], S: type[IdeaStatus]
) -> list[IdeaStatus]:
    """The statuses an idea went through after *received* to reach ``status``."""
    if status == S.RECEIVED:
        return []
    if status == S.NOT_ADMITTED:
        return [S.IN_REVIEW, S.NOT_ADMITTED] if rng.random() < 0.5 else [S.NOT_ADMITTED]
    steps = [S.IN_REVIEW]
    if status == S.IN_REVIEW:
        return steps
    steps.append(S.ROUTED)
    if status == S.ON_AGENDA or (status != S.ROUTED and rng.random() < 0.6):
        steps.append(S.ON_AGENDA)
    if status in answers:
        steps.append(status)
    elif status == S.IMPLEMENTED:
        steps += [rng.choice([S.ANSWERED_ACCEPTED, S.ANSWERED_PARTLY]), S.IMPLEMENTED]
    return steps


def _restore_dates(
    connection,
    ideas: list[Idea],
    planned: list[tuple[dt.datetime, dt.datetime]],
    history: list[StatusChange],
    history_at: list[dt.datetime],
) -> None:
    """bulk_create applies auto_now/auto_now_add: write the intended timestamps back."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE participation_idea AS i SET created_at = v.c, updated_at = v.u "
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS v(id, c, u) "
            "WHERE i.id = v.id",
            [
                [i.pk for i in ideas],
                [created for created, _updated in planned],
                [updated for _created, updated in planned],
            ],
        )
        cursor.execute(
            "UPDATE participation_statuschange AS s SET created_at = v.c "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, c) WHERE s.id = v.id",
            [[h.pk for h in history], history_at],
        )


def _seed_supports(args, rng, people, Idea, Support, S) -> None:
    """Zipf-like: the idea of rank r gets about C/(r+10) supports, from distinct people."""
    have = Support.objects.count()
    if have >= args.supports * 0.9:
        return
    ids = list(Idea.objects.values_list("id", flat=True))
    rng.shuffle(ids)
    weights = [1 / (r + 10) for r in range(1, len(ids) + 1)]
    scale = args.supports / sum(weights)
    rows = []
    total = 0
    started = time.perf_counter()
    for rank, idea_id in enumerate(ids):
        count = min(int(scale * weights[rank] + rng.random()), len(people))
        for person_id in rng.sample(people, count):
            rows.append(Support(idea_id=idea_id, person_id=person_id, channel="web"))
        if len(rows) >= 20_000:
            Support.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)
            total += len(rows)
            rows = []
            print(f"  {total} supports ({time.perf_counter() - started:.0f} s)", flush=True)
    Support.objects.bulk_create(rows, batch_size=5000, ignore_conflicts=True)


if __name__ == "__main__":
    main()
