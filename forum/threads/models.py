"""Live threads: the conversation between face-to-face meetings.

A :class:`Thread` belongs to a dialogue's topic, a council (or an agenda item of one of its
meetings) or an idea. Its :class:`Post` rows keep the raw Markdown source and a cached,
sanitised rendering; edits keep :class:`PostRevision` rows, deletions by the author are soft,
and a moderator's hide keeps the content. Every write goes through
:mod:`forum.threads.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.participation.models import (
    HIDDEN_REASON_MAX_LENGTH,
    Council,
    Dialogue,
    Idea,
    Person,
    Topic,
)


class AgendaItem(models.Model):
    """One point on the agenda of a council's face-to-face meeting."""

    council = models.ForeignKey(
        Council, verbose_name=_("consejo"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    meeting_date = models.DateField(_("fecha de la reunión"), null=True, blank=True)
    title = models.CharField(_("título"), max_length=200)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        ordering = ["-meeting_date", "id"]
        verbose_name = _("punto de tabla")
        verbose_name_plural = _("puntos de tabla")

    def __str__(self) -> str:
        return self.title


class Thread(models.Model):
    class Kind(models.TextChoices):
        TOPIC = "topic", _("Tema de diálogo")
        COUNCIL = "council", _("Consejo")
        AGENDA_ITEM = "agenda_item", _("Punto de tabla")
        IDEA = "idea", _("Idea")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Público")
        COUNCIL_INTERNAL = "council_internal", _("Interno del consejo")

    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    title = models.CharField(_("título"), max_length=200)
    visibility = models.CharField(
        _("visibilidad"), max_length=20, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("tema"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("consejo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("punto de tabla"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="threads",
    )
    idea = models.OneToOneField(
        Idea,
        verbose_name=_("idea"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="thread",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)
    last_post_at = models.DateTimeField(_("último mensaje"), null=True, blank=True, db_index=True)

    class Meta:
        ordering = [models.F("last_post_at").desc(nulls_last=True), "-id"]
        verbose_name = _("hilo")
        verbose_name_plural = _("hilos")
        constraints = [
            models.CheckConstraint(
                condition=~Q(visibility="council_internal") | Q(council__isnull=False),
                name="thread_internal_needs_council",
            ),
            models.CheckConstraint(
                condition=~Q(kind="idea") | Q(idea__isnull=False),
                name="thread_idea_kind_has_idea",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_internal(self) -> bool:
        return self.visibility == self.Visibility.COUNCIL_INTERNAL


class Post(models.Model):
    thread = models.ForeignKey(
        Thread, verbose_name=_("hilo"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        Person, verbose_name=_("autor/a"), on_delete=models.PROTECT, related_name="thread_posts"
    )
    body = models.TextField(_("texto (Markdown)"))
    body_html = models.TextField(_("texto presentado"), blank=True)
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("en respuesta a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    is_minutes = models.BooleanField(_("acta de reunión"), default=False)
    created_at = models.DateTimeField(_("publicado"), auto_now_add=True)
    edited_at = models.DateTimeField(_("editado"), null=True, blank=True)
    # Last edit, delete, hide or restore: lets a reconnecting client catch up on older posts.
    changed_at = models.DateTimeField(_("último cambio"), null=True, blank=True, db_index=True)
    deleted_at = models.DateTimeField(_("eliminado"), null=True, blank=True)
    hidden_at = models.DateTimeField(_("oculto desde"), null=True, blank=True)
    hidden_reason = models.CharField(_("motivo"), max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ocultado por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        verbose_name = _("mensaje")
        verbose_name_plural = _("mensajes")
        indexes = [models.Index(fields=["thread", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.thread_id}"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_visible(self) -> bool:
        return self.deleted_at is None and self.hidden_at is None


class PostRevision(models.Model):
    """The text a post had before one edit (the visible edit history)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField(_("texto anterior"))
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("versión anterior")
        verbose_name_plural = _("versiones anteriores")

    def __str__(self) -> str:
        return f"#{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Follow(models.Model):
    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="follows")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="thread_follows")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("seguimiento")
        verbose_name_plural = _("seguimientos")
        constraints = [models.UniqueConstraint(fields=["thread", "person"], name="follow_once")]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.thread_id}"
