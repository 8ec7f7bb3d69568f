"""One real daphne process on 127.0.0.1, for the multi-process tests and the benchmarks.

Started on a free (or given) port with the environment the caller builds, its output in a log
file, returned once the port accepts connections; stopped with SIGINT (a clean shutdown, which
also lets cProfile write its file), killed if it does not exit. Imports nothing from Django:
the benchmarks use it before (or without) setting Django up.
"""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port: int, *, timeout: float = 30, proc: subprocess.Popen | None = None) -> None:
    """Return once 127.0.0.1:``port`` accepts a connection; RuntimeError after ``timeout``
    seconds, or as soon as ``proc`` (the process meant to listen there) has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"exited (code {proc.returncode}) before listening on {HOST}:{port}")
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), 0.5):
            return
        time.sleep(0.2)
    raise RuntimeError(f"not listening on {HOST}:{port} after {timeout:g} s")


@dataclass
class Daphne:
    port: int
    proc: subprocess.Popen
    log: Path

    @property
    def origin(self) -> str:
        return f"http://{HOST}:{self.port}"

    def ws(self, path: str) -> str:
        return f"ws://{HOST}:{self.port}{path}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)

    def output(self, chars: int = 4000) -> str:
        """The end of what the process wrote (stdout and stderr)."""
        return self.log.read_text(errors="replace")[-chars:]


def start_daphne(
    env: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
    log: Path | None = None,
    profile_dir: str | Path | None = None,
    timeout: float = 60,
) -> Daphne:
    """Start ``daphne forum.asgi:application`` on 127.0.0.1 and return it once it listens.

    ``env``: the child's whole environment (default: this process's). ``port``: default a free
    one. ``log``: where stdout and stderr go (default a new temporary file, left for a
    post-mortem). ``profile_dir``: run under cProfile, writing ``daphne-<port>.prof`` there
    (a relative directory is taken from the repository root, the child's working directory).
    Raises RuntimeError with the end of the log if it exits or does not listen in ``timeout`` s.
    """
    port = port or free_port()
    if log is None:
        log = Path(tempfile.mkstemp(prefix=f"daphne-{port}-", suffix=".log")[1])
    profile = (
        ["-m", "cProfile", "-o", str(Path(profile_dir) / f"daphne-{port}.prof")]
        if profile_dir
        else []
    )
    args = ["-m", "daphne", "-b", HOST, "-p", str(port), "forum.asgi:application"]
    with log.open("wb") as out:  # the child keeps its own copy of the descriptor
        proc = subprocess.Popen(
            [sys.executable, *profile, *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Daphne(port, proc, log)
    try:
        wait_port(port, timeout=timeout, proc=proc)
    except RuntimeError as exc:
        server.stop()
        raise RuntimeError(f"daphne {exc}; the end of {log}:\n{server.output()}") from None
    return server
