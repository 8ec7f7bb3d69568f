"""Moderation forms. Validation of what a moderator typed; the services decide the rest."""

from __future__ import annotations

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import Council, Dialogue, Idea

REASON_HELP = _("Queda en el registro de auditoría.")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Se le mostrará a la autora o autor y queda en el registro de auditoría."),
    )


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("¿Por qué reportas este contenido?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Por ejemplo: ofensivo, datos personales, publicidad, no es una idea."),
    )


class MergeForm(forms.Form):
    canonical = forms.TypedChoiceField(
        label=_("Idea canónica (la que queda)"), coerce=int, widget=forms.RadioSelect
    )
    merged = forms.TypedMultipleChoiceField(
        label=_("Ideas que se fusionan en ella"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    public_title = forms.CharField(
        label=_("Título público de la idea canónica (opcional)"),
        required=False,
        max_length=200,
    )
    public_text = forms.CharField(
        label=_("Texto público de la idea canónica (opcional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Déjalo vacío para conservar el texto actual. El texto anterior queda "
            "guardado y vuelve si se deshace la fusión."
        ),
    )
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
    )
    versions = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, candidates: list[Idea], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = [(i.pk, f"{i.formatted_code} · {i.title}") for i in candidates]
        self.fields["canonical"].choices = choices  # type: ignore[attr-defined]
        self.fields["merged"].choices = choices  # type: ignore[attr-defined]
        self.candidates = {i.pk: i for i in candidates}

    def clean_versions(self) -> dict[int, str]:
        try:
            raw = json.loads(self.cleaned_data["versions"])
            return {int(k): str(v) for k, v in raw.items()}
        except (ValueError, AttributeError, TypeError) as exc:
            raise forms.ValidationError(_("Formulario dañado; recarga la página.")) from exc

    def clean(self):
        data = super().clean()
        canonical, merged = data.get("canonical"), data.get("merged") or []
        if canonical is not None and canonical in merged:
            merged = [pk for pk in merged if pk != canonical]
            data["merged"] = merged
        if canonical is not None and not merged:
            self.add_error(
                "merged", _("Elige al menos una idea para fusionar (distinta de la canónica).")
            )
        return data


class RouteForm(forms.Form):
    council = forms.ModelChoiceField(label=_("Consejo"), queryset=Council.objects.all())
    agenda_dialogue = forms.ModelChoiceField(
        label=_("En la agenda del diálogo (opcional)"),
        required=False,
        queryset=Dialogue.objects.filter(is_active=True).order_by("-date"),
    )
    answer_due = forms.DateField(
        label=_("Plazo de respuesta del consejo"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    public_message = forms.CharField(
        label=_("Mensaje público (opcional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Respuesta del consejo"),
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in IdeaStatus if s in ANSWERS],
    )
    answer = forms.CharField(
        label=_("Respuesta pública"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Llega a la autora o autor, a quienes la apoyaron y queda publicada."),
    )
