"""The notification outbox.

A :class:`Notification` is written in the same transaction as the change that causes it; one
:class:`Delivery` row per channel it must reach (web inbox, e-mail, Telegram, WhatsApp…) is what
the worker takes, sends and marks. The inbox shows Notifications.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from forum.participation.models import Idea, Person


class Notification(models.Model):
    class Kind(models.TextChoices):
        STATUS_CHANGED = "status_changed", _("Cambio de estado")
        MERGED = "merged", _("Idea fusionada")
        UNMERGED = "unmerged", _("Fusión deshecha")
        HIDDEN = "hidden", _("Contenido oculto")
        RESTORED = "restored", _("Contenido restaurado")
        THREAD_POST = "thread_post", _("Nuevo mensaje en un hilo")
        THREAD_REPLY = "thread_reply", _("Respuesta a tu mensaje")
        INVITATION = "invitation", _("Invitación a un encuentro")
        CONTACT_CONSENT = "contact_consent", _("Solicitud de consentimiento como contacto")
        DIALOGUE_PHASE = "dialogue_phase", _("Nueva fase de un diálogo")
        DIALOGUE_SURVEY = "dialogue_survey", _("Encuesta de un diálogo")
        DIALOGUE_RESULTS = "dialogue_results", _("Resultados de un diálogo")

    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("tipo"), max_length=24, choices=Kind.choices)
    idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    # Small, language-neutral facts; the text is rendered in the person's language on display
    # and at delivery time.
    payload = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("creada"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("leída"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notificación")
        verbose_name_plural = _("notificaciones")
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.person}"


class Delivery(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        SENDING = "sending", _("Enviando")
        SENT = "sent", _("Enviada")
        FAILED = "failed", _("Fallida (sin más intentos)")
        SKIPPED = "skipped", _("Omitida (destinatario inalcanzable)")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(_("canal"), max_length=16)
    # For bot channels: which identity (chat id / phone / user id) to send to.
    address = models.CharField(_("dirección"), max_length=255, blank=True)
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("intentos"), default=0)
    available_at = models.DateTimeField(_("disponible desde"), db_index=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    sent_at = models.DateTimeField(_("enviada"), null=True, blank=True)
    last_error = models.TextField(_("último error"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["available_at", "id"]
        verbose_name = _("entrega")
        verbose_name_plural = _("entregas")
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel", "address"], name="delivery_unique"
            )
        ]
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.channel} #{self.notification_id} ({self.status})"
