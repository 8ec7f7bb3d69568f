from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SURVEY_COMMENT_MAX_LENGTH, SurveyAnswer


class SurveyForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("¿Cómo evalúas el método?"),
        choices=SurveyAnswer.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Comentario (opcional)"),
        required=False,
        max_length=SURVEY_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Nueva pregunta orientadora"), max_length=300)


class ResultsForm(forms.Form):
    summary = forms.CharField(
        label=_("Qué viene ahora"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Se envía con los resultados a cada asistente y autor/a de una idea."),
    )
