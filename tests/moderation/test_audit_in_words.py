"""Issue 18 item 12: the audit log reads in words in the reader's language (no Python dicts,
None/False or English keys), names ideas by their tracking code, and its date and author
columns are not crushed on a desktop."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from forum.moderation import services
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


def _audit_page(client, language="es") -> str:
    client.cookies["django_language"] = language
    return client.get(reverse("moderation:audit")).content.decode()


_towns = iter(["Lota", "Coronel", "Tomé", "Penco", "Arauco", "Cañete", "Lebu", "Curanilahue"])


def _merge_and_route(user):
    # A different town each time: the same text twice would be merged on arrival (issue 19).
    town = next(_towns)
    canonical = factories.idea(title=f"Más cursos de soldadura en {town}")
    dup = factories.idea(title=f"Cursos de soldadura en {town}")
    services.idea_merge(canonical=canonical, merged=[dup], actor=user, reason="Iguales")
    services.idea_route_cluster(
        idea=canonical,
        council=factories.council("biobio"),
        actor=user,
        answer_due=dt.date(2031, 3, 5),
    )
    return canonical, dup


def test_changes_are_told_in_words_and_ideas_by_their_code(client):
    user = moderator("moderadora")
    client.force_login(user)
    canonical, dup = _merge_and_route(user)
    html = _audit_page(client)
    assert f"Idea {canonical.formatted_code}" in html
    assert f"Idea #{canonical.pk}" not in html
    assert (
        f"<strong>Idea fusionada · {dup.formatted_code} · Estado</strong>: "
        '<span class="audit-old">Recibida</span> → '
        '<span class="audit-new">Fusionada con otra idea</span>' in html
    )
    assert (
        f"<strong>Idea fusionada · {dup.formatted_code} · Fusionada en</strong>: "
        '<span class="audit-old">—</span> → '
        f'<span class="audit-new">{canonical.formatted_code}</span>' in html
    )
    assert "Plazo de respuesta" in html
    assert "5 de marzo de 2031" in html
    assert factories.council("biobio").name in html
    assert "cre-biobio" not in html
    for python in ("None", "False", "True", "{'", "support_count", "merged_into", "answer_due"):
        assert python not in html, python


def test_in_english_for_an_english_reader(client):
    user = moderator("moderadora")
    client.force_login(user)
    _merge_and_route(user)
    html = _audit_page(client, "en")
    assert "<strong>Status</strong>" in html
    assert "Merged into" in html
    assert "Estado" not in html


def test_a_page_of_entries_costs_the_same_queries_however_many(
    client, django_assert_max_num_queries
):
    user = moderator("moderadora")
    client.force_login(user)
    _merge_and_route(user)
    with django_assert_max_num_queries(30) as few:
        _audit_page(client)
    for _ in range(3):
        _merge_and_route(user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        _audit_page(client)


@pytest.mark.browser
def test_date_and_author_columns_keep_one_line_on_a_desktop(live_server):
    from tests.browser import chromium
    from tests.threads.servers import session_cookie

    user = moderator("moderadora")
    _merge_and_route(user)
    cookie = session_cookie(user).split("=", 1)[1]
    host = live_server.url.split("//", 1)[1].split(":")[0]
    with chromium() as browser:
        ctx = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900})
        ctx.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page = ctx.new_page()
        page.goto(live_server.url + reverse("moderation:audit"))
        for selector in ("td.audit-when time", "td.audit-who", "td.audit-what a"):
            lines = page.evaluate(
                """(sel) => { const el = document.querySelector(sel);
                   const range = document.createRange(); range.selectNodeContents(el);
                   const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                   return tops.size; }""",
                selector,
            )
            assert lines == 1, selector
        ctx.close()


WORD_LINES = """() => [...document.querySelectorAll('.audit th, .audit .audit-action span')]
  .map(el => {
    const range = document.createRange(); range.selectNodeContents(el);
    const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
    return [el.textContent.trim(), lines, el.textContent.trim().split(/\\s+/).length];
  })"""


@pytest.mark.browser
def test_no_column_breaks_a_word_on_a_desktop(live_server):
    """The action column (and the headers) wrap between words at most: «Derivación a un
    consejo» never comes letter by letter down a crushed column."""
    from tests.browser import chromium
    from tests.threads.servers import session_cookie

    user = moderator("moderadora")
    _merge_and_route(user)
    cookie = session_cookie(user).split("=", 1)[1]
    host = live_server.url.split("//", 1)[1].split(":")[0]
    with chromium() as browser:
        ctx = browser.new_context(locale="es-CL", viewport={"width": 1280, "height": 900})
        ctx.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
        page = ctx.new_page()
        page.goto(live_server.url + reverse("moderation:audit"))
        cells = page.evaluate(WORD_LINES)
        assert any(text.startswith("Deriva") for text, _lines, _words in cells), cells
        for text, lines, words in cells:
            assert lines <= words, (text, lines)
        ctx.close()


def test_every_action_written_to_the_log_is_named_in_words(client):
    """Each ``action="…"`` the services write (the dialogues' and the convocation's too) reads
    as words on the audit page, never as its code («guiding_question_add»)."""
    import pathlib
    import re

    from forum.moderation.models import AuditEntry

    root = pathlib.Path(__file__).resolve().parents[2] / "forum"
    codes = {
        code
        for path in root.rglob("*.py")
        for code in re.findall(r'\baction="([a-z_.]+)"', path.read_text())
        if code not in ("store_true", "store_false", "append")
    }
    assert "guiding_question_add" in codes
    for code in codes:
        AuditEntry.objects.create(action=code, target_type="dialogues.dialogue", target_id="1")
    client.force_login(moderator("moderadora"))
    for language in ("es", "en"):
        html = _audit_page(client, language)
        shown = re.findall(r'<span title="([a-z_.]+)">([^<]*)</span>', html)
        assert {code for code, _label in shown} >= codes
        raw = [code for code, label in shown if label == code]
        assert not raw, (language, raw)
