"""Development: run the Telegram bot by long polling (no public URL needed).

Updates go through the same path as the webhook: stored (idempotent), processed by the engine,
replies sent; so switching between polling and webhook loses nothing.
"""

import logging

from channels.db import database_sync_to_async
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from forum.bots import pipeline, services, telegram

log = logging.getLogger(__name__)


async def _on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    data = update.to_dict()
    stored = await database_sync_to_async(services.update_store)(
        platform=telegram.PLATFORM, update_id=str(update.update_id), payload=data
    )
    if stored is None:
        return
    messages = await database_sync_to_async(pipeline.process)(stored.pk)
    if messages:
        await pipeline.deliver_async(messages)


class Command(BaseCommand):
    help = "Ejecuta el bot de Telegram en modo polling (desarrollo)."

    def handle(self, *args, **options):
        token = getattr(settings, "TELEGRAM_BOT_TOKEN", "")
        if not token:
            raise CommandError(
                "TELEGRAM_BOT_TOKEN no está configurado. Sin token, prueba el chat web en /chat/."
            )
        base_url = getattr(settings, "TELEGRAM_API_URL", "https://api.telegram.org/bot")
        app = Application.builder().token(token).base_url(base_url).build()
        app.add_handler(TypeHandler(Update, _on_update))
        self.stdout.write("Bot en modo polling; Ctrl+C para salir.")
        app.run_polling(allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
