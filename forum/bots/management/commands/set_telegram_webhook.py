"""Point Telegram at this site's webhook, with the secret token Telegram will send back."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from forum.bots import telegram


class Command(BaseCommand):
    help = "Configura el webhook de Telegram (setWebhook) con TELEGRAM_WEBHOOK_SECRET."

    def add_arguments(self, parser):
        parser.add_argument("--url", help="URL pública del webhook (por defecto SITE_URL + ruta).")
        parser.add_argument("--delete", action="store_true", help="Quitar el webhook.")
        parser.add_argument("--drop-pending", action="store_true")

    def handle(self, *args, **options):
        if not telegram.configured():
            raise CommandError("TELEGRAM_BOT_TOKEN no está configurado.")
        gw = telegram.gateway()
        if options["delete"]:
            gw.call(lambda bot: bot.delete_webhook(drop_pending_updates=options["drop_pending"]))
            self.stdout.write("Webhook eliminado.")
            return
        secret = getattr(settings, "TELEGRAM_WEBHOOK_SECRET", "")
        if not secret:
            raise CommandError("TELEGRAM_WEBHOOK_SECRET no está configurado.")
        url = options["url"] or settings.SITE_URL.rstrip("/") + reverse("bots:telegram_webhook")
        if not url.startswith("https://"):
            self.stderr.write("Aviso: Telegram solo acepta webhooks HTTPS.")
        gw.call(
            lambda bot: bot.set_webhook(
                url=url,
                secret_token=secret,
                drop_pending_updates=options["drop_pending"],
                allowed_updates=["message", "edited_message", "callback_query", "my_chat_member"],
            )
        )
        self.stdout.write(f"Webhook configurado: {url}")
