"""Who should be at the table: the registry the convocation rule reads, every convocation by
any participatory space, the proposed lists and their invitations.

The rule itself is pure Python (:mod:`forum.convocation.rule`); every write goes through
:mod:`forum.convocation.services`. See ``docs/convocation.md``.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.participation.models import (
    ActorCategory,
    Council,
    Dialogue,
    Organisation,
    Person,
    Region,
)


class ValueChain(models.Model):
    """An economic sector or value chain (vitivinícola, acuícola, turismo…)."""

    name = models.CharField(_("nombre"), max_length=120, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("cadena de valor")
        verbose_name_plural = _("cadenas de valor")

    def __str__(self) -> str:
        return self.name


class PriorityChain(models.Model):
    """A value chain a region's Estrategia Regional de Desarrollo prioritises."""

    region = models.ForeignKey(
        Region, verbose_name=_("región"), on_delete=models.CASCADE, related_name="+"
    )
    chain = models.ForeignKey(
        ValueChain, verbose_name=_("cadena de valor"), on_delete=models.PROTECT
    )
    source = models.CharField(
        _("fuente"), max_length=200, blank=True, help_text=_("p. ej. ERD 2020-2030")
    )

    class Meta:
        ordering = ["region__ordinal", "chain__name"]
        verbose_name = _("cadena prioritaria de una región")
        verbose_name_plural = _("cadenas prioritarias de las regiones")
        constraints = [
            models.UniqueConstraint(fields=["region", "chain"], name="priority_chain_unique")
        ]

    def __str__(self) -> str:
        return f"{self.region}: {self.chain}"


class AtRiskGroup(models.TextChoices):
    WOMEN = "women", _("Mujeres")
    YOUTH = "youth", _("Jóvenes")
    DISABILITY = "disability", _("Personas con discapacidad")
    MIGRANTS = "migrants", _("Personas migrantes")
    INDIGENOUS = "indigenous", _("Pueblos indígenas")
    OLDER = "older", _("Personas mayores")
    REENTRY = "reentry", _("Personas privadas de libertad o egresadas")
    OTHER = "other", _("Otro grupo")


class Size(models.TextChoices):
    MICRO = "micro", _("Micro")
    SMALL = "small", _("Pequeña")
    MEDIUM = "medium", _("Mediana")
    LARGE = "large", _("Grande")


class OrganisationProfile(models.Model):
    """What the rule needs to know about an organisation, beside its name, region and category
    (``participation.Organisation``)."""

    organisation = models.OneToOneField(
        Organisation,
        verbose_name=_("organización"),
        on_delete=models.CASCADE,
        related_name="convocation_profile",
    )
    other_regions = models.ManyToManyField(
        Region, verbose_name=_("otras regiones donde actúa"), blank=True, related_name="+"
    )
    territory = models.CharField(
        _("comuna o provincia"),
        max_length=100,
        blank=True,
        help_text=_("Para repartir los cupos dentro de la región."),
    )
    value_chain = models.ForeignKey(
        ValueChain,
        verbose_name=_("sector o cadena de valor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    size = models.CharField(_("tamaño"), max_length=16, choices=Size.choices, blank=True)
    at_risk_group = models.CharField(
        _("representa a un grupo en riesgo de exclusión"),
        max_length=16,
        choices=AtRiskGroup.choices,
        blank=True,
    )
    active = models.BooleanField(_("convocable"), default=True)

    class Meta:
        verbose_name = _("ficha de convocatoria")
        verbose_name_plural = _("fichas de convocatoria")

    def __str__(self) -> str:
        return str(self.organisation)


class Contact(models.Model):
    """A person through whom an organisation is invited (their consent and channels are the
    Person's: ``consent_at``, ``email``, ``identities``)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        on_delete=models.CASCADE,
        related_name="contacts",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="contacts"
    )
    role = models.CharField(_("cargo"), max_length=120, blank=True)

    class Meta:
        ordering = ["organisation", "id"]
        verbose_name = _("contacto")
        verbose_name_plural = _("contactos")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "person"], name="contact_unique")
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.organisation})"


class Convocation(models.Model):
    """One organisation convened once, by any participatory space (ours or another's): what
    rotation and fatigue are counted from."""

    class Source(models.TextChoices):
        OURS = "ours", _("Foro Abierto")
        ENTERED = "entered", _("Ingresada por el equipo")
        IMPORTED = "imported", _("Importada")

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        on_delete=models.CASCADE,
        related_name="convocations",
    )
    date = models.DateField(_("fecha"))
    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("consejo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    space_name = models.CharField(
        _("espacio participativo"),
        max_length=200,
        blank=True,
        help_text=_("El de otra institución (p. ej. «COSOC Seremi del Trabajo»)."),
    )
    source = models.CharField(
        _("origen"), max_length=16, choices=Source.choices, default=Source.ENTERED
    )
    created_at = models.DateTimeField(_("registrada"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("convocatoria registrada")
        verbose_name_plural = _("convocatorias registradas")
        indexes = [models.Index(fields=["organisation", "-date"])]
        permissions = [("convene", _("Puede proponer listas y convocar"))]

    def __str__(self) -> str:
        space = self.space_name or self.dialogue or self.council
        return f"{self.organisation} — {space} ({self.date})"


class Proposal(models.Model):
    """The list for one dialogue or council renewal: its target and the seats the rule gave."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    council = models.ForeignKey(
        Council,
        verbose_name=_("consejo (renovación)"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    region = models.ForeignKey(Region, verbose_name=_("región"), on_delete=models.PROTECT)
    date = models.DateField(_("fecha del encuentro"))
    size = models.PositiveSmallIntegerField(_("cupos"))
    shares = models.JSONField(_("proporciones por categoría"), default=dict)
    fatigue_cap = models.PositiveSmallIntegerField(_("tope de convocatorias en 12 meses"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creada"), auto_now_add=True)
    shortfalls = models.JSONField(_("cupos sin llenar"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("propuesta de convocatoria")
        verbose_name_plural = _("propuestas de convocatoria")
        constraints = [
            models.CheckConstraint(
                condition=Q(dialogue__isnull=False, council__isnull=True)
                | Q(dialogue__isnull=True, council__isnull=False),
                name="proposal_one_space",
            )
        ]

    def __str__(self) -> str:
        return str(self.dialogue or self.council)

    @property
    def space(self) -> Dialogue | Council:
        return self.dialogue or self.council  # type: ignore[return-value]


class Seat(models.Model):
    """One organisation on a list. Its state says how far the invitation went."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Propuesta")
        INVITED = "invited", _("Invitada")
        CONFIRMED = "confirmed", _("Confirmó")
        DECLINED = "declined", _("No puede")
        ATTENDED = "attended", _("Asistió")
        SWAPPED = "swapped", _("Reemplazada por el equipo")
        # A contact proposed another person of the organisation («propongo a otra persona»):
        # the seat is kept for the organisation (never offered to the next one) while that
        # person is asked for consent and invited.
        DELEGATED = "delegated", _("Propuso a otra persona")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="seats")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organización"), on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices
    )
    position = models.PositiveSmallIntegerField(_("orden"))
    state = models.CharField(
        _("estado"), max_length=16, choices=State.choices, default=State.PROPOSED
    )
    # The rule's facts (rule.Reason) as JSON; the sentence is rendered in the reader's language.
    reason = models.JSONField(_("motivo"), default=dict, blank=True)
    note = models.TextField(_("nota del equipo"), blank=True)
    replaces = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "position"]
        verbose_name = _("cupo")
        verbose_name_plural = _("cupos")
        constraints = [
            models.UniqueConstraint(
                fields=["proposal", "organisation"],
                condition=~Q(state="swapped") & ~Q(state="declined"),
                name="seat_one_per_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_state_display()})"


def _token() -> str:
    return secrets.token_urlsafe(9)


class Invitation(models.Model):
    """One contact person invited for a seat; the answer buttons name it."""

    class Answer(models.TextChoices):
        PENDING = "", _("Sin respuesta")
        YES = "yes", _("Asistiré")
        NO = "no", _("No puedo")
        OTHER = "other", _("Propone a otra persona")

    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="+"
    )
    token = models.CharField(max_length=16, unique=True, default=_token)
    answer = models.CharField(
        _("respuesta"), max_length=8, choices=Answer.choices, blank=True, default=""
    )
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("recordatorio"), null=True, blank=True)
    attended_at = models.DateTimeField(_("asistió"), null=True, blank=True)
    created_at = models.DateTimeField(_("enviada"), auto_now_add=True)

    class Meta:
        ordering = ["seat", "id"]
        verbose_name = _("invitación")
        verbose_name_plural = _("invitaciones")
        constraints = [models.UniqueConstraint(fields=["seat", "person"], name="invitation_unique")]

    def __str__(self) -> str:
        return f"{self.person} → {self.seat}"


class Delegation(models.Model):
    """«Propongo a otra persona de mi organización»: the person an invitee proposed, kept as a
    contact of the organisation whose consent is pending until they answer the request sent to
    them (e-mail or WhatsApp). Only once they consent are they invited, for the same seat."""

    class State(models.TextChoices):
        PENDING = "pending", _("Esperando su consentimiento")
        CONSENTED = "consented", _("Consintió e invitada")
        REFUSED = "refused", _("No consintió")

    invitation = models.ForeignKey(
        Invitation,
        verbose_name=_("invitación de quien la propuso"),
        on_delete=models.CASCADE,
        related_name="delegations",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contacto propuesto"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("nombre"), max_length=150, blank=True)
    email = models.EmailField(_("correo"), blank=True)
    phone = models.CharField(_("WhatsApp"), max_length=20, blank=True)
    token = models.CharField(max_length=16, unique=True, default=_token)
    state = models.CharField(
        _("estado"), max_length=16, choices=State.choices, default=State.PENDING
    )
    created_at = models.DateTimeField(_("propuesta"), auto_now_add=True)
    answered_at = models.DateTimeField(_("respondida"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("persona propuesta")
        verbose_name_plural = _("personas propuestas")

    def __str__(self) -> str:
        return f"{self.name} ← {self.invitation}"


class ImportJob(models.Model):
    """A CSV uploaded on the staff page, imported by the worker (``manage.py work``, kind
    ``convocation_imports``). The file's text is kept here, so a restart loses nothing; each row
    is imported in one transaction with ``processed`` (and its rejection, if any), so a worker
    that dies goes on, after its lease, from the next row."""

    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("Organizaciones y sus contactos")
        CONVOCATIONS = "convocations", _("Convocatorias de otros espacios")

    class Status(models.TextChoices):
        PENDING = "pending", _("En espera")
        RUNNING = "running", _("Importando")
        FAILED = "failed", _("Falló; se reintentará")
        DONE = "done", _("Terminada")
        DEAD = "dead", _("Falló")

    kind = models.CharField(_("tipo"), max_length=16, choices=Kind.choices)
    file_name = models.CharField(_("archivo"), max_length=200)
    content = models.TextField(_("contenido"))
    delimiter = models.CharField(_("separador"), max_length=1, default=",")
    # The uploader's language: the rejection reasons are written in it.
    language = models.CharField(_("idioma"), max_length=8, default="es")
    status = models.CharField(
        _("estado"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    total = models.PositiveIntegerField(_("filas"), default=0)
    processed = models.PositiveIntegerField(_("filas procesadas"), default=0)
    created = models.PositiveIntegerField(_("filas importadas"), default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    available_at = models.DateTimeField(null=True, blank=True)
    leased_until = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("subida"), auto_now_add=True)
    processed_at = models.DateTimeField(_("terminada"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("importación CSV")
        verbose_name_plural = _("importaciones CSV")
        indexes = [models.Index(fields=["status", "available_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file_name}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.processed * 100 // self.total)


class ImportRejectedRow(models.Model):
    """A row of an uploaded CSV that was not imported, and why (in the uploader's language)."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="rejected_rows")
    line = models.PositiveIntegerField(_("línea"))
    name = models.CharField(_("nombre"), max_length=200, blank=True)
    reason = models.TextField(_("motivo"))

    class Meta:
        ordering = ["job", "line", "id"]
        verbose_name = _("fila rechazada")
        verbose_name_plural = _("filas rechazadas")

    def __str__(self) -> str:
        return f"{self.line}: {self.reason}"
