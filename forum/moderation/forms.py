"""Moderation forms. Validation of what a moderator typed; the services decide the rest."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from forum.core.forms import counted as _counted
from forum.core.forms import too_long_message as _too_long_message
from forum.core.text import load_json
from forum.participation import selectors as participation_selectors
from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import HIDDEN_REASON_MAX_LENGTH as HIDE_REASON_MAX_LENGTH
from forum.participation.models import Channel, Council, Dialogue, Idea, Topic

from . import services

REASON_HELP = _("Queda en el registro de auditoría.")
# The statuses the idea queue can be filtered by (its default: received and in review).
QUEUE_STATES = (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW, IdeaStatus.NOT_ADMITTED)


# Every action the moderation services write to the audit log, in words.
AUDIT_ACTIONS = {
    "idea.merge": _("Fusión de ideas"),
    "idea.unmerge": _("Fusión deshecha"),
    "idea.route": _("Derivación a un consejo"),
    "idea.answer": _("Respuesta de un consejo"),
    "idea.edit": _("Idea corregida en la administración"),
    "content.hide": _("Contenido ocultado"),
    "content.auto_hide": _("Ocultado por reportes"),
    "content.restore": _("Contenido restaurado"),
    "content.dismiss_reports": _("Reportes descartados"),
    "council_secretary.assign": _("Secretaría asignada"),
    "council_secretary.remove": _("Secretaría retirada"),
    "group.merge": _("Grupo fusionado en su idea canónica"),
    "group.drop": _("Idea sacada de un grupo («no es igual»)"),
    "group.canonical": _("Otra idea canónica para un grupo"),
    "group.split": _("Grupo separado"),
    # Written by the dialogues and the convocation (higher layers) through the same audit log.
    "agenda_point_add": _("Punto de agenda agregado"),
    "agenda_point_update": _("Punto de agenda corregido"),
    "agenda_point_delete": _("Punto de agenda quitado"),
    "agenda_propose": _("Agenda propuesta"),
    "agenda_publish": _("Agenda publicada"),
    "guiding_question_add": _("Pregunta orientadora agregada"),
    "guiding_question_delete": _("Pregunta orientadora quitada"),
    "dialogue_advance": _("Diálogo avanzado de fase"),
    "dialogue_space_update": _("Espacio del diálogo actualizado"),
    "tables_seat": _("Mesas asignadas"),
    "tables_publish": _("Mesas publicadas"),
    "session_import": _("Sesión importada"),
    "survey_send": _("Encuesta enviada"),
    "results_publish": _("Resultados publicados"),
    "convocation_swap": _("Cupo de convocatoria cambiado"),
}


class CouncilInboxFilterForm(forms.Form):
    """The council inbox's filters (GET); an unknown value is ignored."""

    mostrar = forms.ChoiceField(
        label=_("Mostrar"),
        required=False,
        choices=[
            ("", _("Todas por responder")),
            ("overdue", _("Atrasadas")),
            ("soon", _("Vencen en 7 días")),
            ("agenda", _("En la agenda de un diálogo")),
        ],
    )
    tema = forms.ModelChoiceField(
        label=_("Tema"),
        required=False,
        queryset=Topic.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("Todos los temas"),
    )


class QueueFilterForm(forms.Form):
    """The queues' filters (GET): region, topic, council, channel and, for the idea queue,
    status. Unknown values are ignored (the field is simply not applied)."""

    region = forms.ChoiceField(label=_("Región"), required=False)
    tema = forms.ChoiceField(label=_("Tema"), required=False)
    consejo = forms.ChoiceField(label=_("Consejo"), required=False)
    canal = forms.ChoiceField(
        label=_("Canal"), required=False, choices=[("", _("Todos")), *Channel.choices]
    )
    estado = forms.ChoiceField(
        label=_("Estado"),
        required=False,
        choices=[("", _("Recibidas y en revisión")), *((s, s.label) for s in QUEUE_STATES)],
    )

    def __init__(self, *args, with_status: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Todas")),
            *participation_selectors.regions().values_list("slug", "name"),
        ]
        self.fields["tema"].choices = [  # type: ignore[attr-defined]
            ("", _("Todos")),
            *Topic.objects.order_by("name").values_list("slug", "name"),
        ]
        self.fields["consejo"].choices = [  # type: ignore[attr-defined]
            ("", _("Todos")),
            *participation_selectors.councils().values_list("slug", "name"),
        ]
        if not with_status:
            del self.fields["estado"]

    def filters(self) -> dict[str, str]:
        """The valid filters: ``{"region": slug, "topic": slug, "council": slug, "channel": …,
        "status": …}`` (only those chosen)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        names = {"region": "region", "tema": "topic", "consejo": "council", "canal": "channel"}
        names["estado"] = "status"
        return {
            key: data[field]
            for field, key in names.items()
            if field in self.fields and data.get(field) and field not in self.errors
        }


class AuditFilterForm(forms.Form):
    """The audit page's filters (GET); an unknown value is ignored, not an error page."""

    accion = forms.ChoiceField(
        label=_("Acción"),
        required=False,
        choices=[("", _("Todas")), *AUDIT_ACTIONS.items()],
    )
    id = forms.CharField(
        label=_("Id del objeto"),
        required=False,
        max_length=64,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    q = forms.CharField(
        label=_("Buscar"),
        required=False,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Motivo, antes o después")}
        ),
    )


REPORT_REASON_MAX_LENGTH = 500  # Report.reason
ROUTE_MESSAGE_MAX_LENGTH = 1000


REASON_MAX_LENGTH = 1000  # a merge's or unmerge's reason (audit log)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
        error_messages={"max_length": _too_long_message()},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _counted(self, "reason")


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=HIDE_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Se le mostrará a la autora o autor y queda en el registro de auditoría."),
        error_messages={"max_length": _too_long_message()},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _counted(self, "reason")


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("¿Por qué reportas este contenido?"),
        max_length=REPORT_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Por ejemplo: ofensivo, datos personales, publicidad, no es una idea."),
        error_messages={"max_length": _too_long_message()},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _counted(self, "reason")


class _IdeaOptions:
    """Options that carry their idea, and are disabled with the reason when ``refusals``
    (the services' own words) says that idea cannot take this role."""

    ideas: Mapping[int, Idea] = {}
    refusals: Mapping[int, str] = {}

    def create_option(
        self,
        name: str,
        value: Any,
        label: int | str,
        selected: bool,
        index: int,
        subindex: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        # A mixin: create_option comes from the ChoiceWidget that follows it in the MRO.
        option = super().create_option(  # type: ignore[misc]
            name, value, label, selected, index, subindex=subindex, attrs=attrs
        )
        option["idea"] = self.ideas.get(value)
        option["refusal"] = self.refusals.get(value, "")
        if option["refusal"]:
            option["attrs"]["disabled"] = True
            option["selected"] = False
            option["attrs"].pop("checked", None)
        return option


class IdeaRadioSelect(_IdeaOptions, forms.RadioSelect):
    pass


class IdeaCheckboxSelectMultiple(_IdeaOptions, forms.CheckboxSelectMultiple):
    pass


class MergeForm(forms.Form):
    canonical = forms.TypedChoiceField(
        label=_("Idea canónica (la que queda)"), coerce=int, widget=IdeaRadioSelect
    )
    merged = forms.TypedMultipleChoiceField(
        label=_("Ideas que se fusionan en ella"),
        coerce=int,
        widget=IdeaCheckboxSelectMultiple,
    )
    # The idea's own limits (Idea.full_clean in the service), checked here too so that a text
    # over them comes back in this form to shorten, not as an error after the confirmation.
    public_title = forms.CharField(
        label=_("Título público de la idea canónica (opcional)"),
        required=False,
        max_length=settings.IDEA_TITLE_MAX_LENGTH,
        error_messages={"max_length": _too_long_message()},
    )
    public_text = forms.CharField(
        label=_("Texto público de la idea canónica (opcional)"),
        required=False,
        max_length=settings.IDEA_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Déjalo vacío para conservar el texto actual. El texto anterior queda "
            "guardado y vuelve si se deshace la fusión."
        ),
        error_messages={"max_length": _too_long_message()},
    )
    reason = forms.CharField(
        label=_("Motivo"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=REASON_HELP,
        error_messages={"max_length": _too_long_message()},
    )
    versions = forms.CharField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    # Ticked on the confirmation page when the ideas come from different regions.
    cross_region = forms.BooleanField(
        required=False,
        label=_(
            "Entiendo que son de regiones distintas y que los apoyos quedarán en la región de "
            "la idea canónica."
        ),
    )

    def __init__(self, *args, candidates: list[Idea], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("public_title", "public_text", "reason"):
            _counted(self, name)
        choices = [(i.pk, f"{i.formatted_code} · {i.title}") for i in candidates]
        self.fields["canonical"].choices = choices  # type: ignore[attr-defined]
        self.fields["merged"].choices = choices  # type: ignore[attr-defined]
        self.candidates = {i.pk: i for i in candidates}
        # The merge's own rule (services.merge_refusal), shown before anything is tried.
        self.canonical_refusals = {
            i.pk: why.messages[0]
            for i in candidates
            if (why := services.merge_refusal(i, as_canonical=True))
        }
        self.merge_refusals = {
            i.pk: why.messages[0] for i in candidates if (why := services.merge_refusal(i))
        }
        for name, refusals in (
            ("canonical", self.canonical_refusals),
            ("merged", self.merge_refusals),
        ):
            widget = self.fields[name].widget
            widget.ideas = self.candidates
            widget.refusals = refusals

    def clean_versions(self) -> dict[int, str]:
        try:
            # load_json: a 5,000-deep value is refused like any broken one (not a RecursionError).
            raw = load_json(self.cleaned_data["versions"])
            return {int(k): str(v) for k, v in raw.items()}  # type: ignore[attr-defined]
        except (ValueError, AttributeError, TypeError) as exc:
            raise forms.ValidationError(_("Formulario dañado; recarga la página.")) from exc

    def clean(self):
        super().clean()
        data = self.cleaned_data
        canonical, merged = data.get("canonical"), data.get("merged") or []
        if canonical is not None and canonical in merged:
            merged = [pk for pk in merged if pk != canonical]
            data["merged"] = merged
        if canonical is not None and not merged:
            self.add_error(
                "merged", _("Elige al menos una idea para fusionar (distinta de la canónica).")
            )
        # The merge's own status rules, at the review step rather than after "confirm".
        if canonical in self.canonical_refusals:
            self.add_error("canonical", self.canonical_refusals[canonical])
        for pk in merged:
            if pk in self.merge_refusals:
                self.add_error("merged", self.merge_refusals[pk])
        if data.get("confirm") and self.regions_differ() and not data.get("cross_region"):
            self.add_error(
                "cross_region",
                _("Las ideas son de regiones distintas: confírmalo marcando la casilla."),
            )
        return data

    def chosen(self) -> list[Idea]:
        """The canonical idea and those merged into it, as chosen (after ``is_valid``)."""
        data = getattr(self, "cleaned_data", {}) or {}
        pks = [data.get("canonical"), *(data.get("merged") or [])]
        return [self.candidates[pk] for pk in pks if pk in self.candidates]

    def regions_differ(self) -> bool:
        return len({i.region_id for i in self.chosen()}) > 1


class RouteForm(forms.Form):
    council = forms.ModelChoiceField(
        label=_("Consejo"),
        queryset=Council.objects.all(),
        empty_label=_("— Elige un consejo —"),
    )
    agenda_dialogue = forms.ModelChoiceField(
        label=_("En la agenda del diálogo (opcional)"),
        required=False,
        queryset=Dialogue.objects.filter(is_active=True).order_by("-date"),
        empty_label=_("— Ninguno —"),
    )
    answer_due = forms.DateField(
        label=_("Plazo de respuesta del consejo"),
        # Never empty in the end: left blank, the chosen council's answer period applies.
        required=False,
        # A date input takes ISO dates only, whatever the page's language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    public_message = forms.CharField(
        label=_("Mensaje público (opcional)"),
        required=False,
        max_length=ROUTE_MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"max_length": _too_long_message()},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _counted(self, "public_message")
        # The browser's date picker says so before sending; clean_answer_due has the last word.
        self.fields["answer_due"].widget.attrs["min"] = timezone.localdate().isoformat()
        council = self.initial.get("council")
        if council is not None and not self.initial.get("answer_due"):
            self.initial["answer_due"] = participation_selectors.council_answer_due(council)
        self.fields["answer_due"].help_text = _(
            "Propuesto: el plazo de respuesta del consejo. Si lo dejas vacío, se usa el plazo "
            "del consejo elegido."
        )

    def clean_answer_due(self) -> dt.date | None:
        due = self.cleaned_data["answer_due"]
        if due is not None and due < timezone.localdate():
            raise forms.ValidationError(
                _("El plazo %(date)s ya pasó. Revisa el año: elige hoy o una fecha futura."),
                params={"date": date_format(due, "SHORT_DATE_FORMAT")},
                code="past",
            )
        return due


ANSWER_MAX_LENGTH = 5000


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Respuesta del consejo"),
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in IdeaStatus if s in ANSWERS],
    )
    answer = forms.CharField(
        label=_("Respuesta pública"),
        max_length=ANSWER_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Llega a la autora o autor, a quienes la apoyaron y queda publicada."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The limit is checked on the server, which keeps the text and says by how much it is
        # over; a browser maxlength would cut a pasted answer without a word (charcount.js
        # shows the count instead).
        attrs = self.fields["answer"].widget.attrs
        attrs.pop("maxlength", None)
        attrs["data-maxlength"] = ANSWER_MAX_LENGTH
