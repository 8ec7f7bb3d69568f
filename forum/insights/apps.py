from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "forum.insights"
    label = "insights"
    verbose_name = _("Resultados")

    def ready(self) -> None:
        from forum.participation import handlers
        from forum.participation.api import api

        from . import api as insights_api
        from . import cache

        # Every write that changes a public figure drops the cached aggregates after commit.
        handlers.on_status_changed(cache.bump_on_commit)
        handlers.on_routed(cache.bump_on_commit)
        handlers.on_data_changed(cache.bump_on_commit)
        # The open-data API gains the results' aggregates (same selectors as the pages).
        insights_api.register(api)
