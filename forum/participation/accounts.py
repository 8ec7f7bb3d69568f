"""Accounts: the «¿Olvidaste tu contraseña?» flow."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _

# ---------------------------------------------------------------- password reset


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        help_text=_("El de tu cuenta. Te enviaremos un enlace para crear una contraseña nueva."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PasswordResetView(auth_views.PasswordResetView):
    """Same page afterwards whether the address has an account or not (Django's view already
    redirects either way); accounts without an address or without a usable password get no
    mail."""

    form_class = PasswordResetRequestForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: forms.Form) -> HttpResponse:
        # Links point at SITE_URL like every other e-mail, not at whatever Host the request had.
        timeout = settings.PASSWORD_RESET_TIMEOUT
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            # Whole hours when it is, else minutes (never promise more time than the link has).
            "valid_hours": timeout // 3600 if timeout % 3600 == 0 else 0,
            "valid_minutes": max(1, timeout // 60),
        }
        return super().form_valid(form)
