from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialoguesConfig(AppConfig):
    name = "forum.dialogues"
    label = "dialogues"
    verbose_name = _("Diálogos y consejos")

    def ready(self) -> None:
        from forum.participation import handlers

        from . import privacy, selectors

        privacy.register()
        handlers.provide_dialogue_attendance(selectors.with_attendance)
