"""Fixtures shared by the live-thread tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session", autouse=True)
def _hub_reader_returns_its_connection(django_db_setup):
    """Give the hubs' reader thread's database connection back before the test database goes.

    channels' test communicators patch ``channels.db.close_old_connections`` with a no-op
    while a test awaits them (channels/testing/application.py), process-wide. A hub read
    that happens meanwhile keeps its connection checked out of the pool, and dropping the
    test database then fails with "database ... is being accessed by other users". Under
    daphne nothing patches it, and each read returns its connection to the pool.
    """
    yield
    from django.db import connections

    from forum.threads.consumers import _READER

    _READER.submit(connections.close_all).result(timeout=10)
