from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.participation.models import Council, Dialogue, Organisation

from . import rule
from .models import ImportJob


class ProposeForm(forms.Form):
    dialogue = forms.ModelChoiceField(
        Dialogue.objects.filter(is_active=True), label=_("Diálogo"), required=False
    )
    council = forms.ModelChoiceField(
        Council.objects.filter(kind=Council.Kind.REGIONAL),
        label=_("o renovación de un consejo regional"),
        required=False,
    )
    size = forms.IntegerField(label=_("Cupos"), min_value=1, max_value=500, initial=20)
    fatigue_cap = forms.IntegerField(
        label=_("Tope de convocatorias en 12 meses"),
        min_value=1,
        max_value=50,
        initial=rule.DEFAULT_FATIGUE_CAP,
        help_text=_(
            "Sobre el tope, una organización solo entra si nadie más puede ocupar el cupo."
        ),
    )

    def clean(self):
        data = super().clean() or {}
        if bool(data.get("dialogue")) == bool(data.get("council")):
            raise forms.ValidationError(_("Elige un diálogo o un consejo (uno de los dos)."))
        return data


class SwapForm(forms.Form):
    organisation = forms.ModelChoiceField(Organisation.objects.none(), label=_("Organización"))
    reason = forms.CharField(
        label=_("Motivo (queda en el registro de auditoría)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if choices is not None:
            self.fields["organisation"].queryset = choices  # type: ignore[attr-defined]


class DelegateForm(forms.Form):
    """«Propongo a otra persona de mi organización» on the invitation's page."""

    name = forms.CharField(label=_("Nombre de la otra persona"), max_length=150)
    reach = forms.CharField(
        label=_("Su correo electrónico o su número de WhatsApp"),
        max_length=200,
        help_text=_(
            "Le pediremos su consentimiento por ese medio; un usuario de Telegram no sirve."
        ),
    )


class ImportForm(forms.Form):
    """The staff page's CSV upload (organisations, or other spaces' convocations)."""

    kind = forms.ChoiceField(label=_("Qué importar"), choices=ImportJob.Kind.choices)
    file = forms.FileField(label=_("Archivo CSV"))
    delimiter = forms.ChoiceField(
        label=_("Separador"),
        choices=[(",", _("coma (,)")), (";", _("punto y coma (;)"))],
        initial=",",
    )
