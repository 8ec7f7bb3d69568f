from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    verbose_name = _("Moderación")

    def ready(self) -> None:
        from forum.threads import handlers

        from . import privacy, services
        from .services import arrival

        handlers.register_moderation(hide=services.content_hide, restore=services.content_restore)
        privacy.register()
        arrival.register()
