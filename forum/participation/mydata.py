"""«Mis datos»: a web account's Law 21.719 rights of access, portability, rectification and
erasure, by its owner. Bot participants have the same through ``/mis_datos`` and ``/borrar``.

The page and the download show one thing, ``privacy.person_export`` (the same export as the
bots' ``/mis_datos``, gathered from every app), so what a person reads is exactly what they can
take away.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from . import privacy, services
from .models import Channel, Region

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ERASED_SESSION_KEY = "participation:my_data_erased"
# The page lists the latest notices; the download has them all (a follower of busy threads
# may have thousands).
NOTICES_ON_PAGE = 50
# Export keys that hold an ISO date or date-time: the page shows them formatted.
_DATE_KEYS = frozenset(
    {
        "consentimiento",
        "creada",
        "ultimo_ingreso",
        "recibida",
        "fecha",
        "publicado",
        "editado",
        "eliminado",
        "oculto",
        "revisado",
        "leido",
        "ultimo_mensaje",
        "inicio",
        "fin",
    }
)


# ---------------------------------------------------------------- forms


class MyDataForm(forms.Form):
    """What a person may correct themselves. ``account_update`` refuses an e-mail another
    account has; the view puts that on the e-mail field."""

    display_name = forms.CharField(
        label=gettext_lazy("Nombre que se muestra"),
        max_length=150,
        required=False,
        help_text=gettext_lazy(
            "Aparece junto a tus mensajes en los debates, nunca junto a tus ideas ni tus "
            "apoyos. Si lo dejas vacío, se muestra un número de participante."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico"),
        help_text=gettext_lazy("Lo usamos solo para avisarte de cambios en tus ideas."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Región (opcional)"),
        queryset=Region.objects.order_by("ordinal"),
        required=False,
        empty_label=gettext_lazy("— Prefiero no decirlo —"),
    )
    language = forms.ChoiceField(
        label=gettext_lazy("Idioma de los avisos"), choices=settings.LANGUAGES
    )
    email_notifications = forms.BooleanField(
        label=gettext_lazy("Recibir avisos por correo electrónico"), required=False
    )


class EraseForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Tu contraseña"),
        help_text=gettext_lazy("La pedimos otra vez para confirmar que eres tú."),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("La contraseña no es correcta. No borramos nada."), code="wrong_password"
            )
        return password


# ---------------------------------------------------------------- views


def _user(request: HttpRequest) -> User:
    return cast("User", request.user)  # behind login_required


def _for_display(value: Any, key: str = "") -> Any:
    """The export as the page shows it: ISO strings back into dates (for the ``date`` filter),
    channel and language codes as their names."""
    if isinstance(value, dict):
        return {k: _for_display(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_for_display(v) for v in value]
    if key == "canal" and value in Channel.values:
        return Channel(value).label
    if key == "idioma":
        return dict(settings.LANGUAGES).get(value, value)
    if key in _DATE_KEYS and isinstance(value, str):
        try:
            if "T" in value:
                return dt.datetime.fromisoformat(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


@never_cache
@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    person = services.person_for_user(user=user)
    if request.method == "POST":
        form = MyDataForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.account_update(
                    user=user,
                    display_name=data["display_name"],
                    email=data["email"],
                    region=data["region"],
                    language=data["language"],
                    email_notifications=data["email_notifications"],
                )
            except services.ParticipationError as exc:
                form.add_error("email" if exc.code == "email_taken" else None, exc)
            else:
                messages.success(request, _("Guardamos los cambios en tus datos."))
                return redirect("participation:my_data")
    else:
        form = MyDataForm(
            initial={
                "display_name": person.display_name,
                "email": user.email or person.email,
                "region": person.region_id,
                "language": person.language,
                "email_notifications": person.email_notifications,
            },
        )
    data = _for_display(privacy.person_export(person))
    notices = data["avisos"]
    return render(
        request,
        "participation/my_data.html",
        {
            "form": form,
            "data": data,
            "notices": notices[:NOTICES_ON_PAGE],
            "more_notices": max(0, len(notices) - NOTICES_ON_PAGE),
        },
    )


@never_cache
@login_required
def my_data_download(request: HttpRequest) -> HttpResponse:
    person = services.person_for_user(user=_user(request))
    body = json.dumps(privacy.person_export(person), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    filename = f"foro-abierto-mis-datos-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@never_cache
@login_required
def my_data_erase(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    refusal = privacy.account_erase_refusal(user=user)
    form = EraseForm(request.POST if request.method == "POST" else None, user=user)
    if refusal is None and request.method == "POST" and form.is_valid():
        try:
            services.account_erase(user=user)
        except services.ParticipationError as exc:
            refusal = exc.messages[0]
        else:
            logout(request)
            request.session[ERASED_SESSION_KEY] = True
            return redirect("participation:my_data_erased")
    person = services.person_for_user(user=user)
    return render(
        request,
        "participation/my_data_erase.html",
        {
            "form": form,
            "refusal": refusal,
            # What their thread posts will show instead of their name (Person.__str__).
            "anonymous_name": person.anonymous_name,
        },
        status=403 if refusal is not None and request.method == "POST" else 200,
    )


def my_data_erased(request: HttpRequest) -> HttpResponse:
    """The confirmation, once, for the browser that just erased its account."""
    if not request.session.pop(ERASED_SESSION_KEY, False):
        return redirect("participation:home")
    return render(request, "participation/my_data_erased.html")
