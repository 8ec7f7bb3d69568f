from django.apps import AppConfig


class RecorderConfig(AppConfig):
    name = "tests.notifications.recorder"
    label = "outbox_recorder"

    def ready(self) -> None:
        from forum.notifications.registry import register_channel

        from . import record_sender

        register_channel("recorder", record_sender)
