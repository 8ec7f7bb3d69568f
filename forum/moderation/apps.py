from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "forum.moderation"
    label = "moderation"
    verbose_name = _("Moderación")

    def ready(self) -> None:
        from forum.participation import handlers as participation_handlers
        from forum.threads import handlers

        from . import permissions, privacy, selectors, services
        from .services import arrival
        from .views.groups import idea_page_context

        handlers.register_moderation(hide=services.content_hide, restore=services.content_restore)
        participation_handlers.on_idea_page(selectors.idea_page_merged)
        participation_handlers.on_landing(permissions.landing_url)
        # The web form's «¿Es alguna de estas?» uses the same matcher as the bots.
        participation_handlers.provide_similar_ideas(selectors.similar_ideas)
        privacy.register()
        arrival.register()
        participation_handlers.on_idea_page(idea_page_context)
