from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    verbose_name = _("Moderación")

    def ready(self) -> None:
        from forum.participation import handlers as participation_handlers
        from forum.threads import handlers

        from . import privacy, services
        from .services import arrival
        from .views.groups import idea_page_context

        handlers.register_moderation(hide=services.content_hide, restore=services.content_restore)
        privacy.register()
        arrival.register()
        participation_handlers.on_idea_page(idea_page_context)
