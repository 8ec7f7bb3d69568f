"""Test-wide setup: which real servers are present, and what happens when one is missing.

Tests marked ``postgres`` need the suite to run on PostgreSQL (``DATABASE_URL``); tests marked
``redis`` need ``REDIS_URL``; ``browser`` needs /usr/bin/chromium (``CHROMIUM``, empty for none).
Without them a test is skipped with the reason, except under CI (``CI=true``), where a missing
server is a failure.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.browser import CHROMIUM
from tests.fault_servers import missing_binaries

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection(
            (parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=1
        ):
            return True
    except OSError:
        return False


def _missing(item: pytest.Item) -> str | None:
    on_postgres = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
    if item.get_closest_marker("postgres") and not on_postgres:
        return "needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
    if item.get_closest_marker("redis"):
        url = os.environ.get("REDIS_URL", "")
        if not url:
            return "needs Redis: set REDIS_URL=redis://127.0.0.1:6379/0"
        if not _reachable(url, 6379):
            return f"Redis at {url} is not reachable"
    if item.get_closest_marker("faults"):
        missing = missing_binaries()
        if missing:
            return missing
        if not (IN_CI or os.environ.get("FAULT_TESTS", "") in {"1", "true", "yes"}):
            # Not a missing server: a choice, so a skip even under CI's first pass.
            return "fault tests start their own servers: CI's second pass runs them (FAULT_TESTS=1)"
    if item.get_closest_marker("browser") and not (CHROMIUM and os.path.exists(CHROMIUM)):
        return "needs Debian's Chromium: apt-get install chromium"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    reason = _missing(item)
    if reason is None:
        return
    if IN_CI:
        pytest.fail(f"CI=true and {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _spanish_by_default(settings):
    settings.LANGUAGE_CODE = "es"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The real hasher costs ~0.3 s per user; tests are not about password strength.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages cache aggregate figures for a minute; every test starts from an empty cache.
    clear_cache()


def clear_cache() -> None:
    """Empty this test process's caches (every alias). On Redis, only their own keys: parallel
    workers share the server (one REDIS_PREFIX each), and a FLUSHDB would wipe another worker's
    test mid-way."""
    from django.core.cache import caches

    for alias, config in settings.CACHES.items():
        cache = caches[alias]
        prefix = config.get("KEY_PREFIX", "")
        if prefix and config["BACKEND"].endswith("RedisCache"):
            client = cache._cache.get_client(write=True)  # type: ignore[attr-defined]
            keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
            if keys:
                client.delete(*keys)
        else:
            cache.clear()


def _uses_transactional_db(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and (
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    ):
        return True
    return bool({"transactional_db", "live_server"} & set(request.fixturenames))


@pytest.fixture(autouse=True)
def _reference_rows(request):
    """Transactional tests end with a flush that also empties the rows data migrations created
    (regions, councils, staff groups); put them back so every test starts from a migrated
    database, whatever ran before it."""
    if not _uses_transactional_db(request):
        return
    request.getfixturevalue("_django_db_helper")
    from importlib import import_module

    from django.apps import apps

    from forum.moderation.roles import sync_roles

    import_module("forum.participation.migrations.0002_regions").forwards(apps, None)
    sync_roles(apps)
