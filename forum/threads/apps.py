from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThreadsConfig(AppConfig):
    name = "forum.threads"
    label = "threads"
    verbose_name = _("Debates")

    def ready(self) -> None:
        from forum.participation import handlers

        from . import privacy, selectors, services

        handlers.on_routed(services.thread_for_routed_idea)
        handlers.on_idea_page(selectors.idea_page_thread)
        privacy.register()
