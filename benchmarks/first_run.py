"""A newcomer's first ``make run``: from a fresh clone to the first page served.

Clones the repository (its committed HEAD) into a temporary folder, with empty pip and uv caches
(``--warm`` keeps this machine's uv cache), runs ``make run`` on a free port with none of a
developer's environment, and prints when each step began: bootstrapping uv, installing from
uv.lock, migrating, loading the demo, the first 200 from the home page. Then stops everything
and deletes the clone.

    .venv/bin/python benchmarks/first_run.py            # cold: downloads every package
    .venv/bin/python benchmarks/first_run.py --warm     # packages already in uv's cache
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.daphne_proc import ROOT, free_port

# Lines of make's output that start a step, in order.
STEPS = [
    ("pip install", "bootstrap uv (pip)"),
    ("uv sync", "install from uv.lock"),
    ("manage.py migrate", "migrate"),
    ("Cargando la demo", "load the demo"),
    ("Demo cargada en", "demo loaded"),
]
DEVELOPER_ONLY = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SITE_URL", "MAKEFLAGS"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warm", action="store_true", help="keep this machine's uv cache")
    parser.add_argument("--source", default=str(ROOT), help="repository to clone (default: this)")
    parser.add_argument("--timeout", type=float, default=900, help="give up after (seconds)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="foro-first-run-"))
    clone = work / "repo"
    subprocess.run(["git", "clone", "--quiet", args.source, str(clone)], check=True)
    shared = Path(args.source).resolve().parent / "shared"
    if shared.exists():
        (work / "shared").symlink_to(shared)
    env = {k: v for k, v in os.environ.items() if k not in DEVELOPER_ONLY}
    env["PIP_NO_CACHE_DIR"] = "1"
    if not args.warm:
        env["UV_CACHE_DIR"] = str(work / "uv-cache")
    port = free_port()

    started = time.monotonic()
    seen: dict[str, float] = {}
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    log: list[str] = []

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            log.append(line)
            for needle, label in STEPS:
                if needle in line and label not in seen:
                    seen[label] = time.monotonic() - started

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    served = None
    try:
        while time.monotonic() - started < args.timeout and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    if answer.status == 200:
                        served = time.monotonic() - started
                        break
            except OSError:
                time.sleep(0.25)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(work, ignore_errors=True)

    print(f"first make run ({'warm' if args.warm else 'cold'} uv cache), fresh clone:")
    for _needle, label in STEPS:
        if label in seen:
            print(
                f"  {seen[label]:6.1f} s  {label} begins"
                if label != "demo loaded"
                else f"  {seen[label]:6.1f} s  {label}"
            )
    if served is None:
        print("  no page served; make run said:\n" + "".join(log[-30:]))
        sys.exit(1)
    print(f"  {served:6.1f} s  home page answered 200")
    demo = [line.strip() for line in log if "Demo cargada en" in line]
    if demo:
        print(f"  ({demo[0][:60]}…)")


if __name__ == "__main__":
    main()
