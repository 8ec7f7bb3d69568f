"""The site has an icon at /favicon.ico (no 404 in every browser console) and an SVG one."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("debug", [True, False])
def test_favicon_is_served_at_the_root(settings, client, debug):
    settings.DEBUG = debug

    ico = client.get("/favicon.ico")
    svg = client.get("/favicon.svg")

    assert ico.status_code == 200
    assert ico["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert svg.status_code == 200
    assert svg["Content-Type"].startswith("image/svg+xml")


def test_pages_link_the_icon(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.svg" type="image/svg+xml">' in html
