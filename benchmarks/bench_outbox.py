"""Deliveries per second through the outbox worker, on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_outbox \
        .venv/bin/python benchmarks/bench_outbox.py [--quick]

The database named in DATABASE_URL is created if missing, migrated, and its outbox tables are
emptied before each scenario (use a database of its own, not your demo's). Scenarios:

1. ``inbox``: the built-in inbox channel (no I/O: claim + mark sent), one worker in-process.
2. ``http``: a sender that POSTs each delivery (rendered text, idempotency key) over a
   keep-alive connection to a fake API on 127.0.0.1 (a separate process), at several
   batch sizes; then with 20 ms of simulated platform latency, sequential vs 8 sender threads.
3. ``throttled``: the same fake API declared with Telegram's limits (30/s overall, 1 s per
   chat): the achieved rate and the most sends the fake API saw in any one-second window.
4. ``two-processes``: two real ``manage.py outbox_worker`` processes on the inbox channel.

Everything talks to 127.0.0.1 only and stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_outbox")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "forum.settings")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")


# ---------------------------------------------------------------- fake platform (child process)


def serve_fake_api(port: int, latency: float, log_path: str) -> None:
    """A tiny JSON API: POST /send → 200 {"ok": true}; logs the arrival time of each send."""
    log = open(log_path, "a", buffering=1)  # noqa: SIM115

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            if latency:
                time.sleep(latency)
            payload = json.loads(body)
            log.write(f"{time.time():.6f} {payload['chat_id']} {self.headers['Idempotency-Key']}\n")
            out = b'{"ok":true}'
            # One write for status, headers and body: no Nagle/delayed-ACK stall on loopback.
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + f"Content-Length: {len(out)}\r\n\r\n".encode()
                + out
            )

        def setup(self) -> None:
            super().setup()
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def log_message(self, *args) -> None:
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


class FakeApi:
    def __init__(self, port: int, latency: float, log_path: Path) -> None:
        self.port, self.log_path = port, log_path
        log_path.write_text("")
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port), str(latency), str(log_path)]
        )
        import httpx

        for _ in range(100):
            try:
                httpx.post(
                    f"{self.url}/send",
                    json={"chat_id": "warmup"},
                    headers={"Idempotency-Key": "warmup"},
                    timeout=1,
                )
                return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise RuntimeError("fake API did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def rows(self) -> list[tuple[float, str, str]]:
        rows = [line.split() for line in self.log_path.read_text().splitlines()]
        return [(float(r[0]), r[1], r[2]) for r in rows if r[1] != "warmup"]

    def arrivals(self) -> list[float]:
        return [r[0] for r in self.rows()]

    def min_gap_per_chat(self) -> float:
        last: dict[str, float] = {}
        gap = float("inf")
        for at, chat, _key in sorted(self.rows()):
            if chat in last:
                gap = min(gap, at - last[chat])
            last[chat] = at
        return gap

    def duplicates(self) -> int:
        keys = [r[2] for r in self.rows()]
        return len(keys) - len(set(keys))

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)


# ---------------------------------------------------------------- benchmark (parent)


def ensure_database() -> None:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    with psycopg.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]])
        if exists.fetchone() is None:
            conn.execute(f'CREATE DATABASE "{db["NAME"]}"')
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def reset(n: int, channel: str, per_chat: int = 1) -> None:
    """Empty the outbox and queue ``n`` deliveries; ``per_chat`` consecutive ones share a chat
    (so per-chat spacing is exercised)."""
    from django.db import connection
    from django.utils import timezone

    from forum.notifications.models import Delivery, Notification
    from forum.participation.models import Person

    with connection.cursor() as cur:
        cur.execute("TRUNCATE notifications_delivery, notifications_notification CASCADE")
    person, _ = Person.objects.get_or_create(display_name="Benchmark", defaults={"language": "es"})
    notes = Notification.objects.bulk_create(
        [
            Notification(
                person=person,
                kind=Notification.Kind.THREAD_POST,
                payload={
                    "thread_id": 1,
                    "thread_title": "Foro virtual",
                    "post_id": i,
                    "excerpt": "¿Cuándo abren los cursos de lengua de señas?",
                },
            )
            for i in range(n)
        ],
        batch_size=2000,
    )
    now = timezone.now()
    Delivery.objects.bulk_create(
        [
            Delivery(
                notification=note,
                channel=channel,
                address="" if channel == "inbox" else f"chat-{i // per_chat}",
                available_at=now,
            )
            for i, note in enumerate(notes)
        ],
        batch_size=2000,
    )
    with connection.cursor() as cur:
        cur.execute("ANALYZE notifications_delivery")


def remaining() -> int:
    from forum.notifications.models import Delivery

    return Delivery.objects.exclude(status=Delivery.Status.SENT).count()


def run_inprocess(n: int, **worker_kwargs) -> float:
    from forum.notifications.worker import OutboxWorker

    start = time.perf_counter()
    worker = OutboxWorker(**worker_kwargs)
    sent = 0
    # Rate-limited rows handed back for later are not due yet: keep going until all are sent.
    while True:
        sent += worker.run_until_idle(max_batches=1_000_000).sent
        if sent >= n or not remaining():
            break
        time.sleep(0.02)
    elapsed = time.perf_counter() - start
    assert sent == n, (sent, n)
    assert remaining() == 0
    return elapsed


def http_sender_factory(url: str):
    import httpx

    from forum.notifications.registry import RetryLater
    from forum.notifications.render import render_notification

    client = httpx.Client(base_url=url, timeout=5)  # thread-safe, keep-alive pool

    def send(delivery) -> None:
        rendered = render_notification(delivery.notification, delivery.notification.person.language)
        try:
            response = client.post(
                "/send",
                json={"chat_id": delivery.address, "text": rendered.text},
                headers={"Idempotency-Key": f"delivery-{delivery.pk}"},
            )
        except httpx.HTTPError as exc:
            raise RetryLater(str(exc)) from exc
        if response.status_code != 200:
            raise RetryLater(f"HTTP {response.status_code}")

    return send


def max_in_one_second(times: list[float]) -> int:
    times = sorted(times)
    best, j = 0, 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        best = max(best, i - j + 1)
    return best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller counts (smoke run)")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument(
        "--only",
        default="inbox,http,latency,throttled,processes",
        help="comma-separated scenarios (default: all)",
    )
    args = parser.parse_args()
    wanted = set(args.only.split(","))
    scale = 0.2 if args.quick else 1.0

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    from forum.notifications import registry

    assert connection.vendor == "postgresql", "set DATABASE_URL to a PostgreSQL database"
    ensure_database()
    tmp = ROOT / "benchmarks" / "results"
    tmp.mkdir(exist_ok=True)
    print(
        f"PostgreSQL {connection.cursor().connection.info.server_version}, "
        f"database {settings.DATABASES['default']['NAME']}, lease "
        f"{settings.OUTBOX_LEASE_SECONDS}s"
    )

    if "inbox" in wanted:
        n = int(5000 * scale)
        for batch in (20, 100):
            reset(n, "inbox")
            elapsed = run_inprocess(n, batch_size=batch)
            rate = n / elapsed
            print(f"inbox      batch={batch:<4} {n} deliveries in {elapsed:6.2f} s = {rate:7.0f}/s")

    if "http" in wanted:
        api = FakeApi(args.port, 0.0, tmp / "fake_api.log")
        try:
            registry.register_channel("fakehttp", http_sender_factory(api.url))
            n = int(2000 * scale)
            for batch in (20, 100):
                reset(n, "fakehttp")
                elapsed = run_inprocess(n, batch_size=batch)
                print(
                    f"http       batch={batch:<4} {n} deliveries in {elapsed:6.2f} s = "
                    f"{n / elapsed:7.0f}/s (fake API, no latency)"
                )
        finally:
            api.close()

    if "latency" in wanted:
        api = FakeApi(args.port + 1, 0.020, tmp / "fake_api_latency.log")
        try:
            registry.register_channel("fakehttp", http_sender_factory(api.url))
            n = int(500 * scale)
            for concurrency in (1, 8):
                reset(n, "fakehttp")
                elapsed = run_inprocess(n, batch_size=50, concurrency=concurrency)
                print(
                    f"http+20ms  concurrency={concurrency:<2} {n} deliveries in {elapsed:6.2f} s = "
                    f"{n / elapsed:7.0f}/s"
                )
        finally:
            api.close()

    if "throttled" in wanted:
        api = FakeApi(args.port + 2, 0.0, tmp / "fake_api_throttled.log")
        try:
            registry.register_channel(
                "fakehttp",
                http_sender_factory(api.url),
                rate_per_second=30,
                per_address_interval=1.0,
            )
            n = int(300 * scale)
            reset(n, "fakehttp", per_chat=3)  # 3 consecutive messages per chat
            elapsed = run_inprocess(n, batch_size=20)
            arrivals = api.arrivals()
            print(
                f"throttled  30/s, 1 s/chat: {n} deliveries to {max(1, n // 3)} chats in "
                f"{elapsed:6.2f} s = {n / elapsed:5.1f}/s; busiest second at the API: "
                f"{max_in_one_second(arrivals)} sends; shortest gap between two sends to one chat: "
                f"{api.min_gap_per_chat():.3f} s; {len(arrivals)} received (expected {n}), "
                f"{api.duplicates()} duplicates"
            )
        finally:
            api.close()

    if "processes" in wanted:
        for procs in (1, 2):
            n = int(5000 * scale)
            elapsed, codes = run_processes(n, procs)
            print(
                f"{procs} outbox_worker process(es), inbox, batch=50: {n} deliveries in "
                f"{elapsed:6.2f} s = {n / elapsed:7.0f}/s (exit codes {codes})"
            )


def run_processes(n: int, procs: int) -> tuple[float, list[int]]:
    """Real worker processes, already started and idle when the rows appear (one commit)."""
    reset(0, "inbox")
    env = os.environ | {"LOG_LEVEL": "WARNING"}
    command = [sys.executable, "manage.py", "outbox_worker", "--batch", "50", "--sleep", "0.05"]
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(procs)]
    try:
        time.sleep(8)  # started and polling an empty outbox
        reset(n, "inbox")
        start = time.perf_counter()
        deadline = time.monotonic() + 300
        while remaining() and time.monotonic() < deadline:
            time.sleep(0.02)
        elapsed = time.perf_counter() - start
    finally:
        for w in workers:
            w.terminate()
        codes = [w.wait(timeout=30) for w in workers]
    return elapsed, codes


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--serve":
        serve_fake_api(int(sys.argv[2]), float(sys.argv[3]), sys.argv[4])
    else:
        main()
