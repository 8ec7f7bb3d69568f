"""``make run PORT=…``: the links bots send point at the server that was started (QA m12)."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

from tests.daphne_proc import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs GNU make")


def site_url(*make_args: str, site_url: str | None = None) -> str:
    """SITE_URL as the run recipe exports it to daphne and the outbox worker."""
    env = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "MAKEFLAGS", "PORT"}}
    if site_url is not None:
        env["SITE_URL"] = site_url
    recipe = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *make_args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    [line] = [x for x in recipe.splitlines() if x.startswith("export SITE_URL=")]
    shell = line.rstrip("\\").rstrip() + ' printf %s "$SITE_URL"'
    return subprocess.run(
        ["sh", "-c", shell], env=env, capture_output=True, text=True, check=True
    ).stdout


def test_site_url_follows_the_port_and_host():
    assert site_url("PORT=8765") == "http://127.0.0.1:8765"
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url("HOST=0.0.0.0", "PORT=9000") == "http://127.0.0.1:9000"


def test_an_explicit_site_url_wins():
    assert site_url("PORT=8765", site_url="https://foro.example.cl") == "https://foro.example.cl"
