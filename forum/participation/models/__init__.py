"""Participation domain: regions, organisations, people, councils, dialogues, ideas, supports.

The idea lifecycle (statuses and allowed transitions) lives in :mod:`forum.participation.lifecycle`;
every write goes through :mod:`forum.participation.services`. An idea's status history
(:class:`StatusChange`) is in ``history.py``, re-exported here.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..lifecycle import IdeaStatus
from ..search import folded_expression
from .history import StatusChange as StatusChange

# A moderator's public reason for hiding an idea or a post (shown in its place).
HIDDEN_REASON_MAX_LENGTH = 300


class ActorCategory(models.TextChoices):
    """The four kinds of actors of SENCE's model, plus the public sector."""

    EMPLOYERS = "employers", _("Demanda de trabajadores calificados (empleadores)")
    SELF_EMPLOYMENT = "self_employment", _("Autoempleo y microempresa en cadenas de valor")
    EXCLUSION_GROUPS = "exclusion_groups", _("Grupos en riesgo de exclusión laboral")
    TRAINING_PROVIDERS = "training_providers", _("Oferta de capacitación e inserción laboral")
    PUBLIC_SECTOR = "public_sector", _("Sector público")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    TELEGRAM = "telegram", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WEBCHAT = "webchat", _("Chat web")
    IN_PERSON = "in_person", _("Transcripción presencial")
    IMPORT = "import", _("Importación")


class Region(models.Model):
    code = models.CharField(_("código"), max_length=8, unique=True)
    name = models.CharField(_("nombre"), max_length=100)
    ordinal = models.PositiveSmallIntegerField(_("orden norte-sur"), unique=True)
    slug = models.SlugField(unique=True)

    class Meta:
        ordering = ["ordinal"]
        verbose_name = _("región")
        verbose_name_plural = _("regiones")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    name = models.CharField(_("nombre"), max_length=200)
    region = models.ForeignKey(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.PROTECT
    )
    actor_category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organización")
        verbose_name_plural = _("organizaciones")
        constraints = [
            models.UniqueConstraint(fields=["name", "region"], name="organisation_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """A participant. May have a web account and several bot identities (ChannelIdentity)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cuenta web"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    display_name = models.CharField(_("nombre"), max_length=150, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    language = models.CharField(_("idioma"), max_length=8, choices=settings.LANGUAGES, default="es")
    region = models.ForeignKey(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.SET_NULL
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    actor_category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices, blank=True
    )
    consent_at = models.DateTimeField(_("consentimiento (Ley 21.719)"), null=True, blank=True)
    email_notifications = models.BooleanField(_("avisos por correo"), default=True)
    erased_at = models.DateTimeField(_("datos borrados"), null=True, blank=True)
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        ordering = ["display_name", "id"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.display_name or self.anonymous_name

    @property
    def anonymous_name(self) -> str:
        """What shows instead of a name: without one, or once erased."""
        return _("Participante #%(id)s") % {"id": self.pk}


class ChannelIdentity(models.Model):
    """How to reach a person on one channel (web account, Telegram chat, WhatsApp user)."""

    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="identities"
    )
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    external_id = models.CharField(_("identificador en el canal"), max_length=128)
    unreachable_at = models.DateTimeField(_("inalcanzable desde"), null=True, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("identidad de canal")
        verbose_name_plural = _("identidades de canal")
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="identity_unique_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"


class Council(models.Model):
    class Kind(models.TextChoices):
        REGIONAL = "regional", _("Consejo Regional de Empleabilidad")
        NATIONAL = "national", _("Consejo Nacional")

    name = models.CharField(_("nombre"), max_length=200)
    slug = models.SlugField(unique=True)
    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    region = models.OneToOneField(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(_("descripción"), blank=True)
    answer_days = models.PositiveSmallIntegerField(
        _("plazo de respuesta (días)"),
        default=30,
        validators=[MinValueValidator(1)],
        help_text=_("Días que tiene el consejo para responder una idea que se le deriva."),
    )

    class Meta:
        ordering = ["kind", "region__ordinal"]
        verbose_name = _("consejo")
        verbose_name_plural = _("consejos")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="national", region__isnull=True)
                | Q(kind="regional", region__isnull=False),
                name="council_region_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Preside (Director/a Regional SENCE)")
        SECRETARY = "secretary", _("Secretaría")
        MEMBER = "member", _("Integrante")

    council = models.ForeignKey(
        Council, verbose_name=_("consejo"), on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor_category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices
    )
    role = models.CharField(_("rol"), max_length=16, choices=Role.choices, default=Role.MEMBER)
    term_start = models.DateField(_("inicio del período"))
    term_end = models.DateField(_("fin del período"), null=True, blank=True)

    class Meta:
        ordering = ["council", "role", "person"]
        verbose_name = _("membresía")
        verbose_name_plural = _("membresías")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gte=models.F("term_start")),
                name="membership_term_ordered",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.council} ({self.get_role_display()})"


class Topic(models.Model):
    """A theme of conversation ("¿Qué debatir?")."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)
    name_en = models.CharField(
        _("nombre en inglés"),
        max_length=120,
        blank=True,
        help_text=_("Lo que muestran las páginas en inglés; vacío: el nombre en español."),
    )
    slug = models.SlugField(unique=True)
    description = models.TextField(_("descripción"), blank=True)
    description_en = models.TextField(
        _("descripción en inglés"),
        blank=True,
        help_text=_("Lo que muestran las páginas en inglés; vacío: la descripción en español."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tema")
        verbose_name_plural = _("temas")

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The topic's name in the active language (topics are rows, not gettext strings)."""
        return self._in_language(self.name, self.name_en)

    @property
    def description_label(self) -> str:
        """The topic's description in the active language."""
        return self._in_language(self.description, self.description_en)

    @staticmethod
    def _in_language(spanish: str, english: str) -> str:
        if english and (translation.get_language() or "").startswith("en"):
            return english
        return spanish


class Dialogue(models.Model):
    """A face-to-face "Diálogo de Innovación Ciudadana" of a council."""

    class Phase(models.TextChoices):
        GUIDELINES = "guidelines", _("Directrices estratégicas")
        PLANNING = "planning", _("Planificación")
        REALISATION = "realisation", _("Realización")
        CELEBRATION = "celebration", _("Celebración")

    title = models.CharField(_("título"), max_length=200)
    slug = models.SlugField(unique=True)
    council = models.ForeignKey(
        Council, verbose_name=_("consejo"), on_delete=models.PROTECT, related_name="dialogues"
    )
    region = models.ForeignKey(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.PROTECT
    )
    date = models.DateField(_("fecha"))
    place = models.CharField(_("lugar"), max_length=200, blank=True)
    facilitators = models.CharField(_("facilitadores"), max_length=300, blank=True)
    phase = models.CharField(
        _("fase"), max_length=16, choices=Phase.choices, default=Phase.GUIDELINES
    )
    is_active = models.BooleanField(_("activo"), default=True)
    dot_budget = models.PositiveSmallIntegerField(
        _("votos por persona"),
        null=True,
        blank=True,
        help_text=_("Si se indica, cada persona puede apoyar a lo más esta cantidad de ideas."),
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("temas"), blank=True)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("diálogo")
        verbose_name_plural = _("diálogos")

    def __str__(self) -> str:
        return self.title


class Idea(models.Model):
    tracking_code = models.CharField(_("código de seguimiento"), max_length=8, unique=True)
    title = models.CharField(_("título"), max_length=settings.IDEA_TITLE_MAX_LENGTH)
    body = models.TextField(_("texto"), max_length=settings.IDEA_MAX_LENGTH, blank=True)
    original_text = models.TextField(
        _("texto original"), blank=True, help_text=_("Tal como llegó (p. ej. HTML importado).")
    )
    author = models.ForeignKey(
        Person,
        verbose_name=_("autor/a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    channel = models.CharField(_("canal"), max_length=16, choices=Channel.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("región"), null=True, blank=True, on_delete=models.PROTECT
    )
    topic = models.ForeignKey(
        Topic, verbose_name=_("tema"), null=True, blank=True, on_delete=models.SET_NULL
    )
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    status = models.CharField(
        _("estado"), max_length=24, choices=IdeaStatus.choices, default=IdeaStatus.RECEIVED
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionada en"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_ideas",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("consejo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ideas",
    )
    agenda_dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("en agenda de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_ideas",
    )
    answer_due = models.DateField(_("plazo de respuesta"), null=True, blank=True)
    public_answer = models.TextField(_("respuesta pública"), blank=True)
    support_count = models.PositiveIntegerField(_("apoyos"), default=0)
    external_source = models.CharField(_("fuente externa"), max_length=32, blank=True)
    external_id = models.CharField(
        _("identificador en la fuente externa"), max_length=64, blank=True
    )
    hidden_at = models.DateTimeField(_("oculta desde"), null=True, blank=True)
    hidden_reason = models.CharField(_("motivo"), max_length=HIDDEN_REASON_MAX_LENGTH, blank=True)
    created_at = models.DateTimeField(_("recibida"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("actualizada"), auto_now=True)
    # Title and text without case or accents, computed by the database on every write: the
    # idea search looks here (see forum.participation.search).
    search_text = models.GeneratedField(
        expression=folded_expression(
            Concat("title", Value(" "), "body", output_field=models.TextField())
        ),
        output_field=models.TextField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        indexes = [
            models.Index(fields=["status", "-created_at"]),
            models.Index(fields=["region", "-created_at"]),
            models.Index(fields=["-support_count", "-id"]),
            models.Index(fields=["updated_at"], name="idea_updated_at_idx"),  # index catch-up
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["external_source", "external_id"],
                condition=~Q(external_id=""),
                name="idea_unique_external_id",
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=models.F("id")), name="idea_not_merged_into_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.formatted_code} · {self.title}"

    @property
    def formatted_code(self) -> str:
        return f"{self.tracking_code[:4]}-{self.tracking_code[4:]}"


class IdeaCoauthor(models.Model):
    """A person who shares authorship of an idea (e.g. after a merge)."""

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="coauthorships")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="coauthorships")
    via_idea = models.ForeignKey(
        Idea,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text=_("Idea fusionada que aportó esta coautoría."),
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        verbose_name = _("coautoría")
        verbose_name_plural = _("coautorías")
        constraints = [models.UniqueConstraint(fields=["idea", "person"], name="coauthor_unique")]

    def __str__(self) -> str:
        return f"{self.person} · {self.idea.formatted_code}"


class Support(models.Model):
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="supports"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="supports"
    )
    dialogue = models.ForeignKey(
        Dialogue,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        help_text=_("Diálogo cuyo presupuesto de votos consume este apoyo."),
    )
    channel = models.CharField(
        _("canal"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        # Without a context this msgid would be the singular of the idea list's count
        # ("apoyo"/"apoyos", one plural entry), and a plain gettext lookup never finds those.
        verbose_name = pgettext_lazy("modelo", "apoyo")
        verbose_name_plural = _("apoyos")
        constraints = [
            models.UniqueConstraint(fields=["idea", "person"], name="support_once_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.idea.formatted_code}"
