"""The live character counter speaks the page's language: every page that loads charcount.js also
loads Django's JavaScript catalog, where the counter's words come from. Without it an English
moderator reads «0 de 300 caracteres» under an English form."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from forum.moderation import index
from forum.moderation import services as moderation
from forum.participation.models import Membership
from forum.threads import services as threads
from tests import factories
from tests.moderation.moderation_helpers import moderator, secretary
from tests.threads.helpers import citizen, member, public_thread

pytestmark = pytest.mark.django_db

CATALOG = '<script src="/jsi18n/"></script>'
COUNTER = re.compile(r'<script src="[^"]*participation/charcount[^"]*\.js"')
SHARED = "includes/charcount_scripts.html"


@pytest.fixture(autouse=True)
def _fresh_index():
    # The duplicate index is process-wide; ids are reused between tests on SQLite.
    index.shared_index().reset()
    yield
    index.shared_index().reset()


@pytest.fixture
def english(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _reported_idea():
    idea = factories.idea(title="Contenido dudoso")
    moderation.content_report(reporter=factories.person(), target=idea, reason="spam")
    return idea


def _routed(client):
    council = factories.council("biobio")
    idea = factories.idea(title="Derivada al Biobío")
    moderation.idea_route_cluster(idea=idea, council=council, actor=moderator("moderadora"))
    client.force_login(secretary(council, "secretaria"))
    return council, idea


def _moderation_reports(client):
    _reported_idea()
    client.force_login(moderator())
    return client.get(reverse("moderation:reports"))


def _moderation_idea(client):
    client.force_login(moderator())
    return client.get(reverse("moderation:idea", args=[factories.idea().pk]))


def _moderation_merge(client):
    idea = factories.idea(title="Cursos de grúa horquilla en Coronel")
    factories.idea(title="Más cursos de grúa horquilla en Coronel")
    client.force_login(moderator())
    return client.get(reverse("moderation:merge", args=[idea.pk]))


def _moderation_route(client):
    factories.council("biobio")
    client.force_login(moderator())
    return client.get(reverse("moderation:route", args=[factories.idea().pk]))


def _moderation_visibility_form(client):
    # The page a hide reason that is too long comes back on, with the text to shorten.
    idea = _reported_idea()
    client.force_login(moderator())
    return client.post(reverse("moderation:hide", args=["idea", idea.pk]), {"reason": "x" * 301})


def _moderation_report_form(client):
    user, _person = citizen()
    client.force_login(user)
    return client.get(reverse("moderation:report", args=["idea", factories.idea().pk]))


def _moderation_answer(client):
    council, idea = _routed(client)
    return client.get(reverse("moderation:answer", args=[council.slug, idea.pk]))


def _thread_detail(client):
    user, _person = citizen()
    client.force_login(user)
    return client.get(reverse("threads:detail", args=[public_thread().pk]))


def _own_post(client):
    user, person = citizen()
    client.force_login(user)
    return threads.post_create(thread=public_thread(), author=person, body="Mi mensaje")


def _thread_post_edit(client):
    return client.get(reverse("threads:post_edit", args=[_own_post(client).pk]))


def _thread_post_hide(client):
    post = _own_post(client)
    # Moderators hide posts (one can_moderate: the moderation permission, not is_staff).
    client.force_login(moderator())
    return client.get(reverse("threads:post_hide", args=[post.pk]))


def _thread_open(client):
    user, _person = member(factories.council("biobio"), role=Membership.Role.SECRETARY)
    client.force_login(user)
    return client.get(reverse("threads:open"))


def _idea_submit(client):
    user, _person = citizen()
    client.force_login(user)
    return client.get(reverse("participation:idea_submit"))


def _idea_status(client):
    client.force_login(factories.user(is_staff=True, is_superuser=True))
    return client.get(reverse("participation:idea_status", args=[factories.idea().formatted_code]))


PAGES = [
    _moderation_reports,
    _moderation_idea,
    _moderation_merge,
    _moderation_route,
    _moderation_visibility_form,
    _moderation_report_form,
    _moderation_answer,
    _thread_detail,
    _thread_post_edit,
    _thread_post_hide,
    _thread_open,
    _idea_submit,
    _idea_status,
]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.__name__.lstrip("_"))
def test_every_page_with_the_counter_loads_its_words_first(english, page):
    response = page(english)
    assert response.status_code in (200, 400), response.status_code
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "data-maxlength=" in html  # a field for the counter to count
    counter = COUNTER.search(html)
    assert counter, "this page no longer loads charcount.js: drop it from PAGES"
    # The catalog is a plain script, run before the deferred counter reads window.ngettext.
    assert CATALOG in html[: counter.start()]


def test_the_counter_is_loaded_only_through_the_shared_snippet():
    """A new page that loads charcount.js on its own would forget the catalog again."""
    root = Path(settings.BASE_DIR) / "forum"
    loaders = sorted(
        str(path.relative_to(root))
        for path in root.glob("**/templates/**/*.html")
        if "charcount.js" in path.read_text(encoding="utf-8")
    )
    assert loaders == [f"templates/{SHARED}"]


@pytest.mark.browser
def test_an_english_moderator_reads_the_counter_in_english(english):
    """The reports page as Chromium loads it (its scripts fetched from this test's Django): the
    hide reason's counter is in English."""
    from playwright.sync_api import expect

    from tests.browser import chromium

    html = _moderation_reports(english).content.decode()
    # Fetched before Playwright starts its event loop (the ORM is sync-only); the page gets them
    # by the URLs it asks for, so a page without the catalog script gets no catalog.
    files = {reverse("javascript-catalog"): english.get(reverse("javascript-catalog")).content}
    for src in re.findall(r'<script src="(/static/[^"]+)"', html):
        found = finders.find(src.removeprefix("/static/"))
        assert found is not None, src
        files[src] = Path(found).read_bytes()

    def serve(route):
        path = "/" + route.request.url.split("://", 1)[1].split("/", 1)[1]
        if path in files:
            route.fulfill(status=200, content_type="text/javascript", body=files[path])
        elif path == "/moderacion/reportes/":
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=html)
        else:
            route.fulfill(status=404, body="")

    with chromium() as browser:
        page = browser.new_page()
        page.route("**/*", serve)
        page.goto("http://testserver/moderacion/reportes/")
        counter = page.locator("#reason-1_counter")
        expect(counter).to_have_text("0 of 300 characters")
        page.fill("#reason-1", "x" * 302)
        expect(counter).to_have_text("2 characters too many: shorten the text before sending it.")
