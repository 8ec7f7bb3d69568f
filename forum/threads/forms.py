from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forum.core.forms import counted, too_long_message

from .services import HIDE_REASON_MAX_LENGTH, POST_MAX_LENGTH

THREAD_TITLE_MAX_LENGTH = 200  # Thread.title


def _post_help() -> str:
    return gettext(
        "Puedes usar *cursiva*, **negrita**, listas con «-» y enlaces "
        "[texto](https://…). Máximo %(max)d caracteres."
    ) % {"max": POST_MAX_LENGTH}


# ``gettext_lazy(...) % {...}`` is evaluated when this module is imported, in whatever language
# is active then (Spanish): the help text must be translated each time a form renders.
_post_help_text = lazy(_post_help, str)


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Mensaje"),
        # No max_length here: the service gives the clear "N of M characters" message (a browser
        # maxlength would cut a pasted text without a word); data-maxlength: the live counter.
        widget=forms.Textarea(attrs={"rows": 4, "data-maxlength": POST_MAX_LENGTH}),
        help_text=_post_help_text(),
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    is_minutes = forms.BooleanField(label=_("Es el acta de la reunión presencial"), required=False)


class EditForm(forms.Form):
    body = forms.CharField(
        label=_("Mensaje"),
        widget=forms.Textarea(attrs={"rows": 6, "data-maxlength": POST_MAX_LENGTH}),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo (se muestra públicamente)"),
        max_length=HIDE_REASON_MAX_LENGTH,
        error_messages={"max_length": too_long_message()},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        counted(self, "reason")


class ThreadOpenForm(forms.Form):
    KIND_CHOICES = [
        ("council", _("Conversación del consejo")),
        ("agenda_item", _("Punto de tabla de una reunión")),
    ]

    council: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Consejo"), queryset=None)
    kind = forms.ChoiceField(label=_("Tipo"), choices=KIND_CHOICES)
    title = forms.CharField(
        label=_("Título"),
        max_length=THREAD_TITLE_MAX_LENGTH,
        error_messages={"max_length": too_long_message()},
    )
    meeting_date = forms.DateField(
        label=_("Fecha de la reunión (puntos de tabla)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    visibility = forms.ChoiceField(
        label=_("Quién puede leerlo"),
        choices=[
            ("public", _("Cualquier persona (público)")),
            ("council_internal", _("Solo integrantes del consejo")),
        ],
    )

    def __init__(self, *args, councils=None, **kwargs):
        super().__init__(*args, **kwargs)
        council = self.fields["council"]
        assert isinstance(council, forms.ModelChoiceField)
        council.queryset = councils
        council.empty_label = _("— Elige un consejo —")
        counted(self, "title")
