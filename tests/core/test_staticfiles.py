"""Static files: served from the finders, and a missing one is a 404 whatever DEBUG says."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

MISSING = "/static/does-not-exist.css"


def test_missing_static_file_is_a_404_under_debug(settings, client):
    settings.DEBUG = True  # what `make run` uses

    response = client.get(MISSING)

    assert response.status_code == 404
    # Django's DEBUG 404 page keeps ServeStatic's explanation of where it looked.
    assert "ServeStatic did not find the file" in response.content.decode()


async def test_missing_static_file_is_a_404_under_debug_over_asgi(settings, async_client):
    settings.DEBUG = True

    response = await async_client.get(MISSING)

    assert response.status_code == 404


def test_missing_static_file_is_a_404_in_production(settings, client):
    settings.DEBUG = False

    assert client.get(MISSING).status_code == 404


@pytest.mark.parametrize("debug", [True, False])
def test_existing_static_file_is_served(settings, client, debug):
    settings.DEBUG = debug

    response = client.get("/static/css/site.css")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
