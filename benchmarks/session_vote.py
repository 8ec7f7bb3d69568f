"""A room of 150 people voting at once, on one daphne process (issue 15: «hold a room of 150
people voting within two minutes»).

    .venv/bin/python benchmarks/session_vote.py [--people 150] [--dots 3] [--ideas 30]

The database named in ``DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/bench_session``)
is created if missing and migrated; each run adds a fresh dialogue in session with ``--ideas``
ideas and ``--people`` accounts (the accounts are reused between runs). One daphne process is
started on 127.0.0.1 with ``DEBUG`` off and a projector connects to its socket. Then every
person, as a phone would, at the same moment: opens the session page, checks in with the
session code, and casts ``--dots`` votes (each a POST answered by a redirect to the page, which
the phone follows). The script prints how long the whole room took, the latency of a vote as
the phone sees it (POST + the page after it), errors, and how long after the last vote the
projector showed the final count. Everything talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_session")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DEBUG", "1")  # for setup only; daphne below runs with DEBUG off
os.environ.setdefault("LOG_LEVEL", "WARNING")
# The sessions made below must be signed with the key daphne runs with (bench_pages.daphne_env).
os.environ["SECRET_KEY"] = "bench-only-not-secret"

from bench_pages import _ensure_database, daphne_env  # noqa: E402

from tests.daphne_proc import start_daphne  # noqa: E402

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def prepare(people: int, dots: int, n_ideas: int) -> tuple[str, str, int, list[str], list[str]]:
    """A dialogue in session; returns (slug, session code, dialogue id, idea codes, session
    cookies of the people)."""
    if os.environ["DATABASE_URL"].startswith("postgres"):
        _ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.models import User
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from forum.dialogues.models import DialogueSpace
    from forum.participation import services
    from forum.participation.models import Channel, Council, Dialogue, Region

    call_command("migrate", verbosity=0)
    stamp = str(int(time.time()))
    council = Council.objects.filter(kind="regional").first()
    if council is None:
        region = Region.objects.first()
        council = Council.objects.create(
            name="Consejo de prueba", slug=f"bench-{stamp}", kind="regional", region=region
        )
    dialogue = Dialogue.objects.create(
        title=f"Sesión de prueba {stamp}",
        slug=f"sesion-bench-{stamp}",
        council=council,
        region=council.region,
        date=django.utils.timezone.localdate(),
        phase=Dialogue.Phase.REALISATION,
        dot_budget=dots,
    )
    code = stamp[-6:]
    DialogueSpace.objects.filter(session_code=code).delete()
    DialogueSpace.objects.create(dialogue=dialogue, session_code=code)
    ideas = [
        services.idea_submit(
            author=None,
            title=f"Idea {i} de la mesa {i % 10 + 1}: ferias laborales por comuna",
            channel=Channel.IN_PERSON,
            dialogue=dialogue,
        ).tracking_code
        for i in range(n_ideas)
    ]
    cookies = []
    for i in range(people):
        user, _ = User.objects.get_or_create(username=f"bench-voter-{i}")
        services.person_for_user(user=user)
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        cookies.append(str(session.session_key))
    return dialogue.slug, code, dialogue.pk, ideas, cookies


async def phone(base, url, code, cookie, ideas, dots, latencies, errors, cookie_name):
    import httpx

    async with httpx.AsyncClient(
        base_url=base, cookies={cookie_name: cookie}, follow_redirects=True, timeout=60
    ) as client:
        page = await client.get(url)
        token = CSRF.search(page.text)
        if page.status_code != 200 or page.url.path != url or token is None:
            errors.append(f"page {page.status_code}")
            return
        headers = {"Referer": base + url}
        data = {"csrfmiddlewaretoken": token[1], "action": "checkin", "code": code}
        started = time.perf_counter()
        r = await client.post(url, data=data, headers=headers)
        latencies.append(time.perf_counter() - started)
        if r.status_code != 200 or r.url.path != url or "message-error" in r.text:
            errors.append(f"checkin {r.status_code} {r.url.path}")
            return
        for idea in random.sample(ideas, dots):
            token = CSRF.search(r.text)
            data = {
                "csrfmiddlewaretoken": token[1] if token else "",
                "action": "vote",
                "idea": idea,
            }
            started = time.perf_counter()
            r = await client.post(url, data=data, headers=headers)
            latencies.append(time.perf_counter() - started)
            if r.status_code != 200 or r.url.path != url or "message-error" in r.text:
                errors.append(f"vote {r.status_code} {r.url.path}")


async def projector(ws_url, expected_votes, seen):
    import websockets
    from websockets.typing import Origin

    async with websockets.connect(ws_url, origin=Origin("http://127.0.0.1")) as ws:
        seen["connected"] = time.perf_counter()
        async for raw in ws:
            snap = json.loads(raw)
            seen["last"] = snap.get("votes", 0)
            if snap.get("votes", 0) >= expected_votes:
                seen["final_at"] = time.perf_counter()
                return


async def run(base, ws_url, slug, code, ideas, cookies, dots, cookie_name):
    latencies: list[float] = []
    errors: list[str] = []
    seen: dict = {}
    watcher = asyncio.create_task(projector(ws_url, len(cookies) * dots, seen))
    await asyncio.sleep(0.5)
    url = f"/dialogos/{slug}/sesion/"
    started = time.perf_counter()
    await asyncio.gather(
        *(phone(base, url, code, c, ideas, dots, latencies, errors, cookie_name) for c in cookies)
    )
    done = time.perf_counter()
    try:
        await asyncio.wait_for(watcher, timeout=30)
    except TimeoutError:
        pass
    except Exception as exc:  # report it: a projector that cannot connect is a finding
        seen["error"] = repr(exc)
    return started, done, latencies, errors, seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=150)
    parser.add_argument("--dots", type=int, default=3)
    parser.add_argument("--ideas", type=int, default=30)
    args = parser.parse_args()
    slug, code, dialogue_id, ideas, cookies = prepare(args.people, args.dots, args.ideas)
    from django.conf import settings

    server = start_daphne(daphne_env())
    try:
        started, done, latencies, errors, seen = asyncio.run(
            run(
                server.origin,
                server.ws(f"/ws/dialogos/{dialogue_id}/proyector/"),
                slug,
                code,
                ideas,
                cookies,
                args.dots,
                settings.SESSION_COOKIE_NAME,
            )
        )
    finally:
        server.stop()
    ms = sorted(x * 1000 for x in latencies)

    def pct(p: float) -> float:
        return ms[min(len(ms) - 1, int(p * len(ms)))] if ms else float("nan")

    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"people {args.people} · dots each {args.dots} · ideas {args.ideas} · one daphne")
    print(f"whole room (page, check-in, {args.dots} votes each): {done - started:.1f} s")
    print(
        f"check-in/vote as the phone sees it (POST + page): p50 {pct(0.5):.0f} ms · "
        f"p95 {pct(0.95):.0f} ms · p99 {pct(0.99):.0f} ms · max {ms[-1] if ms else 0:.0f} ms · "
        f"mean {statistics.mean(ms) if ms else 0:.0f} ms"
    )
    print(f"errors: {len(errors)} {sorted(set(errors))[:5]}")
    if "final_at" in seen:
        print(
            f"projector showed all {args.people * args.dots} votes {seen['final_at'] - done:+.2f} s"
            " after the last vote's page came back"
        )
    else:
        print(
            f"projector did not show the final count (last seen: {seen.get('last')}, "
            f"error: {seen.get('error')})"
        )


if __name__ == "__main__":
    main()
