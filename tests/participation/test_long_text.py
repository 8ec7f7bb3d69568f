"""A long pasted text is never cut without a word: no browser maxlength on the participant's long
text fields (the server refuses over-long text with a clear message and keeps it in the form),
and a live counter, added by a script, shows how far over the limit the text is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from forum.threads.services import POST_MAX_LENGTH
from tests import factories

pytestmark = pytest.mark.django_db

CHARCOUNT_JS = Path(settings.BASE_DIR) / "forum" / "static" / "participation" / "charcount.js"
LONG = ("Capacitación en oficios digitales para jóvenes de Lota. " * 200)[:10_000] + " FIN-QA."


def _login(client):
    user = factories.user()
    factories.person(user_obj=user)
    client.force_login(user)
    return user


def _tag(html: str, name: str) -> str:
    match = re.search(rf'<(?:textarea|input)[^>]*name="{name}"[^>]*>', html)
    assert match, name
    return match.group(0)


def test_idea_form_fields_do_not_cut_a_paste_and_carry_the_counter(client):
    _login(client)
    html = client.get(reverse("participation:idea_submit")).content.decode()
    limits = {"title": settings.IDEA_TITLE_MAX_LENGTH, "body": settings.IDEA_MAX_LENGTH}
    for name, limit in limits.items():
        tag = _tag(html, name)
        assert " maxlength=" not in tag
        assert f'data-maxlength="{limit}"' in tag
    assert "participation/charcount.js" in html


def test_idea_with_an_over_long_title_keeps_everything_in_the_form(client):
    _login(client)
    title = "Más cupos de capacitación en oficios " * 8  # 296 characters
    response = client.post(reverse("participation:idea_submit"), {"title": title, "body": LONG})
    assert response.status_code == 200
    assert Idea.objects.count() == 0
    html = response.content.decode()
    assert "FIN-QA." in html  # the whole text is back in the textarea


def test_thread_post_forms_carry_the_counter_without_maxlength(client):
    from forum.threads.forms import EditForm, PostForm

    for form in (PostForm(), EditForm()):
        tag = str(form["body"])
        assert " maxlength=" not in tag
        assert f'data-maxlength="{POST_MAX_LENGTH}"' in tag


def test_status_form_refuses_an_over_long_message_and_keeps_it(client, admin_user):
    idea = factories.idea()
    client.force_login(admin_user)
    url = reverse("participation:idea_status", args=[idea.formatted_code])
    html = client.get(url).content.decode()
    assert " maxlength=" not in _tag(html, "public_message")
    response = client.post(
        url, {"to_status": IdeaStatus.IN_REVIEW, "public_message": "Revisión. " * 450}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "El mensaje tiene 4499 caracteres; el máximo es 4000" in html
    assert "Revisión. Revisión." in html
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED


@pytest.mark.browser
def test_pasted_long_idea_is_kept_whole_and_the_counter_says_how_much_is_over(client):
    """The idea form's HTML in Chromium with the counter script: a 10,000-character paste stays
    whole and the counter reads over the limit; trimming it turns the counter back."""
    from tests.browser import chromium

    _login(client)
    html = client.get(reverse("participation:idea_submit")).content.decode()
    html = re.sub(r"<script[^>]*></script>", "", html)  # no server here: scripts added below
    with chromium() as browser:
        page = browser.new_page()
        page.set_content(html)
        page.add_script_tag(path=str(CHARCOUNT_JS))
        page.focus("textarea[name=body]")
        page.keyboard.insert_text(LONG)  # what a paste does: maxlength would apply here
        value = page.input_value("textarea[name=body]")
        assert value.endswith("FIN-QA.")
        counter = page.locator("#id_body_counter")
        over = len(LONG) - settings.IDEA_MAX_LENGTH
        assert counter.text_content() == (
            f"Sobran {over} caracteres: acorta el texto antes de enviarlo."
        )
        assert "is-over" in (counter.get_attribute("class") or "")
        assert page.get_attribute("textarea[name=body]", "aria-invalid") == "true"
        page.fill("textarea[name=body]", "Cursos 😀")
        assert counter.text_content() == f"8 de {settings.IDEA_MAX_LENGTH} caracteres"
        assert "is-over" not in (counter.get_attribute("class") or "")


def test_idea_submitted_in_full_when_within_the_limit(client):
    # The counter changes nothing on the server side: a text at the limit is stored whole.
    user = _login(client)
    body = ("x" * (settings.IDEA_MAX_LENGTH - 4)) + " FIN"
    client.post(reverse("participation:idea_submit"), {"title": "Al límite", "body": body})
    idea = Idea.objects.get()
    assert idea.body == body
    assert idea.author == services.person_for_user(user=user)


def test_idea_form_help_text_follows_the_page_language(client):
    _login(client)
    url = reverse("participation:idea_submit")
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"Tell us what you propose and why. Up to {settings.IDEA_MAX_LENGTH}" in english
    assert "Cuéntanos qué propones" not in english
    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert f"Cuéntanos qué propones y por qué. Máximo {settings.IDEA_MAX_LENGTH}" in spanish
