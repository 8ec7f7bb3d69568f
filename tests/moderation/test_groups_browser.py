"""The group queue in Chromium at phone width, without JavaScript: a moderator drops a member
(«No es igual») and merges the rest in one decision."""

from __future__ import annotations

import pytest

from forum.moderation.models import DuplicateGroup
from forum.participation.models import Idea
from tests import factories
from tests.browser import chromium
from tests.moderation.moderation_helpers import moderator
from tests.threads.servers import session_cookie, start_daphne

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

OTEC = [
    ("Fiscalizar la calidad de las OTEC en el Biobío", "Nadie fiscaliza los cursos de las OTEC."),
    ("Fiscalizar de verdad la calidad de las OTEC del Biobío", "Nadie fiscaliza a las OTEC."),
    ("Más fiscalización a las OTEC en Biobío", "La calidad de los cursos de las OTEC es mala."),
]


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


def test_a_phone_without_javascript_decides_a_group(daphne):
    from playwright.sync_api import expect

    a, b, c = (factories.idea(title=t, body=body) for t, body in OTEC)
    assert DuplicateGroup.objects.count() == 1
    cookie = session_cookie(moderator("moderadora"))
    with chromium() as browser:
        ctx = browser.new_context(
            locale="es-CL", viewport={"width": 360, "height": 740}, java_script_enabled=False
        )
        value = cookie.split("=", 1)[1]
        ctx.add_cookies([{"name": "sessionid", "value": value, "domain": "127.0.0.1", "path": "/"}])
        page = ctx.new_page()
        page.goto(f"{daphne.origin}/moderacion/grupos/")
        group = page.locator(".group-item")
        expect(group).to_have_count(1)
        expect(group).to_contain_text("3 ideas")
        expect(group.locator("mark.diff-ins").first).to_be_visible()
        # Side by side fits the phone: nothing wider than the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        page.click(f"button[value='drop:{b.pk}']")
        expect(page.locator("body")).to_contain_text("ya no se propone con este grupo")
        expect(page.locator(".group-item")).to_contain_text("2 ideas")
        page.click("button[value='merge']")
        expect(page.locator("body")).to_contain_text("Listo: 1 idea fusionada")
        expect(page.locator(".group-item")).to_have_count(0)
    assert Idea.objects.get(pk=c.pk).merged_into_id == a.pk
    assert Idea.objects.get(pk=b.pk).merged_into_id is None
