"""Two people in two real browsers (Debian's Chromium through Playwright): one posts, the other
sees it appear without reloading; the XSS probe shows as text and fires nothing."""

from __future__ import annotations

import pytest

from .helpers import citizen, public_thread
from .servers import session_cookie, start_daphne

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROBE = "Hola <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


def _context(browser, cookie: str):
    ctx = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740})
    value = cookie.split("=", 1)[1]
    ctx.add_cookies([{"name": "sessionid", "value": value, "domain": "127.0.0.1", "path": "/"}])
    return ctx


def test_second_person_sees_post_live_and_probe_as_text(daphne):
    from playwright.sync_api import expect, sync_playwright

    alice, _a = citizen("alicia")
    bruno, _b = citizen("bruno")
    thread = public_thread(title="Cursos nocturnos en Concepción")
    url = f"{daphne.origin}/hilos/{thread.pk}/"
    # Sessions are made before Playwright starts its event loop (the ORM is sync-only).
    cookie_a, cookie_b = session_cookie(alice), session_cookie(bruno)
    dialogs: list[str] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            try:
                page_a = _context(browser, cookie_a).new_page()
                page_b = _context(browser, cookie_b).new_page()
                for page in (page_a, page_b):
                    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                    page.goto(url)
                    expect(page.locator("#thread[data-live='1']")).to_have_count(1, timeout=15000)
                page_b.evaluate("window.__noReload = 'still here'")

                page_a.fill("textarea[name=body]", PROBE)
                page_a.click("#post-form button[type=submit]")

                post_b = page_b.locator("#posts article.post").last
                expect(post_b).to_contain_text("<script>alert(1)</script>", timeout=10000)
                expect(post_b).to_contain_text("<img src=x onerror=alert(2)>")
                expect(post_b.locator(".post-author")).to_have_text("alicia")
                assert page_b.evaluate("window.__noReload") == "still here"
                assert page_b.locator("#posts script, #posts img").count() == 0
                assert page_b.locator("#posts a[href^='javascript']").count() == 0
                # Sent over the socket: the author's form is cleared without a page load.
                expect(page_a.locator("textarea[name=body]")).to_have_value("")
                expect(page_a.locator("#posts article.post")).to_have_count(1)
                page_b.wait_for_timeout(300)  # give a would-be alert a moment to fire
            finally:
                browser.close()
    except Exception:
        print("daphne:", daphne.output())
        raise
    assert dialogs == []
    assert thread.posts.get().body == PROBE
