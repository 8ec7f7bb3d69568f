"""Two people in two real browsers (Debian's Chromium through Playwright): one posts, the other
sees it appear without reloading; the XSS probe shows as text and fires nothing."""

from __future__ import annotations

import re

import pytest

from forum.moderation.roles import MODERATION
from tests.browser import chromium

from .helpers import citizen, public_thread
from .servers import session_cookie, start_daphne

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]

PROBE = "Hola <script>alert(1)</script> <img src=x onerror=alert(2)> [x](javascript:alert(3))"


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


def _context(browser, cookie: str, **options):
    ctx = browser.new_context(locale="es-CL", viewport={"width": 360, "height": 740}, **options)
    value = cookie.split("=", 1)[1]
    ctx.add_cookies([{"name": "sessionid", "value": value, "domain": "127.0.0.1", "path": "/"}])
    return ctx


def _open_live(browser, cookie: str, url: str, on_dialog=None, **options):
    """A page of ``url`` as the person of ``cookie``, once its socket is live."""
    from playwright.sync_api import expect

    page = _context(browser, cookie, **options).new_page()
    if on_dialog is not None:
        page.on("dialog", on_dialog)
    page.goto(url)
    expect(page.locator("#thread[data-live='1']")).to_have_count(1, timeout=15000)
    return page


def _in_other_thread(fn):
    """Run ``fn`` on a fresh thread with its own database connection, closed afterwards (as a
    request of another person would), and return its result."""
    import concurrent.futures

    from django.db import connection

    def run():
        try:
            return fn()
        finally:
            connection.close()

    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(run).result()


def test_second_person_sees_post_live_and_probe_as_text(daphne) -> None:
    from playwright.sync_api import Dialog, expect

    alice, alice_person = citizen("alicia")
    # The name she chose to show (a username is never shown: issue 18, item 6).
    alice_person.display_name = "Alicia"
    alice_person.save(update_fields=["display_name"])
    bruno, _b = citizen("bruno")
    thread = public_thread(title="Cursos nocturnos en Concepción")
    url = f"{daphne.origin}/hilos/{thread.pk}/"
    # Sessions are made before Playwright starts its event loop (the ORM is sync-only).
    cookie_a, cookie_b = session_cookie(alice), session_cookie(bruno)
    dialogs: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    try:
        with chromium() as browser:
            page_a = _open_live(browser, cookie_a, url, on_dialog)
            page_b = _open_live(browser, cookie_b, url, on_dialog)
            page_b.evaluate("window.__noReload = 'still here'")

            page_a.fill("textarea[name=body]", PROBE)
            page_a.click("#post-form button[type=submit]")

            post_b = page_b.locator("#posts article.post").last
            expect(post_b).to_contain_text("<script>alert(1)</script>", timeout=10000)
            expect(post_b).to_contain_text("<img src=x onerror=alert(2)>")
            expect(post_b.locator(".post-author")).to_have_text("Alicia")
            assert page_b.evaluate("window.__noReload") == "still here"
            assert page_b.locator("#posts script, #posts img").count() == 0
            assert page_b.locator("#posts a[href^='javascript']").count() == 0
            # Sent over the socket: the author's form is cleared without a page load.
            expect(page_a.locator("textarea[name=body]")).to_have_value("")
            expect(page_a.locator("#posts article.post")).to_have_count(1)
            page_b.wait_for_timeout(300)  # give a would-be alert a moment to fire
    except Exception:
        print("daphne:", daphne.output())
        raise
    assert dialogs == []
    assert thread.posts.get().body == PROBE


def test_page_reconnects_by_itself_and_resumes_what_it_missed(daphne):
    """The server goes away; meanwhile someone posts; the page reconnects with backoff and
    shows the missed post without a reload."""
    from playwright.sync_api import expect

    from forum.threads import services

    from .servers import start_daphne

    reader, _r = citizen("lectora")
    _w, writer = citizen("escritor")
    thread = public_thread(title="Hilo que sobrevive a un corte")
    older = services.post_create(thread=thread, author=writer, body="versión original")
    cookie = session_cookie(reader)
    url = f"{daphne.origin}/hilos/{thread.pk}/"
    with chromium() as browser:
        page = _open_live(browser, cookie, url)
        page.evaluate("window.__noReload = 1")
        daphne.stop()
        expect(page.locator("#thread[data-live='0']")).to_have_count(1, timeout=10000)

        # Written while the page is cut off (the ORM is sync-only inside Playwright's
        # loop: run it in a thread).
        def write() -> None:
            services.post_create(thread=thread, author=writer, body="escrito durante el corte")
            services.post_edit(post=older, actor=writer.user, body="versión corregida")

        _in_other_thread(write)
        restarted = start_daphne(port=daphne.port)
        try:
            expect(page.locator("#posts")).to_contain_text(
                "escrito durante el corte", timeout=20000
            )
            # The edit of a post the page already had is caught up too (changed_since).
            expect(page.locator(f"#post-{older.pk}")).to_contain_text("versión corregida")
            expect(page.locator(f"#post-{older.pk} .post-edited")).to_have_count(1)
            assert page.evaluate("window.__noReload") == 1
            expect(page.locator("#thread[data-live='1']")).to_have_count(1)
        finally:
            restarted.stop()


# The post is written by this process and must reach the daphne subprocess: only a shared
# channel layer (Redis) carries it; the in-memory one stays in this process.
@pytest.mark.redis
def test_live_post_has_the_report_link_and_the_sites_time_like_a_reloaded_one(daphne):
    """A post arriving (and re-arriving edited) over the socket looks like the server's: the
    «Reportar» link, and the time in the site's zone even in a browser set to another one."""

    from playwright.sync_api import expect

    from forum.threads import services

    reader, _r = citizen("lectora")
    _w, writer = citizen("escritor")
    thread = public_thread(title="Hilo con reportes en vivo")
    cookie = session_cookie(reader)
    url = f"{daphne.origin}/hilos/{thread.pk}/"

    with chromium() as browser:
        page = _open_live(browser, cookie, url, timezone_id="Asia/Tokyo")
        post = _in_other_thread(
            lambda: services.post_create(thread=thread, author=writer, body="Llegó en vivo")
        )
        live = page.locator(f"#post-{post.pk}")
        expect(live).to_contain_text("Llegó en vivo", timeout=10000)
        report = f"/moderacion/reportar/post/{post.pk}/"
        expect(live.locator(f".post-report[href='{report}']")).to_have_text("Reportar")
        live_time = live.locator("time").inner_text()
        _in_other_thread(lambda: services.post_edit(post=post, actor=writer.user, body="Corregido"))
        expect(live).to_contain_text("Corregido", timeout=10000)
        expect(live.locator(".post-report")).to_have_count(1)
        page.reload()
        served = page.locator(f"#post-{post.pk}")
        expect(served.locator(f".post-report[href='{report}']")).to_have_count(1)
        assert live_time == served.locator("time").inner_text()


# The post is written by this process and must reach the daphne subprocess: only a shared
# channel layer (Redis) carries it; the in-memory one stays in this process.
@pytest.mark.redis
def test_moderator_sees_restaurar_on_a_post_hidden_live_and_it_restores(daphne):
    """A post hidden while a moderator has the thread open gets «Restaurar» (the template's
    rule: moderators, hidden posts), and the live button restores it (CSRF token included)."""

    from playwright.sync_api import expect

    from forum.threads import services
    from tests import factories

    mod = factories.user("moderadora", is_staff=True, groups=[MODERATION])
    _w, writer = citizen("escritora")
    thread = public_thread(title="Hilo con moderación en vivo")
    post = services.post_create(thread=thread, author=writer, body="Compra aquí barato")
    cookie = session_cookie(mod)
    url = f"{daphne.origin}/hilos/{thread.pk}/"

    with chromium() as browser:
        page = _open_live(browser, cookie, url)
        live = page.locator(f"#post-{post.pk}")
        expect(live.locator("a", has_text="Ocultar")).to_have_count(1)
        _in_other_thread(lambda: services.post_hide(post=post, actor=mod, reason="Publicidad"))
        expect(live).to_contain_text("oculto por moderación: Publicidad", timeout=10000)
        expect(live).to_have_class(re.compile(r"\bpost-live\b"))
        restore = live.locator(
            f"form[action='/hilos/mensajes/{post.pk}/restaurar/'] button", has_text="Restaurar"
        )
        expect(restore).to_have_count(1)
        expect(live.locator("a", has_text="Ocultar")).to_have_count(0)
        restore.click()
        page.wait_for_load_state()
        expect(page.locator(f"#post-{post.pk}")).to_contain_text(
            "Compra aquí barato", timeout=10000
        )
        expect(page.locator(".messages")).to_contain_text("Mensaje restaurado.")
    post.refresh_from_db()
    assert post.hidden_at is None
