"""Broadcast benchmark of live threads: N WebSocket clients on one thread, posts at a steady rate.

Measures, for each scenario and client count, the end-to-end latency from the moment the poster
sends ``post.create`` over its socket until each listener receives ``post.created`` (so it
includes the service's write and commit), its p50/p99, and how many messages were lost by the
channel layer (and how many of those a ``resume`` recovers).

Scenarios:
  memory  one daphne process, in-memory channel layer
  redis   two daphne processes, channels-redis RedisPubSubChannelLayer; listeners split over
          both, the poster on the first

Everything runs on 127.0.0.1: a scratch PostgreSQL database (dropped and recreated), Redis, the
daphne processes this script starts and stops. Bounded in time; stops by itself.

    .venv/bin/python benchmarks/bench_ws.py --clients 100,1000 --posts 30 --rate 2

Results and discussion: docs/performance/realtime.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import resource
import secrets
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.daphne_proc import Daphne, start_daphne  # noqa: E402

if TYPE_CHECKING:
    from websockets.asyncio.client import ClientConnection

SEQ = re.compile(r"bench-(\d+)-")


# ----------------------------------------------------------------- setup


def raise_fd_limit() -> int:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = hard if hard != resource.RLIM_INFINITY else 65536
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


# Production settings (DEBUG off: Django does not record every query) with a throwaway key shared
# by this process, which logs the poster in, and the daphne processes, which read its session.
BENCH_SECRET_KEY = secrets.token_urlsafe(50)


def base_env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url,
            "DEBUG": "0",
            "SECRET_KEY": BENCH_SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("REDIS_URL", None)
    return env


def prepare(database_url: str) -> tuple[int, str]:
    """Migrate the scratch database; create a poster account and a public thread."""
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=base_env(database_url),
        check=True,
    )
    os.environ.update({"DATABASE_URL": database_url, "DEBUG": "0", "SECRET_KEY": BENCH_SECRET_KEY})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client

    from forum.threads import services
    from forum.threads.models import Thread

    user = get_user_model().objects.create_user("bench-poster", password="x" * 12)
    thread = services.thread_create(kind=Thread.Kind.TOPIC, title="Benchmark")
    client = Client()
    client.force_login(user)
    return thread.pk, client.cookies["sessionid"].value


def cpu_seconds(pid: int | None = None) -> float:
    """User+system CPU time of a process (this one when ``pid`` is None)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ----------------------------------------------------------------- clients


@dataclass
class Listener:
    ws: ClientConnection
    received: dict[int, float] = field(default_factory=dict)
    task: asyncio.Task[None] = field(init=False)


CREATED_PREFIX = '{"type": "post.created"'


async def listen(listener: Listener, ws) -> None:
    # The clock is read as soon as the message is handed over; then only what identifies the
    # post is looked at (the server sends `type` first and the benchmark's marker in the body),
    # instead of parsing the whole JSON for every one of N x posts messages on one thread.
    async for raw in ws:
        now = time.perf_counter()
        if not raw.startswith(CREATED_PREFIX):
            continue
        match = SEQ.search(raw)
        if match:
            listener.received.setdefault(int(match.group(1)), now)


CONNECT_RETRIES = {"count": 0}


async def open_listener(server: Daphne, path: str, sem: asyncio.Semaphore) -> Listener:
    from websockets.asyncio.client import connect
    from websockets.exceptions import InvalidMessage, InvalidStatus
    from websockets.typing import Origin

    async with sem:
        for attempt in range(5):
            try:
                ws = await connect(
                    server.ws(path),
                    origin=Origin(server.origin),
                    open_timeout=60,
                    max_queue=None,
                    ping_interval=None,
                    compression=None,  # daphne does not negotiate it; do not even offer it
                )
                break
            except (InvalidMessage, InvalidStatus, OSError):
                # daphne drops a handshake the app has not accepted within 5 s (its
                # --websocket_connect_timeout); a page's script would simply retry.
                CONNECT_RETRIES["count"] += 1
                if attempt == 4:
                    raise
                await asyncio.sleep(1 + attempt)
        hello = json.loads(await asyncio.wait_for(ws.recv(), 30))
        assert hello["type"] == "hello", hello
    listener = Listener(ws=ws)
    listener.task = asyncio.create_task(listen(listener, ws))
    return listener


async def run_case(
    servers: list[Daphne],
    thread_id: int,
    cookie: str,
    clients: int,
    posts: int,
    rate: float,
    drain: float,
) -> dict:
    from websockets.asyncio.client import connect
    from websockets.typing import Origin

    path = f"/ws/threads/{thread_id}/"
    sem = asyncio.Semaphore(50)
    t0 = time.perf_counter()
    listeners = await asyncio.gather(
        *[open_listener(servers[i % len(servers)], path, sem) for i in range(clients)]
    )
    connect_s = time.perf_counter() - t0
    retries = CONNECT_RETRIES["count"]
    CONNECT_RETRIES["count"] = 0

    poster = await connect(
        servers[0].ws(path),
        origin=Origin(servers[0].origin),
        additional_headers={"Cookie": f"sessionid={cookie}"},
        max_queue=None,
        ping_interval=None,
        compression=None,
    )
    sent: dict[int, float] = {}
    acks: dict[int, float] = {}

    async def read_acks() -> None:
        async for raw in poster:
            msg = json.loads(raw)
            if msg.get("type") == "post.ack":
                acks[int(msg["client_id"])] = time.perf_counter()
            elif msg.get("type") == "error":
                print("  poster error:", msg, file=sys.stderr)

    ack_task = asyncio.create_task(read_acks())
    await asyncio.sleep(0.5)
    cpu_before = [cpu_seconds(s.proc.pid) for s in servers], cpu_seconds()
    start = time.perf_counter()
    for seq in range(posts):
        # Steady rate: the i-th post leaves at start + i/rate, whatever the previous one cost.
        await asyncio.sleep(max(0.0, start + seq / rate - time.perf_counter()))
        sent[seq] = time.perf_counter()
        await poster.send(
            json.dumps(
                {
                    "type": "post.create",
                    "client_id": str(seq),
                    "body": f"bench-{seq}- mensaje de prueba *número* {seq}",
                }
            )
        )
    deadline = time.perf_counter() + drain
    while time.perf_counter() < deadline:
        if all(len(lst.received) >= posts for lst in listeners):
            break
        await asyncio.sleep(0.1)

    cpu_after = [cpu_seconds(s.proc.pid) for s in servers], cpu_seconds()
    server_cpu_ms = sum(a - b for a, b in zip(cpu_after[0], cpu_before[0], strict=True))
    server_cpu_ms = server_cpu_ms * 1000 / posts
    client_cpu_ms = (cpu_after[1] - cpu_before[1]) * 1000 / posts
    latencies = [
        (t - sent[seq]) * 1000
        for lst in listeners
        for seq, t in lst.received.items()
        if seq in sent
    ]
    delivered = len(latencies)
    lost = clients * posts - delivered

    # Those that missed something ask for it again, as the page's script does on reconnect.
    recovered = 0
    if lost:
        for lst in listeners:
            missing = posts - len(lst.received)
            if missing:
                before = len(lst.received)
                await lst.ws.send(json.dumps({"type": "resume", "after": 0}))
                await asyncio.sleep(0.05)
                recovered += len(lst.received) - before
        await asyncio.sleep(2)
        recovered = sum(len(lst.received) for lst in listeners) - delivered

    ack_ms = [(acks[s] - sent[s]) * 1000 for s in sent if s in acks]
    # Fan-out alone: from the poster's ack (sent right after the commit and the group_send)
    # to each listener's receipt.
    fanout = sorted(
        (t - acks[seq]) * 1000
        for lst in listeners
        for seq, t in lst.received.items()
        if seq in acks
    )
    for lst in listeners:
        lst.task.cancel()
        await lst.ws.close()
    ack_task.cancel()
    await poster.close()
    latencies.sort()

    def pct(p: float, values: list[float] = latencies) -> float:
        if not values:
            return float("nan")
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]

    return {
        "clients": clients,
        "posts": posts,
        "expected": clients * posts,
        "delivered": delivered,
        "lost": lost,
        "recovered_by_resume": recovered,
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "max_ms": latencies[-1] if latencies else float("nan"),
        "ack_p50_ms": statistics.median(ack_ms) if ack_ms else float("nan"),
        "fanout_p50_ms": pct(50, fanout),
        "fanout_p99_ms": pct(99, fanout),
        "connect_s": connect_s,
        "connect_retries": retries,
        "server_cpu_ms": server_cpu_ms,
        "client_cpu_ms": client_cpu_ms,
    }


# ----------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", default="100,1000")
    parser.add_argument("--posts", type=int, default=30)
    parser.add_argument("--rate", type=float, default=2.0, help="posts per second")
    parser.add_argument("--scenarios", default="memory,redis")
    parser.add_argument(
        "--drain",
        type=float,
        default=15.0,
        help="seconds to wait for stragglers after the last post",
    )
    parser.add_argument(
        "--database-url", default="postgres://postgres@127.0.0.1:5432/bench_threads_ws"
    )
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--profile-dir", default="", help="run daphne under cProfile")
    args = parser.parse_args()
    if args.rate > 5:
        parser.error("the socket allows 5 messages/s per connection; use --rate <= 5")

    fds = raise_fd_limit()
    counts = [int(c) for c in args.clients.split(",")]
    if max(counts) * 2 + 100 > fds:
        print(f"warning: open-file limit {fds} may be too low for {max(counts)} clients")
    recreate_database(args.database_url)
    thread_id, cookie = prepare(args.database_url)

    print(
        f"# bench_ws: posts={args.posts} rate={args.rate}/s cpus={os.cpu_count()} "
        f"python={sys.version.split()[0]} loadavg={os.getloadavg()[0]:.1f}"
    )
    print(
        f"{'scenario':<16}{'clients':>8}{'expected':>10}{'lost':>6}{'resumed':>9}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'ack ms':>8}{'fan p50':>9}{'fan p99':>9}"
        f"{'connect s':>11}{'retries':>8}{'srv cpu/post':>14}{'cli cpu/post':>14}"
    )
    for scenario in args.scenarios.split(","):
        env = base_env(args.database_url)
        n_servers = 1
        if scenario == "redis":
            env["REDIS_URL"] = args.redis_url
            n_servers = 2
        elif scenario != "memory":
            parser.error(f"unknown scenario {scenario}")
        servers = [start_daphne(env, profile_dir=args.profile_dir) for _ in range(n_servers)]
        label = f"{scenario} x{n_servers}"
        try:
            for clients in counts:
                result = asyncio.run(
                    asyncio.wait_for(
                        run_case(
                            servers, thread_id, cookie, clients, args.posts, args.rate, args.drain
                        ),
                        timeout=300,
                    )
                )
                print(
                    f"{label:<16}{result['clients']:>8}{result['expected']:>10}"
                    f"{result['lost']:>6}{result['recovered_by_resume']:>9}"
                    f"{result['p50_ms']:>9.1f}{result['p99_ms']:>9.1f}{result['max_ms']:>9.1f}"
                    f"{result['ack_p50_ms']:>8.1f}{result['fanout_p50_ms']:>9.1f}"
                    f"{result['fanout_p99_ms']:>9.1f}{result['connect_s']:>11.1f}"
                    f"{result['connect_retries']:>8}"
                    f"{result['server_cpu_ms']:>12.1f}ms{result['client_cpu_ms']:>12.1f}ms",
                    flush=True,
                )
        finally:
            for server in servers:
                server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
