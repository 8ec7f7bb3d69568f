"""Accounts as a person uses them: «¿Olvidaste tu contraseña?» by e-mail, and a login page that
stops answering password guesses (the site's and the admin's)."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from forum.participation.accounts import LoginThrottle
from tests import factories

pytestmark = pytest.mark.django_db

OLD = "clave-vieja-123"
NEW = "otra-clave-larga-2025"
LOCKED = "Demasiados intentos fallidos de entrar"


def _text(response) -> str:
    return response.content.decode()


def _reset_link(message) -> str:
    match = re.search(r"https?://\S+/cuenta/clave/nueva/\S+/", message.body)
    assert match, message.body
    return urlparse(match.group(0)).path


def _login(client, username: str, password: str, **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# ---------------------------------------------------------------- password reset


def test_forgotten_password_is_replaced_through_a_link_sent_by_mail(client):
    factories.user("ana", email="ana@example.cl", password=OLD)

    login_page = _text(client.get(reverse("login")))
    assert "¿Olvidaste tu contraseña?" in login_page
    assert f'href="{reverse("password_reset")}"' in login_page

    form = client.get(reverse("password_reset"))
    assert "Recuperar tu contraseña" in _text(form)
    sent = client.post(reverse("password_reset"), {"email": "Ana@Example.cl"}, follow=True)
    assert "Si ese correo corresponde a una cuenta" in _text(sent)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["ana@example.cl"]
    assert message.subject == "Crea una contraseña nueva para Foro Abierto"
    assert "abre este enlace" in message.body
    assert "Tu nombre de usuario es: ana" in message.body
    assert "sirve una sola vez y vence en 24 horas" in message.body
    link = _reset_link(message)

    # The link leads to a form (the token leaves the address bar, as Django does it).
    opened = client.get(link, follow=True)
    assert "Crea una contraseña nueva" in _text(opened)
    form_url = opened.redirect_chain[-1][0]

    # Django's password rules, in Spanish.
    weak = client.post(form_url, {"new_password1": "corta", "new_password2": "corta"})
    assert "La contraseña es demasiado corta" in _text(weak)

    done = client.post(form_url, {"new_password1": NEW, "new_password2": NEW}, follow=True)
    assert "Contraseña nueva guardada" in _text(done)

    refused = _login(client, "ana", OLD)
    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    assert _login(client, "ana", NEW).status_code == 302
    assert client.session["_auth_user_id"]
    client.post(reverse("logout"))

    # Once used, the link is dead.
    again = client.get(link, follow=True)
    assert "Este enlace ya no sirve" in _text(again)
    assert "new_password1" not in _text(again)


def test_the_link_expires(client, settings, monkeypatch):
    settings.PASSWORD_RESET_TIMEOUT = 30 * 60
    factories.user("ana", email="ana@example.cl")
    client.post(reverse("password_reset"), {"email": "ana@example.cl"})
    message = mail.outbox[0]
    assert "vence en 30 minutos" in message.body

    later = PasswordResetTokenGenerator()._now() + timedelta(minutes=31)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    assert "Este enlace ya no sirve" in _text(client.get(_reset_link(message), follow=True))


def test_unknown_address_gets_the_same_answer_and_no_mail(client):
    factories.user("ana", email="ana@example.cl")

    known = client.post(reverse("password_reset"), {"email": "ana@example.cl"})
    unknown = client.post(reverse("password_reset"), {"email": "nadie@example.cl"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("password_reset_done")
    assert [m.to for m in mail.outbox] == [["ana@example.cl"]]


def test_accounts_without_address_or_password_get_no_mail_and_nothing_breaks(client):
    User = get_user_model()
    User.objects.create_user(username="sin-correo", email="", password=None)
    no_password = factories.user("sin-clave", email="sin-clave@example.cl")
    no_password.set_unusable_password()
    no_password.save()

    blank = client.post(reverse("password_reset"), {"email": ""})
    assert blank.status_code == 200
    assert "Este campo es obligatorio" in _text(blank)
    for email in ("sin-clave@example.cl", "otra@example.cl"):
        response = client.post(reverse("password_reset"), {"email": email})
        assert response["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_mail_is_in_english_when_the_page_is(client):
    factories.user("anne", email="anne@example.cl")

    page = client.post(
        reverse("password_reset"),
        {"email": "anne@example.cl"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert "Check your e-mail" in _text(page)
    message = mail.outbox[0]
    assert message.subject == "Set a new password for Foro Abierto"
    assert "open this link" in message.body
    assert "Your username is: anne" in message.body
    assert "Crea" not in message.body


def test_reset_link_points_at_the_public_site_address(client, settings):
    settings.SITE_URL = "https://foro.example.cl/"
    factories.user("ana", email="ana@example.cl")

    client.post(reverse("password_reset"), {"email": "ana@example.cl"}, HTTP_HOST="localhost")

    assert "https://foro.example.cl/cuenta/clave/nueva/" in mail.outbox[0].body


# ---------------------------------------------------------------- login throttling


def test_sixth_wrong_password_is_refused_even_when_right(client):
    factories.user("ana", password=OLD)
    for _ in range(5):
        response = _login(client, "ana", "no-es-esta")
        assert LOCKED not in _text(response)

    refused = _login(client, "ANA", OLD)

    assert refused.status_code == 200
    assert "_auth_user_id" not in client.session
    page = _text(refused)
    assert LOCKED in page
    assert "Espera 15 minutos" in page
    assert "¿Olvidaste tu contraseña?" in page


def test_lockout_says_the_same_for_a_username_that_does_not_exist(client):
    factories.user("ana", password=OLD)
    for username in ("ana", "nadie"):
        for _ in range(5):
            _login(client, username, "no-es-esta", REMOTE_ADDR=f"10.0.0.{len(username)}")

    known = _text(_login(client, "ana", OLD, REMOTE_ADDR="10.0.0.3"))
    unknown = _text(_login(client, "nadie", OLD, REMOTE_ADDR="10.0.0.5"))

    def error(page: str) -> str:
        match = re.search(r'<div role="alert">(.*?)</div>', page, re.S)
        assert match, page
        return match.group(1)

    assert LOCKED in error(known)
    assert error(known) == error(unknown)


def test_another_username_from_another_address_is_unaffected(client):
    factories.user("ana", password=OLD)
    factories.user("berta", password=OLD)
    for _ in range(6):
        _login(client, "ana", "no-es-esta", REMOTE_ADDR="10.0.0.1")

    assert _login(client, "berta", OLD, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_a_right_password_before_the_limit_starts_the_count_again(client):
    factories.user("ana", password=OLD)
    for _ in range(4):
        _login(client, "ana", "no-es-esta")
    assert _login(client, "ana", OLD).status_code == 302
    client.post(reverse("logout"))

    for _ in range(4):
        assert LOCKED not in _text(_login(client, "ana", "no-es-esta"))
    assert _login(client, "ana", OLD).status_code == 302


def test_one_address_guessing_many_usernames_is_stopped(client):
    factories.user("ana", password=OLD)
    for n in range(20):
        _login(client, f"persona{n}", "no-es-esta", REMOTE_ADDR="10.0.0.9")

    assert LOCKED in _text(_login(client, "ana", OLD, REMOTE_ADDR="10.0.0.9"))
    assert _login(client, "ana", OLD, REMOTE_ADDR="10.0.0.10").status_code == 302


def test_forwarded_for_is_believed_only_behind_a_trusted_proxy(client, settings):
    factories.user("ana", password=OLD)
    # No proxy: a client that makes up a new X-Forwarded-For on every try is still one address.
    for n in range(20):
        _login(
            client, f"persona{n}", "x", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}"
        )
    assert LOCKED in _text(_login(client, "ana", OLD, REMOTE_ADDR="10.0.0.9"))

    # Behind one proxy: the address it appended is the client's; what the client sent is not.
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        _login(
            client,
            f"otra{n}",
            "x",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"9.9.9.{n}, 200.1.1.1",
        )
    assert LOCKED in _text(
        _login(client, "ana", OLD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="200.1.1.1")
    )
    response = _login(client, "ana", OLD, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="200.1.1.2")
    assert response.status_code == 302


def test_a_new_password_from_the_mail_lets_a_locked_out_person_in(client):
    factories.user("ana", email="ana@example.cl", password=OLD)
    for _ in range(5):
        _login(client, "ana", "no-es-esta", REMOTE_ADDR="10.0.0.1")
    assert LOCKED in _text(_login(client, "ana", OLD, REMOTE_ADDR="10.0.0.2"))

    client.post(reverse("password_reset"), {"email": "ana@example.cl"})
    form_url = client.get(_reset_link(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})

    assert _login(client, "ana", NEW, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_admin_login_is_throttled_too(client):
    factories.user("secretaria", password=OLD, is_staff=True, is_superuser=True)
    admin_login = reverse("admin:login")
    for _ in range(5):
        client.post(admin_login, {"username": "secretaria", "password": "no-es-esta"})

    refused = client.post(admin_login, {"username": "secretaria", "password": OLD})

    assert refused.status_code == 200
    assert LOCKED in _text(refused)
    assert "_auth_user_id" not in client.session
    # Its page links to the same password reset.
    assert reverse("password_reset") in _text(client.get(admin_login))


def test_admin_and_site_share_the_count(client):
    factories.user("secretaria", password=OLD, is_staff=True)
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "secretaria", "password": "no-es-esta"})

    assert LOCKED in _text(_login(client, "secretaria", OLD))


@pytest.mark.redis
def test_counts_are_shared_by_processes_through_redis():
    """Two cache clients, as two daphne processes have: failures counted through one lock the
    username for the other, and clearing through one clears it for both."""
    from django.core.cache.backends.redis import RedisCache

    one, two = caches.create_connection("default"), caches.create_connection("default")
    assert isinstance(one, RedisCache)
    assert isinstance(two, RedisCache)
    username = f"compartida-{uuid.uuid4().hex}"
    address = f"fd00::{uuid.uuid4().hex[:4]}"

    for _ in range(5):
        LoginThrottle(one).record_failure(username=username, address=address)

    assert LoginThrottle(two).wait_seconds(username=username.upper(), address=None) > 850
    LoginThrottle(two).clear_username(username)
    assert LoginThrottle(one).wait_seconds(username=username, address=None) == 0


def test_reset_mails_to_one_address_are_limited(client, settings):
    """The form cannot be used to fill someone's inbox: past the limit the page says the same
    and nothing more is sent; a mail already sent still works, and other addresses are not
    affected."""
    settings.PASSWORD_RESET_MAILS_PER_ADDRESS = 3
    factories.user("ana", email="ana@example.cl", password=OLD)
    factories.user("beto", email="beto@example.cl", password=OLD)
    for _ in range(5):
        page = client.post(reverse("password_reset"), {"email": "ANA@example.cl"}, follow=True)
        assert "Si ese correo corresponde a una cuenta" in _text(page)
    assert [m.to for m in mail.outbox] == [["ana@example.cl"]] * 3

    client.post(reverse("password_reset"), {"email": "beto@example.cl"})
    assert mail.outbox[-1].to == ["beto@example.cl"]

    opened = client.get(_reset_link(mail.outbox[0]), follow=True)
    form_url = opened.redirect_chain[-1][0]
    client.post(form_url, {"new_password1": NEW, "new_password2": NEW})
    assert _login(client, "ana", NEW).status_code == 302
