"""Without SECRET_KEY: commands that sign nothing run, the rest stop with an error that names
the fix, and the site refuses to start."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.daphne_proc import ROOT


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "FORO_ALLOW_INSECURE_KEY", "DJANGO_SETTINGS_MODULE"}
        and not k.startswith("PYTEST")
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_a_command_that_writes_the_database_says_how_to_run_it_locally():
    done = _run("manage.py", "import_ideas", "ideas.csv", "--source", "x")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "SECRET_KEY is not set" in done.stderr
    assert "DEBUG=1 .venv/bin/python manage.py import_ideas" in done.stderr
    assert "docs/deploy.md" in done.stderr


def test_help_and_the_csv_only_dedupe_need_no_key(tmp_path):
    assert "usage" in _run("manage.py", "import_ideas", "--help").stdout
    assert "Type 'manage.py help <subcommand>'" in _run("manage.py").stdout
    csv = tmp_path / "ideas.csv"
    csv.write_text(
        "id;title\n1;Más cursos de soldadura en Talcahuano\n"
        "2;Mas cursos de soldadura en Talcahuano\n3;Un puente peatonal en Chiguayante\n",
        encoding="utf-8",
    )
    done = _run(
        "manage.py", "dedupe", str(csv), "--text-columns", "title", "--delimiter", ";",
        "--output", str(tmp_path / "clusters.json"), "--no-progress",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '["1", "2"]' in (tmp_path / "clusters.json").read_text()


def test_the_site_refuses_to_start_without_a_key():
    done = _run("-c", "import forum.asgi")
    assert done.returncode != 0
    assert "SECRET_KEY is not set. Export SECRET_KEY" in done.stderr
