"""Private PostgreSQL and Redis servers for the fault tests: started by the test on free ports
in a temporary directory, stopped and restarted at will, removed afterwards. Never the machine's
shared servers (5432, 6379).

PostgreSQL comes from Debian's binaries (``/usr/lib/postgresql/<version>/bin``: initdb, pg_ctl);
as root they run as the ``postgres`` user (initdb refuses root). Redis is ``/usr/bin/redis-server``
with no persistence.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tests.daphne_proc import free_port, wait_port

REDIS_SERVER = "/usr/bin/redis-server"


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    return Path(found[-1]).parent if found else None


def _pg(tool: str) -> str:
    bin_dir = postgres_bin()
    assert bin_dir is not None, missing_binaries()
    return str(bin_dir / tool)


def missing_binaries() -> str | None:
    """Why the fault servers cannot be started here, or None."""
    if postgres_bin() is None:
        return "needs PostgreSQL's binaries, /usr/lib/postgresql/*/bin (apt install postgresql)"
    if not os.path.exists(REDIS_SERVER):
        return "needs /usr/bin/redis-server (apt-get install redis-server)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root needs a 'postgres' user to run initdb"
    return None


def _as_postgres() -> list[str]:
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


@dataclass
class PrivatePostgres:
    root: Path
    port: int

    @classmethod
    def start(cls) -> PrivatePostgres:
        root = Path(tempfile.mkdtemp(prefix="fault-pg-"))
        if os.geteuid() == 0:
            entry = pwd.getpwnam("postgres")
            os.chown(root, entry.pw_uid, entry.pw_gid)
        server = cls(root, free_port())
        subprocess.run(
            [*_as_postgres(), _pg("initdb"), "-D", str(root / "data"), "-U", "postgres",
             "--auth=trust", "-E", "UTF8", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        server.pg_ctl("start")
        return server

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, action: str, *extra: str) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        subprocess.run(
            [*_as_postgres(), _pg("pg_ctl"), action, "-D", str(self.root / "data"),
             "-o", options, "-l", str(self.root / "log"), "-w", "-m", "fast", *extra],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        if action != "stop":
            wait_port(self.port, timeout=60)

    def stop(self) -> None:
        self.pg_ctl("stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    proc: subprocess.Popen | None = None

    @classmethod
    def start(cls, port: int | None = None) -> PrivateRedis:
        server = cls(port or free_port())
        server.restart()
        return server

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def restart(self) -> None:
        self.proc = subprocess.Popen(
            [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_port(self.port, timeout=30, proc=self.proc)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=30)
        self.proc = None
        time.sleep(0.1)
