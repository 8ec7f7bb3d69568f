"""Forms of the public site and of the staff status page. They validate input; services write."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .lifecycle import ANSWERS, RESERVED, IdeaStatus, allowed_next
from .models import Council, Dialogue, Region, Topic

SEARCH_MAX_LENGTH = 200  # the API's limit too
PUBLIC_MESSAGE_MAX_LENGTH = 4000  # a status change's public message (staff form)


def _idea_body_help() -> str:
    return gettext("Cuéntanos qué propones y por qué. Máximo %(max)d caracteres.") % {
        "max": settings.IDEA_MAX_LENGTH
    }


# ``gettext_lazy(...) % {...}`` would be evaluated once, at import, in Spanish: the help text
# is translated each time a form renders instead (as forum/threads/forms.py does).
_idea_body_help_text = lazy(_idea_body_help, str)


class IdeaFilterForm(forms.Form):
    """The GET filters of the idea list. Invalid values are ignored, never an error page."""

    # «Más relevantes» applies to a search; without one the newest come first.
    ORDER_CHOICES = [
        ("relevance", _("Más relevantes")),
        ("recent", _("Más recientes")),
        ("supports", _("Más apoyadas")),
    ]

    # No max_length: the browser's maxlength would cut a pasted search without a word; the
    # length is checked in clean_q, which says why the search was not applied.
    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.order_by("ordinal"),
        required=False,
        to_field_name="slug",
        empty_label=_("Todas las regiones"),
    )
    topic = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("Todos los temas"),
    )
    status = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Todos los estados")), *IdeaStatus.choices],
    )
    dialogue = forms.ModelChoiceField(
        label=_("Diálogo"),
        queryset=Dialogue.objects.order_by("-date"),
        required=False,
        to_field_name="slug",
        empty_label=_("Todos los diálogos"),
    )
    order = forms.ChoiceField(label=_("Orden"), required=False, choices=ORDER_CHOICES)

    def clean_q(self) -> str:
        q = self.cleaned_data["q"]
        if len(q) > SEARCH_MAX_LENGTH:
            raise forms.ValidationError(
                _(
                    "Tu búsqueda tiene %(n)d caracteres; el máximo es %(max)d. Acórtala y "
                    "vuelve a buscar: no la aplicamos."
                ),
                code="max_length",
                params={"n": len(q), "max": SEARCH_MAX_LENGTH},
            )
        return q


class IdeaSubmitForm(forms.Form):
    # Lengths are checked by the service (one message, same on every channel, and the text stays
    # in the form). No maxlength on the widgets: a browser cuts a pasted text at the limit without
    # a word and the cut text gets sent. data-maxlength drives charcount.js's live counter.
    title = forms.CharField(
        label=_("Título"),
        help_text=_("Una frase que resuma tu idea."),
        widget=forms.TextInput(
            attrs={"data-maxlength": settings.IDEA_TITLE_MAX_LENGTH, "autocomplete": "off"}
        ),
    )
    body = forms.CharField(
        label=_("Tu idea"),
        required=False,
        help_text=_idea_body_help_text(),
        widget=forms.Textarea(attrs={"data-maxlength": settings.IDEA_MAX_LENGTH, "rows": 10}),
    )
    region = forms.ModelChoiceField(
        label=_("Región"),
        queryset=Region.objects.order_by("ordinal"),
        required=False,
        empty_label=_("— Elige tu región —"),
    )
    topic = forms.ModelChoiceField(
        label=_("Tema"),
        queryset=Topic.objects.order_by("name"),
        required=False,
        empty_label=_("— Sin tema —"),
    )
    dialogue = forms.ModelChoiceField(
        label=_("Diálogo (opcional)"),
        queryset=Dialogue.objects.filter(is_active=True).order_by("-date"),
        required=False,
        empty_label=_("— Ninguno —"),
        help_text=_("Si tu idea surgió en un diálogo presencial, indícalo."),
    )


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Código de seguimiento"),
        max_length=40,
        help_text=_(
            "Son 8 letras y números, por ejemplo ABCD-1234. Da igual si usas "
            "mayúsculas, minúsculas, guiones o espacios."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "inputmode": "text",
            }
        ),
    )


class SignupForm(UserCreationForm):
    email = forms.EmailField(
        label=_("Correo electrónico"),
        help_text=_("Lo usamos solo para avisarte de cambios en tus ideas."),
    )
    display_name = forms.CharField(
        label=_("Nombre que se muestra (opcional)"),
        max_length=150,
        required=False,
        help_text=_(
            "Aparece junto a tus mensajes en los debates, nunca junto a tus ideas ni tus "
            "apoyos. Si lo dejas vacío, se muestra un número de participante. Tu nombre de "
            "usuario nunca se muestra."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    region = forms.ModelChoiceField(
        label=_("Región (opcional)"),
        queryset=Region.objects.order_by("ordinal"),
        required=False,
        empty_label=_("— Prefiero no decirlo —"),
    )
    consent = forms.BooleanField(
        label=_(
            "Acepto el tratamiento de mis datos personales según la política de privacidad "
            "(Ley 21.719)."
        ),
        required=True,
        error_messages={"required": _("Para crear una cuenta necesitamos tu consentimiento.")},
    )

    class Meta(UserCreationForm.Meta):  # type: ignore[name-defined]
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Django's own says «Para verificar, introduzca…» (usted).
        self.fields["password2"].help_text = _(
            "Escribe la misma contraseña otra vez, para confirmarla."
        )

    def clean_display_name(self) -> str:
        name = self.cleaned_data.get("display_name", "").strip()
        username = (self.data.get("username") or "").strip()
        if name and username and name.casefold() == username.casefold():
            raise forms.ValidationError(
                _(
                    "Ese es tu nombre de usuario, que nunca mostramos. Elige otro nombre o "
                    "déjalo vacío."
                )
            )
        return name

    def clean_email(self) -> str:
        # Whether an account already has it is never said here (anyone could learn who has
        # an account): the page answers the same and the mail tells the owner
        # (views_account.signup).
        return self.cleaned_data["email"].strip().lower()


def status_choices(current: str) -> list[tuple[str, str]]:
    """The statuses a staff member may pick here: the lifecycle's next steps, minus those a
    dedicated service owns (a merge is done from the moderation queue), except routing, which
    this form applies through ``idea_route``."""
    options = [s for s in allowed_next(current) if s not in RESERVED or s == IdeaStatus.ROUTED]
    order = list(IdeaStatus.values)
    options.sort(key=order.index)
    return [(s, str(IdeaStatus(s).label)) for s in options]


class IdeaStatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Nuevo estado"), widget=forms.RadioSelect)
    public_message = forms.CharField(
        label=_("Mensaje público"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "data-maxlength": PUBLIC_MESSAGE_MAX_LENGTH}),
        help_text=_(
            "Se publica en la página de la idea y se envía a quienes la escribieron o "
            "apoyaron. Obligatorio al no admitir o al responder."
        ),
    )
    council = forms.ModelChoiceField(
        label=_("Consejo (al derivar)"),
        queryset=Council.objects.select_related("region"),
        required=False,
        empty_label=_("— Elige un consejo —"),
    )
    answer_due = forms.DateField(
        label=_("Plazo de respuesta (al derivar)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args, idea, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.idea = idea
        self.fields["to_status"].choices = status_choices(idea.status)  # type: ignore[attr-defined]
        if idea.council_id:
            self.fields["council"].initial = idea.council_id

    def clean_public_message(self) -> str:
        # Checked here, not by a maxlength that would cut a pasted answer without a word.
        message = self.cleaned_data["public_message"]
        if len(message) > PUBLIC_MESSAGE_MAX_LENGTH:
            raise forms.ValidationError(
                _("El mensaje tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo."),
                code="max_length",
                params={"n": len(message), "max": PUBLIC_MESSAGE_MAX_LENGTH},
            )
        return message

    def clean(self):
        super().clean()
        data = self.cleaned_data
        to_status = data.get("to_status")
        if to_status == IdeaStatus.ROUTED and not data.get("council"):
            self.add_error("council", _("Elige el consejo al que se deriva la idea."))
        if to_status in ANSWERS and not (data.get("public_message") or "").strip():
            self.add_error("public_message", _("Escribe la respuesta pública del consejo."))
        return data
