"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright).

Every kind of page works under the policy the site sends (its scripts run, its sockets
connect, nothing is refused), and the policy does its job: markup injected into a page, as an
XSS that slipped past escaping would be, cannot run a script.
"""

from __future__ import annotations

import re

import pytest

from forum.participation.codes import format_code
from tests import factories as f
from tests.browser import RECORD_VIOLATIONS, chromium
from tests.moderation.moderation_helpers import moderator
from tests.threads.helpers import citizen, public_thread
from tests.threads.servers import session_cookie, start_daphne

browser_test = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def _page(browser, cookie: str | None = None):
    ctx = browser.new_context(locale="es-CL", viewport={"width": 390, "height": 844})
    if cookie:
        value = cookie.split("=", 1)[1]
        ctx.add_cookies([{"name": "sessionid", "value": value, "domain": "127.0.0.1", "path": "/"}])
    ctx.add_init_script(RECORD_VIOLATIONS)
    page = ctx.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda msg: console.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return page, console


def _violations(page, console: list[str]) -> list[str]:
    return [*page.evaluate("window.__violations"), *console]


def in_browser(test):
    for mark in reversed(browser_test):
        test = mark(test)
    return test


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


@in_browser
def test_every_kind_of_page_works_under_the_policy(daphne):
    """Public pages, the idea page, the web chat, a live thread, the moderators' queue, the
    admin and the API docs: each loads and runs its scripts with no violation reported."""
    from playwright.sync_api import expect

    idea = f.idea(title="Talleres de oficios digitales en Concepción", body="Para jóvenes.")
    thread = public_thread()
    user, _person = citizen()
    participant = session_cookie(user)
    mod = session_cookie(moderator())
    admin = session_cookie(f.user(is_staff=True, is_superuser=True))
    code = format_code(idea.tracking_code)

    with chromium() as browser:
        checks = [
            ("/", None, "main"),
            ("/ideas/?q=oficios", None, "main"),
            (f"/ideas/{code}/", None, "main"),
            ("/seguir/", None, "main"),
            (f"/hilos/{thread.pk}/", participant, "#thread[data-live='1']"),
            ("/mis-datos/", participant, "main"),
            ("/moderacion/", mod, "main"),
            ("/admin/", admin, "#content"),
            # Swagger UI from django-ninja's own static files: the operations are listed.
            ("/api/docs", None, ".opblock"),
        ]
        for path, cookie, ready in checks:
            page, console = _page(browser, cookie)
            response = page.goto(daphne.origin + path)
            assert response is not None
            assert response.ok, f"{path}: {response.status}"
            assert "script-src 'self'" in (response.header_value("content-security-policy") or "")
            expect(page.locator(ready).first).to_be_attached(timeout=15000)
            page.wait_for_load_state("networkidle")
            assert _violations(page, console) == [], path
            page.context.close()

        # The web chat: its script opens the conversation and a button answers.
        page, console = _page(browser)
        page.goto(f"{daphne.origin}/chat/")
        expect(page.locator("#chat-log")).to_contain_text("Ley 21.719", timeout=15000)
        page.locator("#chat-buttons button").first.click()
        expect(page.locator("#chat-buttons button").filter(has_text="English")).to_have_count(
            1, timeout=10000
        )
        assert _violations(page, console) == []


@in_browser
def test_markup_injected_into_a_page_cannot_run_a_script(daphne):
    """What an XSS that slipped past escaping would be: an event handler, an inline script and
    a javascript: URL put into the idea page. None runs, and the browser says why."""
    from playwright.sync_api import expect

    idea = f.idea(title="Ferias laborales en Chillán")
    with chromium() as browser:
        page, _console = _page(browser)
        page.goto(f"{daphne.origin}/ideas/{format_code(idea.tracking_code)}/")
        expect(page.locator("main")).to_be_attached()
        page.evaluate(
            """() => {
              document.body.insertAdjacentHTML(
                "beforeend",
                '<img id="probe" src="/nothing.png" onerror="window.pwned = 1">' +
                '<a id="js" href="javascript:window.pwned = 3">x</a>'
              );
              const s = document.createElement("script");
              s.textContent = "window.pwned = 2";
              document.body.appendChild(s);
            }"""
        )
        page.locator("#js").click()
        page.wait_for_timeout(500)
        assert page.evaluate("window.pwned") is None
        violations = page.evaluate("window.__violations")
        assert any(re.match(r"script-src-attr blocked inline", v) for v in violations), violations
        assert any(re.match(r"script-src-elem blocked inline", v) for v in violations), violations


@pytest.mark.django_db
def test_the_policy_can_be_turned_to_report_only(client, settings):
    """CONTENT_SECURITY_POLICY_REPORT_ONLY=1 sends the same policy without enforcing it, to try
    a change on a live site without breaking pages; an empty policy sends none."""
    enforced = client.get("/privacidad/")
    assert "script-src 'self'" in enforced["Content-Security-Policy"]
    assert "Content-Security-Policy-Report-Only" not in enforced

    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = True
    trial = client.get("/privacidad/")
    assert "Content-Security-Policy" not in trial
    assert trial["Content-Security-Policy-Report-Only"] == enforced["Content-Security-Policy"]

    settings.CONTENT_SECURITY_POLICY = ""
    assert "Content-Security-Policy-Report-Only" not in client.get("/privacidad/")
