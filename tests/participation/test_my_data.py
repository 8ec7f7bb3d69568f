"""«Mis datos»: a web account sees, downloads, corrects and erases what is stored about it
(Law 21.719), without asking anyone."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.moderation import services as moderation
from forum.participation import privacy, services
from forum.participation.models import Idea, Person, Support
from forum.threads import services as threads
from forum.threads.models import Follow, Post
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db

PASSWORD = "clave-segura-123"  # the factories' default
MY_DATA = reverse("participation:my_data")
DOWNLOAD = reverse("participation:my_data_download")
ERASE = reverse("participation:my_data_erase")


def _ana(client):
    """A logged-in participant with a recognisable name, an idea, a support, a thread post and a
    report: (user, person, her idea, the idea she supports, her post)."""
    user = factories.user("anaperez77", email="ana.perez@example.cl")
    person = factories.person(user_obj=user)
    Person.objects.filter(pk=person.pk).update(display_name="Ana Pérez Soto")
    person.refresh_from_db()
    other = factories.person(name="Bruno Díaz")
    own = factories.idea(author=person, title="Talleres de soldadura en Ñuble")
    theirs = factories.idea(author=other, title="Bolsa de empleo para jóvenes en Arica")
    services.support_add(idea=theirs, person=person)
    services.support_add(idea=own, person=other)
    thread = threads.thread_ensure_for_idea(idea=own)
    post = threads.post_create(thread=thread, author=person, body="Yo enseño soldadura los sábados")
    moderation.content_report(reporter=person, target=theirs, reason="Repite otra idea ya enviada")
    client.force_login(user)
    return user, person, own, theirs, post


def _someone_else():
    """Another web participant, with an idea and a post of her own."""
    user = factories.user("carla.rios", email="carla@example.cl")
    person = factories.person(user_obj=user)
    idea = factories.idea(author=person, title="Cursos de programación para mujeres en Aysén")
    thread = threads.thread_ensure_for_idea(idea=idea)
    threads.post_create(thread=thread, author=person, body="Mensaje privado de Carla en el hilo")
    return user, person


def _form_value(html: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html)
    return match.group(1) if match else None


# ---------------------------------------------------------------- access


@pytest.mark.parametrize("url", [MY_DATA, DOWNLOAD, ERASE])
def test_anonymous_visitors_are_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.post(ERASE, {"password": "x"})
    assert response["Location"].startswith(reverse("login"))


def test_page_shows_my_account_ideas_supports_posts_and_reports(client):
    _someone_else()
    _user, _person, own, theirs, _post = _ana(client)
    html = client.get(MY_DATA).content.decode()
    assert "anaperez77" in html
    assert "ana.perez@example.cl" in html
    assert own.title in html
    assert own.formatted_code in html
    assert theirs.title in html  # the idea she supports
    assert "Yo enseño soldadura los sábados" in html
    assert "Repite otra idea ya enviada" in html
    # Another person's data never shows.
    assert "carla" not in html.lower()
    assert "Cursos de programación para mujeres en Aysén" not in html
    assert "Mensaje privado de Carla" not in html
    assert "Bruno" not in html


def test_page_does_not_run_more_queries_with_more_rows(client):
    user, person, *_rest = _ana(client)
    with CaptureQueriesContext(connection) as few:
        assert client.get(MY_DATA).status_code == 200
    thread = threads.thread_ensure_for_idea(idea=factories.idea(author=person))
    for n in range(4):
        idea = factories.idea(author=person)
        services.support_add(idea=factories.idea(), person=person)
        post = threads.post_create(thread=thread, author=person, body=f"Mensaje {n}")
        threads.post_edit(post=post, actor=user, body=f"Mensaje {n}, corregido")
        moderation.content_report(reporter=person, target=idea, reason="Prueba")
    with CaptureQueriesContext(connection) as many:
        assert client.get(MY_DATA).status_code == 200
    assert len(many) == len(few)


def test_download_is_a_utf8_json_file_with_everything_of_mine_only(client):
    _someone_else()
    _user, _person, own, theirs, _post = _ana(client)
    response = client.get(DOWNLOAD)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode("utf-8")
    assert "Ñuble" in raw  # written as is, not \u00d1
    data = json.loads(raw)
    assert data["cuenta"]["usuario"] == "anaperez77"
    assert data["cuenta"]["correo"] == "ana.perez@example.cl"
    assert data["persona"]["nombre"] == "Ana Pérez Soto"
    assert data["persona"]["avisos_por_correo"] is True
    assert [i["codigo"] for i in data["ideas"]] == [own.formatted_code]
    assert [s["codigo"] for s in data["apoyos"]] == [theirs.formatted_code]
    assert [p["texto"] for p in data["mensajes_en_hilos"]] == ["Yo enseño soldadura los sábados"]
    assert [r["idea"] for r in data["reportes"]] == [theirs.formatted_code]
    assert "carla" not in raw.lower()


# ---------------------------------------------------------------- rectification


def _fields(**changes):
    data = {
        "display_name": "Ana P.",
        "email": "ana.perez@example.cl",
        "region": factories.region("nuble").pk,
        "language": "en",
        "email_notifications": "",  # unchecked
    }
    data.update(changes)
    return data


def test_rectified_name_email_region_language_and_notices_are_saved(client):
    user, person, *_rest = _ana(client)
    response = client.post(MY_DATA, _fields(email="Ana.Nueva@Example.CL"), follow=True)
    assert "Guardamos los cambios en tus datos." in response.content.decode()
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.display_name == "Ana P."
    assert person.email == user.email == "ana.nueva@example.cl"
    assert person.region == factories.region("nuble")
    assert person.language == "en"
    assert person.email_notifications is False


def test_an_email_another_account_uses_is_refused_and_nothing_typed_is_lost(client):
    factories.user("otra", email="otra@example.cl")
    user, person, *_rest = _ana(client)
    response = client.post(MY_DATA, _fields(email="OTRA@example.cl", display_name="Ana Nueva"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ya existe otra cuenta con este correo. Escribe otro." in html
    assert _form_value(html, "display_name") == "Ana Nueva"
    assert _form_value(html, "email") == "OTRA@example.cl"
    person.refresh_from_db()
    user.refresh_from_db()
    assert person.display_name == "Ana Pérez Soto"
    assert user.email == "ana.perez@example.cl"
    assert person.language == "es"


def test_my_own_email_in_other_case_is_not_taken(client):
    user, *_rest = _ana(client)
    response = client.post(MY_DATA, _fields(email="ANA.PEREZ@example.cl"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "ana.perez@example.cl"


# ---------------------------------------------------------------- erasure


def test_erase_page_says_what_happens_and_asks_for_the_password(client):
    _user, person, *_rest = _ana(client)
    html = client.get(ERASE).content.decode()
    assert "Tus ideas y tus apoyos se mantienen" in html
    assert f"Participante #{person.pk}" in html
    assert 'type="password"' in html


def test_a_wrong_password_erases_nothing(client):
    user, person, _own, *_rest = _ana(client)
    response = client.post(ERASE, {"password": "no-es-mi-clave"})
    assert response.status_code == 200
    assert "La contraseña no es correcta. No borramos nada." in response.content.decode()
    user.refresh_from_db()
    person.refresh_from_db()
    assert user.is_active
    assert user.username == "anaperez77"
    assert user.check_password(PASSWORD)
    assert person.erased_at is None
    assert person.display_name == "Ana Pérez Soto"
    assert client.get(MY_DATA).status_code == 200  # still logged in


def test_erasure_logs_out_closes_the_account_and_removes_the_name_everywhere(client):
    user, person, own, theirs, post = _ana(client)
    thread_url = reverse("threads:detail", args=[post.thread_id])
    assert "Ana Pérez Soto" in client.get(thread_url).content.decode()
    counts = {i.pk: i.support_count for i in Idea.objects.all()}
    supports = Support.objects.count()

    response = client.post(ERASE, {"password": PASSWORD}, follow=True)
    assert "Borramos tus datos" in response.content.decode()
    # Logged out, and the account is closed for good.
    assert client.get(MY_DATA).status_code == 302
    assert not client.login(username="anaperez77", password=PASSWORD)
    login = client.post(reverse("login"), {"username": "anaperez77", "password": PASSWORD})
    assert login.status_code == 200  # the form again, with its error
    user.refresh_from_db()
    assert user.username.startswith("borrada-")
    assert "ana" not in user.username
    assert user.email == ""
    assert not user.is_active
    assert not user.has_usable_password()
    person.refresh_from_db()
    assert person.erased_at is not None
    assert person.display_name == ""
    assert person.email == ""
    assert not Follow.objects.filter(person=person).exists()
    # Ideas, supports and posts stay, counted as before.
    assert {i.pk: i.support_count for i in Idea.objects.all()} == counts
    assert Support.objects.count() == supports
    assert Post.objects.filter(pk=post.pk, author=person).exists()

    mod = moderator("moderadora")
    client.force_login(mod)
    pages = [
        reverse("participation:idea_detail", args=[own.formatted_code]),
        thread_url,
        reverse("moderation:idea", args=[own.pk]),
        reverse("moderation:reports"),
        f"/api/ideas/{own.formatted_code}",
        f"/api/ideas/{theirs.formatted_code}",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        for trace in ("Ana Pérez", "anaperez77", "ana.perez@"):
            assert trace not in text, (url, trace)
    assert f"Participante #{person.pk}" in client.get(thread_url).content.decode()


def test_the_confirmation_is_not_shown_to_anyone_else(client):
    response = client.get(reverse("participation:my_data_erased"))
    assert response.status_code == 302


def test_a_moderator_cannot_erase_their_account_here(client):
    mod = moderator("moderadora")
    client.force_login(mod)
    html = client.get(ERASE).content.decode()
    assert "un administrador atenderá tu solicitud" in html
    assert 'type="password"' not in html
    response = client.post(ERASE, {"password": PASSWORD})
    assert response.status_code == 403
    mod.refresh_from_db()
    assert mod.is_active
    assert mod.username == "moderadora"


def test_a_former_moderator_named_in_the_audit_log_cannot_either(client):
    user, _person, own, *_rest = _ana(client)
    services.idea_set_status(idea=own, to_status="in_review", actor=user)
    response = client.post(ERASE, {"password": PASSWORD})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.is_active
    assert user.username == "anaperez77"


def test_a_plain_participant_is_not_refused():
    user = factories.user()
    assert privacy.account_erase_refusal(user=user) is None
    services.account_erase(user=user)
    assert not get_user_model().objects.get(pk=user.pk).is_active


# ---------------------------------------------------------------- language


def test_pages_in_english(client):
    _ana(client)
    client.cookies["django_language"] = "en"
    html = client.get(MY_DATA).content.decode()
    assert "My data" in html
    assert "Download my data (JSON)" in html
    assert "Ideas you wrote" in html
    html = client.get(ERASE).content.decode()
    assert "Your ideas and supports stay" in html
    factories.user("otra", email="otra@example.cl")
    response = client.post(MY_DATA, _fields(email="otra@example.cl"))
    assert "Another account already uses this e-mail." in response.content.decode()
    response = client.post(ERASE, {"password": "wrong"})
    assert "The password is not correct. Nothing was erased." in response.content.decode()


def test_reachable_from_my_ideas_and_the_privacy_page(client):
    _ana(client)
    for page in (reverse("participation:my_ideas"), reverse("participation:privacy")):
        assert f'href="{MY_DATA}"' in client.get(page).content.decode(), page


# ---------------------------------------------------------------- on a phone


@pytest.mark.browser
@pytest.mark.slow
def test_the_pages_fit_a_phone_in_both_languages_under_the_security_policy(live_server):
    """At 375 px nothing runs off the side (no sideways scrolling), and the site's
    Content-Security-Policy reports no violation."""
    from tests.browser import RECORD_VIOLATIONS, chromium
    from tests.threads.servers import session_cookie

    user, person, *_rest = _ana(Client())
    Person.objects.filter(pk=person.pk).update(
        display_name="Ana María de los Ángeles Pérez Soto de la Fuente y Valenzuela"
    )
    threads.post_create(
        thread=threads.thread_ensure_for_idea(idea=factories.idea(author=person)),
        author=person,
        body="https://example.cl/" + "un-enlace-muy-largo-sin-espacios-" * 6,
    )
    cookie = session_cookie(user).split("=", 1)[1]
    host = live_server.url.split("//", 1)[1].split(":")[0]
    with chromium() as browser:
        for language in ("es-CL", "en"):
            ctx = browser.new_context(locale=language, viewport={"width": 375, "height": 740})
            ctx.add_cookies([{"name": "sessionid", "value": cookie, "domain": host, "path": "/"}])
            ctx.add_init_script(RECORD_VIOLATIONS)
            page = ctx.new_page()
            for path in (MY_DATA, ERASE):
                page.goto(live_server.url + path)
                page.wait_for_load_state("networkidle")
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (language, path, width)
                assert page.evaluate("window.__violations") == [], (language, path)
                assert page.locator("main form button[type=submit]").first.is_visible()
            ctx.close()
