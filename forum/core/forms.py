"""Form helpers shared by every app's forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


def too_long_message():
    """The ``max_length`` error of a counted field: how long the text is and the limit."""
    return _("Tiene %(show_value)d caracteres; el máximo es %(limit_value)d. Acórtalo y envíalo.")


def counted(form: forms.Form, name: str) -> None:
    """The field's limit is checked on the server, which keeps the text and says how long it
    is; no browser maxlength, which cuts a pasted text without a word (charcount.js shows a live
    count from data-maxlength instead)."""
    field = form.fields[name]
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-maxlength"] = field.max_length  # type: ignore[attr-defined]
