"""Bot figures: webhook throughput, update→reply time, push delivery rate.

    .venv/bin/python benchmarks/bench_bots.py [--quick]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_bots REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python benchmarks/bench_bots.py [--quick]

Without DATABASE_URL a fresh SQLite file in a temporary directory is used; with it, that database
is migrated and its bot/outbox tables are emptied first (use a database of its own). Runs:

1. ``accept``: one daphne process; Telegram updates (first contact, ``/start`` from a new chat)
   posted by 32 concurrent clients. The webhook only verifies and stores them; ``--workers N``
   (default 1) ``manage.py work --kind updates --kind replies`` processes run the engine
   (conversation row, two replies sent to the fake Telegram). Updates accepted per second and
   latency percentiles of the webhook's 200; daphne's CPU per update.
2. ``reply``: updates at a steady 30/s; time from posting an update to the fake Telegram
   receiving its first reply (p50/p95/max): webhook + the worker's poll (0.1 s when idle) +
   engine + send.
3. ``push``: N status-change notifications to N Telegram chats, delivered by a real
   ``manage.py outbox_worker`` (the bots' channel declares 30/s overall, 1 s per chat): achieved
   rate, most sends in any one second, and that every chat got exactly one message — also when
   the worker is killed (SIGKILL) half-way and a new one takes over.

The fake Telegram (python's ThreadingHTTPServer) runs in a child process, so its CPU does not
count against daphne. Everything talks to 127.0.0.1 and stops by itself.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.daphne_proc import free_port, start_daphne, wait_port  # noqa: E402

PY = sys.executable
SECRET = "bench-secret"
TOKEN = "123456:BENCH"


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (Linux /proc), to report cost independent of load."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------- fake Telegram (child process)


def serve_fake(port: int, log_path: str) -> None:
    from tests.bots.fake_telegram import FakeTelegram

    log = open(log_path, "a", buffering=1)  # noqa: SIM115

    class Logging(FakeTelegram):
        def answer(self, method, params):
            status, body = super().answer(method, params)
            if method == "sendMessage":
                log.write(f"{time.time():.6f} {params.get('chat_id')} {status}\n")
            self.calls.clear()  # keep memory flat over long runs
            return status, body

    Logging().start(port)  # serves on its own thread until the benchmark terminates us
    while True:
        time.sleep(3600)


def read_log(path: Path) -> list[tuple[float, str, int]]:
    rows = []
    for line in path.read_text().splitlines():
        at, chat, status = line.split()
        rows.append((float(at), chat, int(status)))
    return rows


# ---------------------------------------------------------------- environment


def make_env(tmp: Path, fake_port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "forum.settings",
            "SECRET_KEY": "bench-" + "x" * 40,
            "DEBUG": "0",
            "LOG_LEVEL": "WARNING",
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": f"http://127.0.0.1:{fake_port}/bot",
            "TELEGRAM_BOT_USERNAME": "ForoAbiertoBot",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": f"{ROOT}{os.pathsep}{tmp}",
        }
    )
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(tmp / "bench.sqlite3")
    return env


def django_setup(env: dict[str, str]) -> None:
    for key in (
        "SQLITE_PATH",
        "DATABASE_URL",
        "SECRET_KEY",
        "DEBUG",
        "TELEGRAM_BOT_TOKEN",
        "TELEGRAM_API_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "TELEGRAM_BOT_USERNAME",
        "LOG_LEVEL",
    ):
        if key in env:
            os.environ[key] = env[key]
    os.environ["DJANGO_SETTINGS_MODULE"] = "forum.settings"
    import django

    django.setup()


def reset_tables() -> None:
    from forum.bots.models import ChatMessage, Conversation, InboundUpdate
    from forum.moderation.models import Merge
    from forum.notifications.models import Delivery, Notification
    from forum.participation.models import ChannelIdentity, Idea, Person, StatusChange

    Delivery.objects.all().delete()
    Notification.objects.all().delete()
    ChatMessage.objects.all().delete()
    InboundUpdate.objects.all().delete()
    Conversation.objects.all().delete()
    StatusChange.objects.all().delete()
    # The push run's ideas are alike, so the duplicate matcher merges some of them on arrival:
    # their merges protect them, and a second run on the same database must remove those first.
    Merge.objects.all().delete()
    Idea.objects.update(merged_into=None)
    Idea.objects.all().delete()
    ChannelIdentity.objects.all().delete()
    Person.objects.all().delete()


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def update(update_id: int, chat_id: int, text: str = "/start") -> dict:
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "from": {"id": chat_id, "is_bot": False, "first_name": "Bench", "language_code": "es"},
            "chat": {"id": chat_id, "type": "private", "first_name": "Bench"},
            "text": text,
            "entities": [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}],
        },
    }


# ---------------------------------------------------------------- scenarios


async def scenario_accept(port: int, n: int, concurrency: int, base: int) -> dict:
    import httpx

    url = f"http://127.0.0.1:{port}/bots/telegram/webhook/"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(n):
        queue.put_nowait(i)

    async with httpx.AsyncClient(
        limits=httpx.Limits(max_connections=concurrency), timeout=30
    ) as client:

        async def worker() -> None:
            while True:
                try:
                    i = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                body = json.dumps(update(base + i, base + i))
                t0 = time.perf_counter()
                r = await client.post(url, content=body, headers=headers)
                latencies.append(time.perf_counter() - t0)
                statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

        # Warm-up (connections, gateway getMe) outside the measurement.
        await client.post(url, content=json.dumps(update(base - 1, base - 1)), headers=headers)
        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    return {
        "updates": n,
        "concurrency": concurrency,
        "seconds": round(elapsed, 2),
        "per_second": round(n / elapsed, 1),
        "statuses": statuses,
        "p50_ms": round(pct(latencies, 50) * 1000, 1),
        "p95_ms": round(pct(latencies, 95) * 1000, 1),
        "p99_ms": round(pct(latencies, 99) * 1000, 1),
    }


class RawClient:
    """A minimal keep-alive HTTP/1.1 client on asyncio streams, so that the load generator's own
    CPU (it shares the machine's two cores with daphne) stays small next to httpx's."""

    def __init__(self, port: int, connections: int) -> None:
        self.port = port
        self.size = connections
        self.idle: asyncio.Queue = asyncio.Queue()

    async def open(self) -> None:
        for _ in range(self.size):
            self.idle.put_nowait(await asyncio.open_connection("127.0.0.1", self.port))

    async def post(self, path: str, body: bytes, headers: dict[str, str]) -> int:
        reader, writer = await self.idle.get()
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(body)}\r\n"
            f"{head}\r\n".encode()
            + body
        )
        raw = await reader.readuntil(b"\r\n\r\n")
        status = int(raw.split(b" ", 2)[1])
        length, chunked = 0, False
        for line in raw.split(b"\r\n"):
            lower = line.lower()
            if lower.startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
            elif lower.startswith(b"transfer-encoding:") and b"chunked" in lower:
                chunked = True
        if chunked:
            while True:
                size = int((await reader.readuntil(b"\r\n")).strip(), 16)
                await reader.readexactly(size + 2)
                if size == 0:
                    break
        elif length:
            await reader.readexactly(length)
        self.idle.put_nowait((reader, writer))
        return status

    async def close(self) -> None:
        while not self.idle.empty():
            _reader, writer = self.idle.get_nowait()
            writer.close()


async def scenario_steady(port: int, rate: float, seconds: float, base: int) -> dict:
    """Open loop: updates sent at a steady ``rate`` whatever the answers do (as a platform
    delivering a burst would), latency of each webhook answer. Little's law makes a closed loop
    with C clients report C / throughput as its latency; this is the figure the target means."""
    path = "/bots/telegram/webhook/"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    client = RawClient(port, 64)
    await client.open()
    await client.post(path, json.dumps(update(base - 1, base - 1)).encode(), headers)
    n = int(rate * seconds)
    latencies: list[float] = []
    statuses: dict[int, int] = {}

    async def one(i: int) -> None:
        body = json.dumps(update(base + i, base + i)).encode()
        t0 = time.perf_counter()
        status = await client.post(path, body, headers)
        latencies.append(time.perf_counter() - t0)
        statuses[status] = statuses.get(status, 0) + 1

    tasks = []
    start = time.perf_counter()
    late = 0.0
    for i in range(n):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late = max(late, -delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    await client.close()
    return {
        "offered_per_second": rate,
        "updates": n,
        "accepted": statuses.get(200, 0),
        "accepted_per_second": round(statuses.get(200, 0) / elapsed, 1),
        "statuses": statuses,
        "p50_ms": round(pct(latencies, 50) * 1000, 1),
        "p95_ms": round(pct(latencies, 95) * 1000, 1),
        "p99_ms": round(pct(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
        "sender_late_ms": round(late * 1000, 1),
    }


async def scenario_reply(port: int, rate: float, seconds: float, base: int, log_path: Path) -> dict:
    import httpx

    url = f"http://127.0.0.1:{port}/bots/telegram/webhook/"
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    n = int(rate * seconds)
    sent_at: dict[str, float] = {}
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=64), timeout=30) as client:
        t0 = time.time()
        tasks = []
        for i in range(n):
            target = t0 + i / rate
            delay = target - time.time()
            if delay > 0:
                await asyncio.sleep(delay)
            chat = base + i
            sent_at[str(chat)] = time.time()
            tasks.append(
                asyncio.create_task(
                    client.post(url, content=json.dumps(update(chat, chat)), headers=headers)
                )
            )
        results = await asyncio.gather(*tasks)
    # Wait (bounded) for the last replies to reach the fake server.
    deadline = time.time() + 60
    while time.time() < deadline:
        answered = {chat for _at, chat, status in read_log(log_path) if status == 200}
        if len(answered & set(sent_at)) >= n:
            break
        await asyncio.sleep(0.5)
    first_reply: dict[str, float] = {}
    for at, replied, status in read_log(log_path):
        if status == 200 and replied in sent_at and replied not in first_reply:
            first_reply[replied] = at
    delays = [first_reply[c] - sent_at[c] for c in sent_at if c in first_reply]
    return {
        "updates": n,
        "rate": rate,
        "answered": len(delays),
        "http_200": sum(1 for r in results if r.status_code == 200),
        "p50_ms": round(pct(delays, 50) * 1000, 1),
        "p95_ms": round(pct(delays, 95) * 1000, 1),
        "max_ms": round(max(delays) * 1000, 1) if delays else None,
    }


def wait_drained(limit: float) -> float:
    """Seconds until every stored update was processed (the accept run leaves a backlog)."""
    from forum.bots.models import InboundUpdate

    t0 = time.time()
    while time.time() - t0 < limit:
        if not InboundUpdate.objects.filter(status="pending").exists():
            break
        time.sleep(0.5)
    return time.time() - t0


def seed_notifications(n: int, base: int) -> list[str]:
    from forum.participation import services
    from forum.participation.lifecycle import IdeaStatus
    from forum.participation.models import ChannelIdentity, Person, Region

    region = Region.objects.first()
    chats = []
    for i in range(n):
        person = Person.objects.create(display_name=f"Bench {i}")
        chat = str(base + i)
        ChannelIdentity.objects.create(person=person, channel="telegram", external_id=chat)
        idea = services.idea_submit(
            author=person, title=f"Idea de prueba número {i}", channel="telegram", region=region
        )
        services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)
        chats.append(chat)
    return chats


def run_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [PY, "manage.py", "outbox_worker", "--channel", "telegram", "--sleep", "0.2"],
        cwd=ROOT,
        env={**env, "OUTBOX_LEASE_SECONDS": "5"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def scenario_push(
    env: dict[str, str], n: int, base: int, log_path: Path, kill_after: float | None
) -> dict:
    from forum.notifications.models import Delivery

    log_path.write_text("")
    chats = set(seed_notifications(n, base))
    started = time.time()
    worker = run_worker(env)
    killed = False
    deadline = started + n / 10 + 60
    try:
        while time.time() < deadline:
            time.sleep(0.5)
            if kill_after is not None and not killed and time.time() - started > kill_after:
                worker.send_signal(signal.SIGKILL)
                worker.wait()
                killed = True
                # The new worker takes the dead one's rows when their lease (5 s here) runs out.
                worker = run_worker(env)
            if not Delivery.objects.filter(
                channel="telegram", status__in=["pending", "sending"]
            ).exists():
                break
    finally:
        worker.terminate()
        try:
            worker.wait(10)
        except subprocess.TimeoutExpired:
            worker.kill()
    rows = [r for r in read_log(log_path) if r[1] in chats and r[2] == 200]
    per_chat: dict[str, int] = {}
    for _at, chat, _status in rows:
        per_chat[chat] = per_chat.get(chat, 0) + 1
    times = sorted(at for at, _chat, _status in rows)
    busiest = 0
    j = 0
    for i, t in enumerate(times):
        while times[j] < t - 1.0:
            j += 1
        busiest = max(busiest, i - j + 1)
    span = (times[-1] - times[0]) if len(times) > 1 else float("nan")
    return {
        "notifications": n,
        "killed_half_way": killed,
        "delivered_chats": len(per_chat),
        "lost": len(chats - set(per_chat)),
        "doubled": sum(1 for c in per_chat.values() if c > 1),
        "rate_per_second": round((len(times) - 1) / span, 1) if len(times) > 1 else None,
        "max_in_any_second": busiest,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--skip-push", action="store_true")
    parser.add_argument(
        "--steady-rate", default="200", help="offered rates (updates/s), comma-separated"
    )
    parser.add_argument("--steady-seconds", type=float, default=10.0)
    parser.add_argument(
        "--reply-rate", type=float, default=30.0, help="updates/s of the reply run (30)"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        help="`manage.py work --kind updates --kind replies` processes that answer (1)",
    )
    parser.add_argument("--serve-fake", nargs=2, metavar=("PORT", "LOG"))
    args = parser.parse_args()
    if args.serve_fake:
        serve_fake(int(args.serve_fake[0]), args.serve_fake[1])
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench_bots_"))
    fake_port, web_port = free_port(), free_port()
    log_path = tmp / "fake_telegram.log"
    log_path.write_text("")
    env = make_env(tmp, fake_port)
    db = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
    layer = "Redis" if env.get("REDIS_URL") else "in-memory"
    print(
        f"database: {db}, channel layer: {layer}, cores: {os.cpu_count()}, "
        f"load: {os.getloadavg()[0]:.1f}"
    )
    subprocess.run(
        [PY, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    django_setup(env)
    reset_tables()

    fake = subprocess.Popen([PY, __file__, "--serve-fake", str(fake_port), str(log_path)], env=env)
    engine_workers = []
    daphne = start_daphne(env, port=web_port, log=tmp / "daphne.log")
    try:
        wait_port(fake_port)
        engine_workers = [
            subprocess.Popen(
                [PY, "manage.py", "work", "--kind", "updates", "--kind", "replies"],
                cwd=ROOT,
                env=env,
            )
            for _ in range(max(1, args.workers))
        ]
        n = 400 if args.quick else 2000
        cpu0 = cpu_seconds(daphne.proc.pid)
        result = asyncio.run(scenario_accept(web_port, n, 32, 10_000_000))
        print("accept:", json.dumps(result))
        drained = wait_drained(180)
        cpu = cpu_seconds(daphne.proc.pid) - cpu0
        print(
            f"backlog after accept drained in {drained:.1f} s; daphne CPU {cpu:.1f} s = "
            f"{cpu / n * 1000:.1f} ms per update (verify + store) → "
            f"{n / cpu:.0f} updates per CPU-second"
        )
        # The target figure: a steady offered rate, open loop. The engine workers are paused
        # (SIGSTOP) meanwhile so that they do not take the cores daphne is measured on (in
        # production they run elsewhere); they drain the backlog afterwards.
        for k, rate in enumerate(float(r) for r in args.steady_rate.split(",")):
            for w in engine_workers:
                w.send_signal(signal.SIGSTOP)
            try:
                cpu0 = cpu_seconds(daphne.proc.pid)
                result = asyncio.run(
                    scenario_steady(web_port, rate, args.steady_seconds, 15_000_000 + k * 100_000)
                )
                cpu = cpu_seconds(daphne.proc.pid) - cpu0
            finally:
                for w in engine_workers:
                    w.send_signal(signal.SIGCONT)
            result["daphne_cpu_ms_per_update"] = round(cpu / max(1, result["updates"]) * 1000, 2)
            result["engine_workers"] = "paused"
            print("steady:", json.dumps(result))
            drained = wait_drained(300)
            print(f"backlog after steady drained in {drained:.1f} s")
        seconds = 8 if args.quick else 20
        log_path.write_text("")
        reply = scenario_reply(web_port, args.reply_rate, seconds, 20_000_000, log_path)
        result = asyncio.run(reply)
        print("reply:", json.dumps(result))
        if engine_workers:
            cpu = sum(cpu_seconds(w.pid) for w in engine_workers)
            print(f"work (updates, replies) processes: {len(engine_workers)}, CPU {cpu:.1f} s")
    finally:
        for w in engine_workers:
            w.terminate()
            w.wait(10)
        daphne.stop()
    if args.skip_push:
        fake.terminate()
        return
    try:
        n = 90 if args.quick else 300
        result = scenario_push(env, n, 30_000_000, log_path, kill_after=None)
        print("push:", json.dumps(result))
        result = scenario_push(env, n, 40_000_000, log_path, kill_after=n / 60)
        print("push, worker killed half-way:", json.dumps(result))
    finally:
        fake.terminate()
        fake.wait(10)


if __name__ == "__main__":
    main()
