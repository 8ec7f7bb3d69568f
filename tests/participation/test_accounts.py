"""Accounts as a person uses them: «¿Olvidaste tu contraseña?» by e-mail."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import urlparse

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db

OLD = "clave-vieja-123"
NEW = "otra-clave-larga-2025"


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
