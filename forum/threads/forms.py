from django import forms
from django.utils.translation import gettext_lazy as _

from .services import HIDE_REASON_MAX_LENGTH, POST_MAX_LENGTH


class PostForm(forms.Form):
    body = forms.CharField(
        label=_("Mensaje"),
        widget=forms.Textarea(attrs={"rows": 4}),
        # No max_length here: the service gives the clear "N of M characters" message.
        help_text=_(
            "Puedes usar *cursiva*, **negrita**, listas con «-» y enlaces "
            "[texto](https://…). Máximo %(max)d caracteres."
        )
        % {"max": POST_MAX_LENGTH},
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    is_minutes = forms.BooleanField(label=_("Es el acta de la reunión presencial"), required=False)


class EditForm(forms.Form):
    body = forms.CharField(label=_("Mensaje"), widget=forms.Textarea(attrs={"rows": 6}))


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo (se muestra públicamente)"), max_length=HIDE_REASON_MAX_LENGTH
    )
