"""An idea's public history: one row per transition of its lifecycle (re-exported from
:mod:`forum.participation.models`; the idea is named by its label, so this module needs nothing
from there)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..lifecycle import IdeaStatus, SystemMessage, shown_message


class StatusChange(models.Model):
    """One recorded transition of an idea's public lifecycle."""

    idea = models.ForeignKey("participation.Idea", on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(
        _("desde"), max_length=24, choices=IdeaStatus.choices, blank=True
    )
    to_status = models.CharField(_("hacia"), max_length=24, choices=IdeaStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    public_message = models.TextField(_("mensaje público"), blank=True)
    # Set when the system wrote the message: pages show it in the reader's language, while
    # public_message keeps it in Spanish for the API, the bots and the admin's search.
    system_message = models.CharField(
        _("mensaje del sistema"),
        max_length=16,
        choices=SystemMessage.choices,
        blank=True,
        default="",
    )
    # The system message's parameters as they were when it was written ({"council": name},
    # {"dialogue": title}, {"code": "ABCD-1234"}), so a later rename does not rewrite history.
    system_params = models.JSONField(
        _("parámetros del mensaje del sistema"), default=dict, blank=True
    )
    related_idea = models.ForeignKey(
        "participation.Idea", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("cambio de estado")
        verbose_name_plural = _("historial de estados")

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status}"

    @property
    def message(self) -> str:
        """The public message as a reader sees it (pages, bots, API): the system's own ones in
        the active language, what a person typed as typed."""
        return shown_message(self.system_message, self.system_params, self.public_message)
