from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ParticipationConfig(AppConfig):
    name = "forum.participation"
    label = "participation"
    verbose_name = _("Participación")

    def ready(self) -> None:
        from . import privacy_handlers

        privacy_handlers.register()
