from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import channels, registry

        registry.register_channel("inbox", channels.send_inbox, transactional=True)
        registry.register_channel("email", channels.send_email)
