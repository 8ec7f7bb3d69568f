"""A whole session in real browsers (Debian's Chromium through Playwright): the projector on the
room's screen, a facilitator's phone entering a table's idea, two attendees' phones checking in
(one through the projector's QR link, one typing the code), voting and sending their word; the
projector updates live, without reloading and without breaking the Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser import RECORD_VIOLATIONS, chromium
from tests.dialogues.session_helpers import room
from tests.threads.servers import session_cookie, start_daphne

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


def _phone(browser, cookie: str | None, **options):
    options.setdefault("viewport", {"width": 360, "height": 740})
    ctx = browser.new_context(locale="es-CL", **options)
    ctx.add_init_script(RECORD_VIOLATIONS)
    if cookie:
        value = cookie.split("=", 1)[1]
        ctx.add_cookies([{"name": "sessionid", "value": value, "domain": "127.0.0.1", "path": "/"}])
    return ctx.new_page()


def test_a_session_with_a_projector_a_facilitator_and_two_phones(daphne):
    from playwright.sync_api import expect

    r = room(code="SALA42", dots=2, ideas=2)
    facilitator_user = factories.user()
    r.facilitator.user = facilitator_user
    r.facilitator.save()
    cookies = {
        "facilitator": session_cookie(facilitator_user),
        "ana": session_cookie(factories.user()),
        "beto": session_cookie(factories.user()),
    }
    base = f"{daphne.origin}/dialogos/{r.dialogue.slug}"
    pages = []
    try:
        with chromium() as browser:
            screen = _phone(browser, None, viewport={"width": 1280, "height": 800})
            screen.goto(f"{base}/proyector/")
            expect(screen.locator("#live-state")).to_be_visible(timeout=15000)
            screen.evaluate("window.__noReload = 'still here'")
            expect(screen.locator("#session-code")).to_have_text("SALA42")
            pages.append(screen)

            table = _phone(browser, cookies["facilitator"])
            table.goto(f"{base}/mesa/1/")
            table.fill("#idea-title", "Ferias laborales en cada comuna")
            table.click("text=Registrar la idea")
            expect(table.locator(".message-success")).to_contain_text("registrada para la mesa")
            pages.append(table)

            ana = _phone(browser, cookies["ana"])
            ana.goto(f"{base}/sesion/?codigo=SALA42")  # the projector's QR link
            ana.click("text=Estoy aquí")
            expect(ana.locator("#dots-left")).to_have_text("Te quedan 2 votos.")
            ana.locator(".ballot-item", has_text="Ferias laborales").locator("text=Votar").click()
            expect(ana.locator("#dots-left")).to_have_text("Te queda 1 voto.")
            pages.append(ana)

            beto = _phone(browser, cookies["beto"])
            beto.goto(f"{base}/sesion/")
            beto.fill("#session-code", "sala42")
            beto.click("text=Estoy aquí")
            beto.locator(".ballot-item", has_text="Ferias laborales").locator("text=Votar").click()
            beto.locator(".ballot-item", has_text=r.ideas[0].title).locator("text=Votar").click()
            expect(beto.locator("#dots-left")).to_have_text("Te quedan 0 votos.")
            beto.fill("#closing-word", "Confianza")
            beto.click("text=Enviar mi palabra")
            expect(beto.locator(".message-success")).to_contain_text("en la pantalla")
            pages.append(beto)

            first = screen.locator("#ranking li").first
            expect(first).to_contain_text("Ferias laborales en cada comuna", timeout=10000)
            expect(first).to_contain_text("2 votos")
            expect(screen.locator("#stat-attendance")).to_have_text("2")
            expect(screen.locator("#stat-votes")).to_have_text("3")
            expect(screen.locator("#cloud .cloud-word")).to_have_text(["confianza"])
            assert screen.evaluate("window.__noReload") == "still here"
            for page in pages:
                assert page.evaluate("window.__violations") == []
    except Exception:
        print("daphne:", daphne.output())
        raise
