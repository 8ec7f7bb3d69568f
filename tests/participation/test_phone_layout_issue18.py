"""Issue 18 item 16, in Chromium: on a phone the signed-in menu takes at most two rows, an idea's
code and status are not jammed under the top bar, and the merge page's «Agregar otra idea por
código» input is big enough to type a code in."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

ROWS = """() => {
  // The items a person sees (a phone hides the ones the footer repeats).
  const items = [...document.querySelectorAll('.site-nav li')]
    .filter(li => li.getClientRects().length);
  return new Set(items.map(li => Math.round(li.getBoundingClientRect().top))).size;
}"""
GAP = """() => {
  const bar = document.querySelector('.site-header').getBoundingClientRect().bottom;
  const meta = document.querySelector('main .idea-meta').getBoundingClientRect().top;
  return meta - bar;
}"""


def _context(browser, live_server, cookie, width):
    host = live_server.url.split("//", 1)[1].split(":")[0]
    ctx = browser.new_context(locale="es-CL", viewport={"width": width, "height": 800})
    ctx.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
    return ctx


def test_phone_menu_rows_and_room_under_the_top_bar(live_server):
    from tests.browser import chromium

    user = moderator("moderadora")
    factories.person(user_obj=user)
    idea = factories.idea(title="Cursos de soldadura en Talcahuano")
    other = factories.idea(title="Soldadura para mujeres en Talcahuano")
    from tests.threads.servers import session_cookie

    cookie = session_cookie(user).split("=", 1)[1]  # before the browser's event loop
    idea_url = reverse("participation:idea_detail", args=[idea.formatted_code])
    merge_url = reverse("moderation:merge", args=[idea.pk]) + f"?candidate={other.pk}"
    with chromium() as browser:
        for width in (360, 375):
            ctx = _context(browser, live_server, cookie, width)
            page = ctx.new_page()
            page.goto(live_server.url + idea_url)
            assert page.evaluate(ROWS) <= 2, width
            assert page.evaluate(GAP) >= 16, width
            page.goto(live_server.url + merge_url)
            box = page.locator("input[name=code]").bounding_box()
            assert box is not None
            assert box["width"] >= 150, box
            assert box["height"] >= 40, box
            ctx.close()
