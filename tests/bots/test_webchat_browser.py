"""The web chat page in a real browser (Debian's Chromium through Playwright): it starts in the
site's language, and Enter sends while Shift+Enter adds a line (QA M4, m16)."""

from __future__ import annotations

import pytest

from forum.participation.models import Idea
from tests.browser import chromium
from tests.threads.servers import start_daphne

pytestmark = [
    pytest.mark.browser,
    pytest.mark.postgres,  # the browser talks to a daphne process that must see the test DB
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("regions_present"),
]


@pytest.fixture
def daphne():
    server = start_daphne()
    yield server
    server.stop()


def test_english_page_chats_in_english_and_enter_sends(daphne):
    from playwright.sync_api import expect

    try:
        with chromium() as browser:
            ctx = browser.new_context(locale="en-US", viewport={"width": 390, "height": 844})
            page = ctx.new_page()
            page.goto(f"{daphne.origin}/chat/")
            log = page.locator("#chat-log")
            buttons = page.locator("#chat-buttons button")
            # The page opens the conversation by itself, in the page's language.
            expect(log).to_contain_text("Law 21.719", timeout=15000)
            expect(log).not_to_contain_text("Ley 21.719")
            expect(buttons.first).to_have_text("I agree")
            buttons.first.click()
            expect(buttons.filter(has_text="English")).to_have_count(1, timeout=10000)
            buttons.filter(has_text="English").click()
            expect(buttons.filter(has_text="Ñuble")).to_have_count(1, timeout=10000)
            buttons.filter(has_text="Ñuble").click()
            expect(log).to_contain_text("All set", timeout=10000)
            expect(page.locator("#chat-keys")).to_be_visible()

            box = page.locator("#chat-text")
            box.click()
            box.type("Job fair for young people in Chillán")
            box.press("Shift+Enter")
            box.type("with local companies")
            expect(box).to_have_value("Job fair for young people in Chillán\nwith local companies")
            box.press("Enter")
            expect(box).to_have_value("")
            mine = page.locator(".chat-msg-me").last
            expect(mine).to_contain_text("with local companies", timeout=10000)
            expect(log).to_contain_text("Tracking code", timeout=10000)
    except Exception:
        print("daphne:", daphne.output())
        raise
    idea = Idea.objects.get()
    assert idea.title == "Job fair for young people in Chillán"
    assert idea.channel == "webchat"


def test_a_pasted_idea_refused_for_its_length_comes_back_to_the_box(daphne):
    from playwright.sync_api import expect

    long_idea = ("Más talleres de oficios en Chillán para jóvenes y mujeres. " * 150)[:6_000]
    try:
        with chromium() as browser:
            page = browser.new_context(locale="es-CL").new_page()
            page.goto(f"{daphne.origin}/chat/")
            log = page.locator("#chat-log")
            for label in ("Acepto", "Español", "Ñuble"):
                button = page.locator("#chat-buttons").get_by_role("button", name=label, exact=True)
                expect(button).to_have_count(1, timeout=15000)
                button.click()
            expect(log).to_contain_text("Listo", timeout=10000)

            box = page.locator("#chat-text")
            box.fill(long_idea)
            box.press("Enter")
            expect(log).to_contain_text("Tu idea tiene 6.000 caracteres", timeout=10000)
            # Sent over the socket (no page load), and given back whole to shorten.
            expect(box).to_have_value(long_idea.strip())
            box.fill("Más talleres de oficios en Chillán")
            box.press("Enter")
            expect(log).to_contain_text("Código de seguimiento", timeout=10000)
            expect(box).to_have_value("")
    except Exception:
        print("daphne:", daphne.output())
        raise
    assert Idea.objects.get().title == "Más talleres de oficios en Chillán"


def test_links_in_the_chat_are_clickable_and_markup_is_shown_as_text(daphne):
    from playwright.sync_api import expect

    idea = Idea.objects.create(
        title="Feria laboral en Chillán", tracking_code="FERA2345", channel="web"
    )
    try:
        with chromium() as browser:
            page = browser.new_context(locale="es-CL").new_page()
            page.goto(f"{daphne.origin}/chat/")
            log = page.locator("#chat-log")
            # The privacy notice's link is a link already.
            privacy = log.locator('a[href$="/privacidad/"]')
            expect(privacy).to_have_count(1, timeout=15000)
            expect(privacy).to_have_attribute("rel", "noopener noreferrer nofollow")
            for label in ("Acepto", "Español", "Ñuble"):
                button = page.locator("#chat-buttons").get_by_role("button", name=label, exact=True)
                expect(button).to_have_count(1, timeout=15000)
                button.click()
            expect(log).to_contain_text("Listo", timeout=10000)
            box = page.locator("#chat-text")
            box.fill(f"¿cómo va la idea {idea.formatted_code}?")
            box.press("Enter")
            link = log.locator(f'a[href$="/ideas/{idea.tracking_code}/"]')
            expect(link).to_have_count(1, timeout=10000)  # once, and clickable
            box.fill('<img src=x onerror="window.__pwned=1"> mira https://example.org/a).')
            box.press("Enter")
            expect(log).to_contain_text('<img src=x onerror="window.__pwned=1">', timeout=10000)
            expect(log.locator('a[href="https://example.org/a"]').first).to_be_visible()
            assert page.evaluate("window.__pwned") is None
    except Exception:
        print("daphne:", daphne.output())
        raise
