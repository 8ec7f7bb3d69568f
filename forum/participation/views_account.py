"""Account pages of the participation domain: sign-up, its «revisa tu correo» page and the
activation link (routed unnamespaced in ``account_urls.py``). Writes go through services; the
mails through ``accounts``."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import accounts, selectors, services
from .forms import SignupForm
from .views import _safe_next


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("participation:my_ideas")
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            email = form.cleaned_data["email"]
            # The same answer whether the address has an account or not (issue 14): the mail
            # to that address says which (accounts.signup_mail).
            owner = selectors.account_by_email(email)
            if owner is None:
                owner, _new_person = services.account_signup(
                    username=form.cleaned_data["username"],
                    email=email,
                    password=form.cleaned_data["password1"],
                    language=get_language() or settings.LANGUAGE_CODE,
                    region=form.cleaned_data.get("region"),
                    active=False,
                    display_name=form.cleaned_data.get("display_name") or "",
                )
            accounts.signup_mail(owner)
            request.session["signup_next"] = _safe_next(request, reverse("participation:my_ideas"))
            return redirect("signup_done")
    else:
        form = SignupForm()
    return render(request, "registration/signup.html", {"form": form})


def signup_done(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/signup_done.html")


def signup_activate(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    user = accounts.signup_user_from_link(uidb64, token)
    if user is None:
        return render(request, "registration/signup_link_invalid.html", status=400)
    services.account_activate(user=user)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("¡Bienvenida/o! Tu cuenta quedó creada."))
    return redirect(request.session.pop("signup_next", None) or "participation:my_ideas")
