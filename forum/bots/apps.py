import inspect

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    name = "forum.bots"
    label = "bots"
    verbose_name = _("Bots de mensajería")

    def ready(self) -> None:
        from forum.notifications import registry

        from . import senders

        accepted = inspect.signature(registry.register_channel).parameters

        def register(name, sender, *, rate=None, per_address=None):
            kwargs = {"identity_channel": name}
            # Newer registries throttle per channel themselves; the senders also throttle, so
            # a registry without these options is still within the platform's limits.
            if rate is not None and "rate_per_second" in accepted:
                kwargs["rate_per_second"] = rate
            if per_address is not None and "per_address_interval" in accepted:
                kwargs["per_address_interval"] = per_address
            registry.register_channel(name, sender, **kwargs)

        senders.OWN_RATE_LIMIT = not {"rate_per_second", "per_address_interval"} <= set(accepted)
        register("telegram", senders.telegram_sender, rate=30, per_address=1.0)
        register("whatsapp", senders.whatsapp_sender, rate=50)
        register("webchat", senders.webchat_sender)
        from . import privacy  # /mis_datos, /borrar and «Mis datos» (forum.participation.privacy)

        privacy.register()
