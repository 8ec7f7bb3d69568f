"""What the bots keep: conversations (state machine position), raw inbound updates and the
messages the bot sends.

Before a participant accepts the privacy notice the only thing stored about them is the channel
address on :class:`Conversation` (no Person, no name, no message text).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Conversation(models.Model):
    """Where one chat (Telegram chat, WhatsApp user, web chat session) is in the engine's flow."""

    channel = models.CharField(_("canal"), max_length=16)
    external_id = models.CharField(_("identificador en el canal"), max_length=128)
    person = models.ForeignKey(
        "participation.Person",
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bot_conversations",
    )
    state = models.CharField(_("estado"), max_length=32, default="new")
    # Draft idea, offered candidates… small and short-lived; cleared when the flow ends.
    data = models.JSONField(default=dict, blank=True)
    # Reply language before consent (from the platform's hint); the Person's afterwards.
    language = models.CharField(_("idioma"), max_length=8, default="es")
    # When the participant last wrote (their update reached the webhook): WhatsApp only lets a
    # business send free text within 24 hours of it; later pushes go as an approved template.
    last_inbound_at = models.DateTimeField(_("último mensaje recibido"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("conversación")
        verbose_name_plural = _("conversaciones")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="conversation_unique_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id} ({self.state})"


class InboundUpdate(models.Model):
    """A platform update stored verbatim before the webhook answers 200 (durable, idempotent)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        PROCESSED = "processed", _("Procesada")
        FAILED = "failed", _("Falló (se reintentará)")
        DEAD = "dead", _("Falló definitivamente")

    platform = models.CharField(_("plataforma"), max_length=16)
    update_id = models.CharField(_("id de la plataforma"), max_length=128)
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("actualización recibida")
        verbose_name_plural = _("actualizaciones recibidas")
        constraints = [
            models.UniqueConstraint(fields=["platform", "update_id"], name="inbound_update_once")
        ]
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.platform}:{self.update_id} ({self.status})"


class ChatMessage(models.Model):
    """A message of a conversation.

    Outgoing Telegram/WhatsApp replies are written here (``pending``) in the same transaction as
    the engine's state change, then sent; so a crash between the two neither loses nor repeats a
    reply. Web chat messages (both directions, after consent) are the chat's history.
    """

    class Direction(models.TextChoices):
        IN = "in", _("Recibido")
        OUT = "out", _("Enviado")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SENT = "sent", _("Enviado")
        FAILED = "failed", _("Fallido")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=4, choices=Direction.choices, default=Direction.OUT)
    text = models.TextField(blank=True)
    # [{"label": ..., "data": ...}], and optional {"callback_query_id": ...} for Telegram.
    buttons = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    # ``extra`` key of a bot reply that refused the person's message for its length
    # (``Reply.refused_too_long``): the web chat puts their text back in its input box.
    REFUSED_TOO_LONG = "refused_too_long"
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SENT)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("mensaje de chat")
        verbose_name_plural = _("mensajes de chat")
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.text[:40]}"

    @property
    def refused_too_long(self) -> bool:
        return bool(self.extra.get(self.REFUSED_TOO_LONG))
