"""Accounts: login throttling and the "¿Olvidaste tu contraseña?" flow.

Throttling lives in the login *forms* (the site's and the admin's), not in a signal or a
backend: the form is where the attempt is refused with a message, before any password is
checked. Failures are counted in Django's cache, which is Redis when ``REDIS_URL`` is set, so
every daphne process sees the same counts.

A count starts with the first failure and lasts ``LOGIN_FAILURE_WINDOW_SECONDS``; once it
reaches its limit (``LOGIN_FAILURES_PER_USERNAME`` for one username, any case;
``LOGIN_FAILURES_PER_ADDRESS`` for one client address) every attempt is refused, right
password or not, until the window ends. A successful login, or a password set through the
reset link, clears that username's count (not the address's: one valid account must not let an
address keep guessing others).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import BaseCache
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.mail import send_mail
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from forum.core.ratelimit import CacheWindow

# ---------------------------------------------------------------- client address


def client_address(request: HttpRequest | None) -> str | None:
    """The address a request came from.

    ``REMOTE_ADDR`` unless ``TRUSTED_PROXY_COUNT`` says that many reverse proxies stand in front
    of daphne; then the X-Forwarded-For entry the outermost trusted proxy wrote (that many
    from the right). Entries further left were sent by the client and could say anything.
    """
    if request is None:
        return None
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [h for h in hops if h]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR") or None


def address_key(address: str) -> str:
    """IPv4 as it is; IPv6 by its /64 network, since one home or server gets a whole /64."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return hashlib.sha256(address.encode()).hexdigest()
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address) + "/64"
    return str(ip)


# ---------------------------------------------------------------- throttle


class LoginThrottle:
    """Failed-login counts per username and per client address, in a Django cache."""

    PREFIX = "login-failures"

    def __init__(self, cache: BaseCache | None = None) -> None:
        self.window = CacheWindow(
            self.PREFIX, seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS, cache=cache
        )

    def _limits(self, username: str | None, address: str | None) -> dict[str, int]:
        limits = {}
        if username:
            # Hashed: any length or character makes a valid key, and the cache holds no names.
            digest = hashlib.sha256(username.strip().casefold().encode()).hexdigest()
            limits[f"user:{digest}"] = settings.LOGIN_FAILURES_PER_USERNAME
        if address:
            limits[f"addr:{address_key(address)}"] = settings.LOGIN_FAILURES_PER_ADDRESS
        return limits

    def wait_seconds(self, *, username: str | None, address: str | None) -> int:
        """Seconds before ``username`` may try again from ``address`` (0: now)."""
        return math.ceil(self.window.wait(self._limits(username, address)))

    def record_failure(self, *, username: str | None, address: str | None) -> None:
        for key in self._limits(username, address):
            self.window.hit(key)

    def clear_username(self, username: str) -> None:
        self.window.clear(*self._limits(username, None))


def lockout_message(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext(
        "Demasiados intentos fallidos de entrar. Espera %(minutes)d minuto antes de volver a "
        "intentarlo, o crea una contraseña nueva con «¿Olvidaste tu contraseña?».",
        "Demasiados intentos fallidos de entrar. Espera %(minutes)d minutos antes de volver a "
        "intentarlo, o crea una contraseña nueva con «¿Olvidaste tu contraseña?».",
        minutes,
    ) % {"minutes": minutes}


class ThrottledLoginMixin:
    """For an AuthenticationForm: refuse before checking the password once a count is full;
    count a wrong username/password pair; clear the username's count on success.

    The same answer whether the username exists or not: counts are kept for any name typed.
    """

    request: HttpRequest | None
    cleaned_data: dict

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not (username and password):
            return super().clean()  # type: ignore[misc]
        throttle = LoginThrottle()
        address = client_address(self.request)
        wait = throttle.wait_seconds(username=username, address=address)
        if wait:
            raise ValidationError(lockout_message(wait), code="throttled")
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except ValidationError:
            # Only a wrong pair counts: a right password refused for another reason (an account
            # without admin access on the admin login) guessed nothing.
            if self.get_user() is None:  # type: ignore[attr-defined]
                throttle.record_failure(username=username, address=address)
            raise
        throttle.clear_username(username)
        return cleaned


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


# ---------------------------------------------------------------- password reset


class PasswordResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        max_length=254,
        help_text=_("El de tu cuenta. Te enviaremos un enlace para crear una contraseña nueva."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


def reset_mail_allowed(email: str) -> bool:
    """Whether another reset mail may go to ``email`` now: at most
    ``PASSWORD_RESET_MAILS_PER_ADDRESS`` within ``PASSWORD_RESET_MAIL_WINDOW_SECONDS``, so the
    form cannot be used to flood someone's inbox. Counted (any case) whether or not the address
    has an account, like everything this form answers."""
    limit = settings.PASSWORD_RESET_MAILS_PER_ADDRESS
    if limit <= 0:
        return True
    digest = hashlib.sha256(email.strip().casefold().encode()).hexdigest()
    window = CacheWindow(
        "password-reset-mails", seconds=settings.PASSWORD_RESET_MAIL_WINDOW_SECONDS
    )
    return window.hit(digest) <= limit


class PasswordResetView(auth_views.PasswordResetView):
    """Same page afterwards whether the address has an account or not (Django's view already
    redirects either way); accounts without an address or without a usable password get no
    mail."""

    form_class = PasswordResetRequestForm
    subject_template_name = "registration/password_reset_subject.txt"
    email_template_name = "registration/password_reset_email.txt"

    def form_valid(self, form: forms.Form) -> HttpResponse:
        if not reset_mail_allowed(form.cleaned_data["email"]):
            # Someone is filling this inbox with reset mails: the page says the same, nothing
            # is sent (a mail already sent still works).
            return HttpResponseRedirect(self.get_success_url())
        # Links point at SITE_URL like every other e-mail, not at whatever Host the request had.
        timeout = settings.PASSWORD_RESET_TIMEOUT
        self.extra_email_context = {
            "site_url": settings.SITE_URL.rstrip("/"),
            # Whole hours when it is, else minutes (never promise more time than the link has).
            "valid_hours": timeout // 3600 if timeout % 3600 == 0 else 0,
            "valid_minutes": max(1, timeout // 60),
        }
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form: forms.Form) -> HttpResponse:
        response = super().form_valid(form)
        # Whoever opened the link controls the account's e-mail: let them in now, even if
        # someone else's guesses had locked the username.
        assert self.user is not None
        LoginThrottle().clear_username(self.user.get_username())
        return response


# ---------------------------------------------------------------- sign-up by confirmed address

SIGNUP_SUBJECT = _("Tu cuenta en Foro Abierto")


def signup_mail(user: Any) -> None:
    """The one mail the sign-up page sends, to the address typed, whatever it found there:

    - a new (inactive) account, or one still waiting for it: the link that activates it;
    - an active account: someone (maybe its owner) tried to sign up again with the address,
      so it says so, with the links to sign in and to make a new password.

    The page says the same in every case («te enviamos un correo»), so it tells nobody whether
    an address has an account (as the login and the password-reset pages). Counted with the
    reset mails: this form cannot fill an inbox either."""
    if not reset_mail_allowed(user.email):
        return
    site = settings.SITE_URL.rstrip("/")
    context: dict[str, Any] = {"user": user, "site_url": site}
    if user.is_active:
        template = "registration/signup_exists_email.txt"
    else:
        template = "registration/signup_activate_email.txt"
        path = reverse(
            "signup_activate",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        context["link"] = f"{site}{path}"
    send_mail(
        str(SIGNUP_SUBJECT),
        render_to_string(template, context),
        None,
        [user.email],
        fail_silently=False,
    )


def signup_user_from_link(uidb64: str, token: str) -> Any | None:
    """The inactive account an activation link names, if the link is still good (the same
    signed, expiring tokens as the password reset; used once: activation signs in, which
    changes what the token signs)."""
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        user = get_user_model().objects.get(pk=pk)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, ObjectDoesNotExist):
        return None
    if user.is_active or not user.has_usable_password():
        return None
    return user if default_token_generator.check_token(user, token) else None
