"""Every shell command in README.md and docs/ runs as written, on a fresh checkout.

Each ``sh`` block carries a marker on the line before its fence:

- ``<!-- runnable -->``: run as written;
- ``<!-- runnable: help -->``: each command is run with ``--help`` instead of its arguments
  (benchmarks that take minutes or need PostgreSQL, workers that loop forever);
- ``<!-- runnable: server -->``: run while ``make run`` serves the demo from that checkout (the
  examples' ``127.0.0.1:8000`` becomes the port it was given);
- ``<!-- not runnable: why -->``: commands for a production host.

The checkout is the tracked files (as the working tree has them) copied into a folder with
``../shared`` beside it, as in CI, sharing this run's ``.venv``. Commands run with none of the
suite's environment: no ``DEBUG``, ``SECRET_KEY``, ``DATABASE_URL`` or ``REDIS_URL``, as a
newcomer's shell would have them.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.daphne_proc import ROOT, free_port
from tests.shared_data import MADRID

SHELLS = {"sh", "bash", "shell", "console"}
MARKER = re.compile(r"<!--\s*(not runnable|runnable)(?::\s*([^>]*?))?\s*-->", re.S)
# What the suite (or make, or a developer's shell) sets and a newcomer's shell does not.
SUITE_ONLY = {
    "DEBUG",
    "SECRET_KEY",
    "FORO_ALLOW_INSECURE_KEY",
    "DATABASE_URL",
    "REDIS_URL",
    "REDIS_PREFIX",
    "SITE_URL",
    "DJANGO_SETTINGS_MODULE",
    "MAKEFLAGS",
    "MAKELEVEL",
    "MFLAGS",
    "PORT",
    "HOST",
}


@dataclass(frozen=True)
class Block:
    path: str
    line: int
    kind: str | None  # "runnable", "help", "server", "not runnable"; None when unmarked
    code: str

    @property
    def id(self) -> str:
        return f"{self.path}:{self.line}"


def _blocks() -> list[Block]:
    found = []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        lines = doc.read_text(encoding="utf-8").splitlines()
        n = 0
        while n < len(lines):
            fence = re.match(r"\s*```(\w*)\s*$", lines[n])
            if not fence:
                n += 1
                continue
            end = next(i for i in range(n + 1, len(lines)) if lines[i].strip() == "```")
            if fence.group(1) in SHELLS:
                indent = len(lines[n]) - len(lines[n].lstrip())
                code = "\n".join(line[indent:] for line in lines[n + 1 : end])
                # The marker: the comment that ends on the line before the fence.
                before = "\n".join(lines[max(0, n - 4) : n])
                marks = list(MARKER.finditer(before)) if before.rstrip().endswith("-->") else []
                kind = None
                if marks:
                    word, arg = marks[-1].group(1), (marks[-1].group(2) or "").strip()
                    kind = word if word == "not runnable" or not arg else arg
                found.append(Block(str(doc.relative_to(ROOT)), n + 1, kind, code))
            n = end + 1
    return found


BLOCKS = _blocks()


def _of(kind: str) -> list[Block]:
    return [b for b in BLOCKS if b.kind == kind]


def test_every_shell_block_says_whether_and_how_it_runs():
    assert len(BLOCKS) >= 10
    unmarked = [
        b.id for b in BLOCKS if b.kind not in {"runnable", "help", "server", "not runnable"}
    ]
    assert unmarked == [], (
        "shell blocks without <!-- runnable -->, <!-- runnable: help -->, "
        "<!-- runnable: server --> or <!-- not runnable: why --> before their fence"
    )
    assert _of("runnable")
    assert _of("help")
    assert _of("server")


# ---------------------------------------------------------------- the fresh checkout


@pytest.fixture(scope="module")
def checkout(tmp_path_factory) -> Path:
    if not MADRID.exists():
        pytest.skip(f"needs the shared data ({MADRID})")
    work = tmp_path_factory.mktemp("fresh")
    repo = work / "repo"
    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        source = ROOT / name
        if not source.is_file():  # deleted in the working tree
            continue
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)  # keeps mtimes: make sees the shared .venv as up to date
    for tool in (".venv", ".uv"):
        if (ROOT / tool).exists():
            (repo / tool).symlink_to(ROOT / tool)
    (work / "shared").symlink_to(MADRID.parents[1])
    return repo


def _newcomer_env(home: Path) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SUITE_ONLY and not k.startswith(("PYTEST", "COV_"))
    }
    env["HOME"] = str(home)
    return env


def _run(script: str, cwd: Path, env: dict[str, str], timeout: float = 600) -> str:
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"exit {done.returncode}:\n$ {script}\n{output[-4000:]}"
    return output


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("block", _of("runnable"), ids=lambda b: b.id)
def test_runnable_blocks_run_as_written(block: Block, checkout: Path, tmp_path):
    _run(block.code, checkout, _newcomer_env(tmp_path))


def _commands(code: str) -> list[list[str]]:
    """The block's commands as argument lists: continuations joined, comments dropped, split on
    ``&&`` and ``;``."""
    joined = re.sub(r"\\\n\s*", " ", code)
    commands = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        current: list[str] = []
        for word in [*words, "&&"]:
            if word in {"&&", ";"}:
                if current:
                    commands.append(current)
                current = []
            else:
                current.append(word)
    return commands


def _help_form(words: list[str]) -> list[str]:
    """``[ENV=…] program [-m module | script [subcommand]] --help``."""
    n = 0
    while "=" in words[n] and not words[n].startswith("-"):
        n += 1
    program = words[n]
    head = words[: n + 1]
    rest = words[n + 1 :]
    if program.endswith("pip"):
        return [*head, rest[0], "--help"]
    if rest[:1] == ["-m"]:
        return [*head, *rest[:2], "--help"]
    if rest and rest[0].endswith("manage.py"):
        return [*head, *rest[:2], "--help"]
    return [*head, rest[0], "--help"] if rest else [*head, "--help"]


@pytest.mark.parametrize("block", _of("help"), ids=lambda b: b.id)
def test_help_blocks_commands_answer_their_help(block: Block, checkout: Path, tmp_path):
    commands = _commands(block.code)
    assert commands
    for words in commands:
        output = _run(shlex.join(_help_form(words)), checkout, _newcomer_env(tmp_path), 120)
        assert "usage" in output.lower(), output[-2000:]


# ---------------------------------------------------------------- make run, and the API examples


@pytest.fixture(scope="module")
def served(checkout: Path, tmp_path_factory) -> Iterator[str]:
    """``make run`` in the checkout, as README says, until its home page answers."""
    if shutil.which("make") is None:
        pytest.skip("needs GNU make")
    port = free_port()
    home = tmp_path_factory.mktemp("home")
    log = (home / "make-run.log").open("w")
    proc = subprocess.Popen(
        ["make", "--no-print-directory", "run", f"PORT={port}"],
        cwd=checkout,
        env=_newcomer_env(home),
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # make, daphne and the worker: stopped together
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while True:
            if proc.poll() is not None:
                pytest.fail(f"make run exited ({proc.returncode}):\n{_tail(home)}")
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"make run served nothing in 600 s:\n{_tail(home)}")
            time.sleep(0.5)
        yield base
    finally:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            if proc.poll() is not None:
                break
            os.killpg(proc.pid, sig)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                continue
        log.close()


def _tail(home: Path) -> str:
    return (home / "make-run.log").read_text(errors="replace")[-4000:]


@pytest.mark.slow
@pytest.mark.timeout(900)
@pytest.mark.parametrize("block", _of("server"), ids=lambda b: b.id)
def test_server_examples_answer_on_make_runs_demo(block: Block, served: str, checkout, tmp_path):
    for tool in ("curl", *(["jq"] if "jq " in block.code else [])):
        if shutil.which(tool) is None:
            pytest.skip(f"the example uses {tool}, which this machine lacks")
    # curl reads ~/.curlrc: an HTTP error fails the example instead of printing its page.
    (tmp_path / ".curlrc").write_text("fail\nshow-error\n")
    output = _run(
        block.code.replace("http://127.0.0.1:8000", served), checkout, _newcomer_env(tmp_path)
    )
    assert output.strip()
