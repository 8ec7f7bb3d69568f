"""Django's password validators with help texts that speak «tú», as the rest of the site.

Django's Spanish catalog says «Su contraseña…» (usted); these say the same with «tu». The
checks and their error messages are Django's own.
"""

from __future__ import annotations

from django.contrib.auth import password_validation as django_validation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserAttributeSimilarityValidator(django_validation.UserAttributeSimilarityValidator):
    def get_help_text(self) -> str:
        return _("Tu contraseña no puede parecerse a tu nombre de usuario ni a tu correo.")


class MinimumLengthValidator(django_validation.MinimumLengthValidator):
    def get_help_text(self) -> str:
        return ngettext(
            "Tu contraseña debe tener al menos %(min_length)d carácter.",
            "Tu contraseña debe tener al menos %(min_length)d caracteres.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django_validation.CommonPasswordValidator):
    def get_help_text(self) -> str:
        return _("Tu contraseña no puede ser una de las más usadas.")


class NumericPasswordValidator(django_validation.NumericPasswordValidator):
    def get_help_text(self) -> str:
        return _("Tu contraseña no puede tener solo números.")
