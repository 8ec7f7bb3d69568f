"""schemathesis over /api/openapi.json, against the app itself: generated requests (valid and
not) to every operation of the open-data API; none may answer 500, and every answer must be one
the document lists, in the shape it declares (docs/reliability.md, «Hostile input»).

On PostgreSQL in CI's second pass, where a NUL byte in a filter once reached the database."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests import factories

pytestmark = pytest.mark.django_db


# The document is read once, at collection (it needs no database); each case then calls the
# same WSGI application in the test's thread, inside the test's transaction.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture(autouse=True)
def _rows(db):
    """Some rows, so that filters and pages have something to find; and the connection kept
    open across requests, as Django's test client keeps it: the WSGI handler would close it
    after each one, and the test's transaction cannot open another."""
    factories.idea(title="Más talleres de oficios en Chillán", topic=factories.topic("Oficios"))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_answers_within_its_schema(case):
    case.call_and_validate()
