from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    label = "notifications"
    verbose_name = _("Avisos")

    def ready(self) -> None:
        from . import channels, privacy, registry

        registry.register_channel("inbox", channels.send_inbox, transactional=True)
        registry.register_channel("email", channels.send_email)
        privacy.register()
