"""Real daphne processes for multi-process and browser tests (talking only to 127.0.0.1)."""

from __future__ import annotations

import os
from urllib.parse import quote

from django.db import connection

from tests import daphne_proc
from tests.daphne_proc import ROOT, Daphne


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


def start_daphne(
    env: dict[str, str] | None = None, timeout: float = 60, port: int | None = None
) -> Daphne:
    """A daphne process on the test database (:func:`child_env`) unless ``env`` says otherwise."""
    return daphne_proc.start_daphne(env or child_env(), port=port, timeout=timeout)


def session_cookie(user) -> str:
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"
