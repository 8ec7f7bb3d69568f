from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    name = "forum.bots"
    label = "bots"
    verbose_name = _("Bots de mensajería")

    def ready(self) -> None:
        from forum.core import health, jobs
        from forum.notifications import registry

        from . import pipeline, privacy, selectors, senders

        health.register_backlog(
            "bots", selectors.inbound_health, oldest="oldest_unprocessed_seconds"
        )

        # The outbox worker paces each delivery within these platform limits (per process:
        # forum/core/ratelimit.py); the senders pace only the further parts of a long message.
        registry.register_channel(
            "telegram",
            senders.telegram_sender,
            identity_channel="telegram",
            rate_per_second=30,
            per_address_interval=1.0,
        )
        registry.register_channel(
            "whatsapp", senders.whatsapp_sender, identity_channel="whatsapp", rate_per_second=50
        )
        registry.register_channel("webchat", senders.webchat_sender, identity_channel="webchat")
        # /mis_datos, /borrar and «Mis datos» (forum.participation.privacy).
        privacy.register()
        # `manage.py work --kind updates|replies`
        jobs.register_kind("updates", lambda options: pipeline.UpdatesJob())
        jobs.register_kind("replies", lambda options: pipeline.RepliesJob())
