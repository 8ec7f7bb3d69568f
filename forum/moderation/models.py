"""Moderation records: the append-only audit log, merge records (what unmerge restores),
reports from participants, and which user answers for which council.

Every write goes through :mod:`forum.moderation.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.participation.models import Council, Idea, Person


class AuditEntry(models.Model):
    """One moderation action: who, what, on which object, before/after, why. Append-only."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Vacío cuando lo hizo el sistema (p. ej. ocultar por reportes)."),
    )
    action = models.CharField(_("acción"), max_length=40, db_index=True)
    target_type = models.CharField(_("tipo de objeto"), max_length=60)
    target_id = models.CharField(_("objeto"), max_length=64)
    before = models.JSONField(_("antes"), default=dict, blank=True)
    after = models.JSONField(_("después"), default=dict, blank=True)
    reason = models.TextField(_("motivo"), blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("registro de auditoría")
        verbose_name_plural = _("registro de auditoría")
        indexes = [models.Index(fields=["target_type", "target_id"])]
        permissions = [
            ("moderate", _("Puede moderar (cola, fusiones, derivaciones, reportes)")),
            ("answer_any_council", _("Puede responder por cualquier consejo")),
            ("answer_for_council", _("Puede responder por su consejo (secretaría)")),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"


class Merge(models.Model):
    """One idea merged into a canonical one, with exactly what moved (``snapshot``).

    ``snapshot`` keys: ``status_before``, ``moved_supports`` (Support ids moved to the canonical
    idea), ``coauthors_added`` (IdeaCoauthor ids created on the canonical idea),
    ``canonical_text_before`` / ``canonical_text_after`` (``{"title", "body"}`` or null).
    """

    canonical = models.ForeignKey(
        Idea, verbose_name=_("idea canónica"), on_delete=models.PROTECT, related_name="+"
    )
    merged = models.ForeignKey(
        Idea,
        verbose_name=_("idea fusionada"),
        on_delete=models.PROTECT,
        related_name="merge_records",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("motivo"), blank=True)
    snapshot = models.JSONField(default=dict)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    undone_at = models.DateTimeField(_("deshecha"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("fusión")
        verbose_name_plural = _("fusiones")
        constraints = [
            # At most one live merge per idea: the database itself refuses a double merge.
            models.UniqueConstraint(
                fields=["merged"], condition=Q(undone_at__isnull=True), name="merge_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.merged_id} → #{self.canonical_id}"


class Report(models.Model):
    """A participant flags an idea or a thread post. One report per person and content."""

    reporter = models.ForeignKey(
        Person, verbose_name=_("reportado por"), on_delete=models.CASCADE, related_name="reports"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    reason = models.CharField(_("motivo"), max_length=500)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("revisado"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reporte")
        verbose_name_plural = _("reportes")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "content_type", "object_id"], name="report_once_per_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reporter} → {self.content_type.model}#{self.object_id}"


class CouncilSecretary(models.Model):
    """A user who answers, on behalf of one council, the ideas routed to it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("usuario"),
        on_delete=models.CASCADE,
        related_name="council_secretaryships",
    )
    council = models.ForeignKey(
        Council, verbose_name=_("consejo"), on_delete=models.CASCADE, related_name="secretaries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("secretaría de consejo")
        verbose_name_plural = _("secretarías de consejo")
        constraints = [models.UniqueConstraint(fields=["user", "council"], name="secretary_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.council}"


class DuplicateGroup(models.Model):
    """Ideas proposed to a moderator as one duplicate group: each member scored at least the
    matcher's clustering threshold against ``canonical`` when it joined (a star, never a chain).

    Kept current by ``services.groups`` as ideas arrive, are edited, hidden, merged and
    unmerged. Every member (the canonical idea too) has one ``GroupMember`` row; an idea is in
    at most one group (unique ``GroupMember.idea``).
    """

    canonical = models.ForeignKey(
        Idea, verbose_name=_("idea canónica propuesta"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)
    updated_at = models.DateTimeField(_("actualizado"), auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("grupo de duplicados")
        verbose_name_plural = _("grupos de duplicados")

    def __str__(self) -> str:
        return f"grupo {self.pk} ({self.canonical_id})"


class GroupMember(models.Model):
    group = models.ForeignKey(DuplicateGroup, on_delete=models.CASCADE, related_name="members")
    idea = models.OneToOneField(Idea, on_delete=models.CASCADE, related_name="duplicate_group")
    # Score against the group's canonical idea when it joined (100 for the canonical itself).
    score = models.FloatField(default=100.0)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.idea_id} ∈ {self.group_id}"


class NotDuplicate(models.Model):
    """A moderator (or the author's «Mi idea es distinta») said these two ideas are not the
    same: they are never proposed in one group again. Stored once, ``idea_a_id < idea_b_id``."""

    idea_a = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    idea_b = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ideas distintas")
        verbose_name_plural = _("ideas distintas")
        constraints = [
            models.UniqueConstraint(fields=["idea_a", "idea_b"], name="not_duplicate_once"),
            models.CheckConstraint(
                condition=Q(idea_a__lt=models.F("idea_b")), name="not_duplicate_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.idea_a_id} ≠ {self.idea_b_id}"
