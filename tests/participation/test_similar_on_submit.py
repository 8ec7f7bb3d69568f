"""The web form suggests ideas that already say the same, as the bots do (issue 18, item 1):
«¿Es alguna de estas? Apoyarla / La mía es distinta», without JavaScript and as JSON for the
live suggestions."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings

from forum.moderation import index
from forum.participation.models import Idea, Support
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_index():
    # The duplicate index is process-wide: on PostgreSQL each test's rolled-back «existing»
    # idea leaves an entry under a new id, and enough of those crowd the real one out of the
    # matcher's top candidates.
    index.shared_index().reset()
    yield
    index.shared_index().reset()


NEW = "Fiscalizar la calidad de las OTEC en el Biobío"


@pytest.fixture
def existing():
    return factories.idea(
        title="Fiscalizar de verdad la calidad de las OTEC",
        body="Muchas OTEC cobran por cursos que no enseñan nada; SENCE debería revisarlas.",
    )


@pytest.fixture
def signed_in(client):
    user = factories.user()
    client.force_login(user)
    return user


def test_submitting_a_similar_idea_first_offers_the_existing_one(client, signed_in, existing):
    page = client.post("/ideas/nueva/", {"title": NEW, "body": ""})
    assert page.status_code == 200
    html = page.content.decode()
    assert "¿Es alguna de estas?" in html
    assert "Fiscalizar de verdad la calidad de las OTEC" in html
    assert f"/ideas/{existing.formatted_code}/apoyar/" in html
    assert "La mía es distinta" in html
    assert Idea.objects.count() == 1  # nothing sent yet
    # The text stays in the form.
    assert f'value="{NEW}"' in html


def test_la_mia_es_distinta_sends_it(client, signed_in, existing):
    response = client.post("/ideas/nueva/", {"title": NEW, "body": "", "distinct": "1"})
    assert response.status_code == 302
    assert Idea.objects.filter(title=NEW).exists()


def test_apoyarla_supports_the_existing_idea_instead(client, signed_in, existing):
    response = client.post(
        f"/ideas/{existing.formatted_code}/apoyar/",
        {"next": f"/ideas/{existing.formatted_code}/"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/ideas/{existing.formatted_code}/"
    assert Support.objects.filter(idea=existing, person__user=signed_in).exists()
    assert Idea.objects.count() == 1


def test_an_unrelated_idea_is_sent_at_once(client, signed_in, existing):
    response = client.post(
        "/ideas/nueva/", {"title": "Cursos de inglés para guías de turismo en Pucón"}
    )
    assert response.status_code == 302


def test_live_suggestions_endpoint(client, existing):
    data = client.get("/ideas/parecidas/", {"title": NEW}).json()
    assert [i["title"] for i in data["ideas"]] == ["Fiscalizar de verdad la calidad de las OTEC"]
    assert data["ideas"][0]["support_url"] == f"/ideas/{existing.formatted_code}/apoyar/"
    assert client.get("/ideas/parecidas/", {"title": "hola"}).json() == {"ideas": []}


def test_the_form_page_loads_the_live_suggestions_script(client, signed_in):
    html = client.get("/ideas/nueva/").content.decode()
    assert "participation/similar.js" in html
    assert 'id="similar-live" hidden' in html


@pytest.mark.browser
def test_typing_a_title_shows_similar_ideas_in_chromium(client, signed_in, existing):
    """The form in Chromium, its pages and endpoint answered by this Django (the test client)
    under the site's own Content-Security-Policy: typing the title lists the existing idea with
    an «Apoyarla» button that supports it."""
    from tests.browser import RECORD_VIOLATIONS, chromium

    # Django answers here, before the browser starts (its test client cannot run inside
    # Playwright's event loop): the form page and the endpoint's answer for the typed title.
    form_page = client.get("/ideas/nueva/")
    answers = {NEW: client.get("/ideas/parecidas/", {"title": NEW, "body": ""})}
    asked: list[str] = []

    def serve(route):
        url = urlsplit(route.request.url)
        if url.path.startswith("/static/"):
            path = Path(settings.BASE_DIR) / "forum" / "static" / url.path.removeprefix("/static/")
            if path.exists():
                route.fulfill(body=path.read_bytes(), content_type=_type(path.name))
                return
        elif url.path == "/ideas/nueva/":
            route.fulfill(headers=dict(form_page.items()), body=form_page.content)
            return
        elif url.path == "/ideas/parecidas/":
            title = parse_qs(url.query).get("title", [""])[0]
            asked.append(title)
            answer = answers.get(title)
            if answer is not None:
                route.fulfill(headers=dict(answer.items()), body=answer.content)
                return
            route.fulfill(content_type="application/json", body='{"ideas": []}')
            return
        route.fulfill(status=404, body="")

    with chromium() as browser:
        ctx = browser.new_context(viewport={"width": 390, "height": 844})
        ctx.add_init_script(RECORD_VIOLATIONS)
        page = ctx.new_page()
        page.route("http://testserver/**", serve)
        page.goto("http://testserver/ideas/nueva/")
        live = page.locator("#similar-live")
        assert live.is_hidden()
        page.locator("input[name=title]").press_sequentially(NEW, delay=5)
        link = live.locator("a", has_text="Fiscalizar de verdad la calidad de las OTEC")
        link.wait_for(timeout=10000)
        assert live.is_visible()
        button = live.get_by_role("button", name="Apoyarla")
        assert button.count() == 1
        assert button.get_attribute("formaction") == (
            f"/ideas/{existing.formatted_code}/apoyar/?next=%2Fideas%2F{existing.formatted_code}%2F"
        )
        assert page.evaluate("window.__violations") == []
    assert asked[-1] == NEW


def _type(name: str) -> str:
    return "text/javascript" if name.endswith(".js") else "text/css"


def test_the_very_same_text_marked_distinct_is_not_merged_but_grouped(client, signed_in, existing):
    """Issue 19: an identical text is merged on arrival, unless the person said «La mía es
    distinta» at the «¿Es alguna de estas?» step: then a moderator sees both, grouped."""
    from forum.moderation.models import GroupMember

    data = {"title": existing.title, "body": existing.body}
    page = client.post("/ideas/nueva/", data)
    assert "¿Es alguna de estas?" in page.content.decode()
    response = client.post("/ideas/nueva/", {**data, "distinct": "1"})
    assert response.status_code == 302
    mine = Idea.objects.exclude(pk=existing.pk).get(title=existing.title)
    assert mine.merged_into_id is None
    groups = set(
        GroupMember.objects.filter(idea__in=[mine, existing]).values_list("group", flat=True)
    )
    assert len(groups) == 1
