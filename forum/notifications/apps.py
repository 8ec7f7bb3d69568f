from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "forum.notifications"
    label = "notifications"
    verbose_name = _("Avisos")

    def ready(self) -> None:
        from forum.core import health, jobs
        from forum.participation import handlers

        from . import channels, privacy, registry, selectors, services, worker

        registry.register_channel("inbox", channels.send_inbox, transactional=True)
        registry.register_channel("email", channels.send_email)
        health.register_backlog("outbox", selectors.outbox_health, oldest="oldest_due_seconds")
        handlers.on_status_changed(services.notify_status_changed)
        privacy.register()
        # `manage.py work --kind outbox`
        jobs.register_kind("outbox", worker.OutboxWorker.from_options)
