"""Real daphne processes for multi-process and browser tests (talking only to 127.0.0.1)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_database_url() -> str:
    """The URL of the database this pytest run uses (the test database, not the configured
    one), so a child process sees the rows a transactional test commits."""
    sd = connection.settings_dict
    assert sd["ENGINE"].endswith("postgresql"), "child processes need PostgreSQL"
    auth = quote(sd["USER"] or "postgres")
    if sd.get("PASSWORD"):
        auth += ":" + quote(sd["PASSWORD"])
    return f"postgres://{auth}@{sd['HOST'] or '127.0.0.1'}:{sd['PORT'] or 5432}/{sd['NAME']}"


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": test_database_url(),
            "DEBUG": "1",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.pop("PYTEST_CURRENT_TEST", None)
    return env


class Daphne:
    def __init__(self, port: int, proc: subprocess.Popen, log: Path) -> None:
        self.port, self.proc, self.log = port, proc, log

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def ws(self, path: str) -> str:
        return f"ws://127.0.0.1:{self.port}{path}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]


def start_daphne(
    env: dict[str, str] | None = None, timeout: float = 60, port: int | None = None
) -> Daphne:
    port = port or free_port()
    log = Path(tempfile.mkstemp(prefix=f"daphne-{port}-", suffix=".log")[1])
    fh = log.open("wb")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "forum.asgi:application",
        ],
        cwd=ROOT,
        env=env or child_env(),
        stdout=fh,
        stderr=subprocess.STDOUT,
    )
    server = Daphne(port, proc, log)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"daphne exited early:\n{server.output()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return server
        time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"daphne did not listen on {port}:\n{server.output()}")


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"
