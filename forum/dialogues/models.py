"""Dialogues as living spaces: the four phases of a «Diálogo de Innovación Ciudadana» and what
happens in each (docs/dialogues.md).

The dialogue itself stays :class:`forum.participation.models.Dialogue` (phase, topics, dot
budget, council, region); this app adds what the phases need around it:

- :class:`DialogueSpace` — one per dialogue: when and where exactly, the session code, when the
  agenda, tables and results were published;
- :class:`PhasePlan` and :class:`PhaseChange` — the timeline: planned dates per phase and the
  transitions actually made (``services.dialogue_advance``);
- Directrices: :class:`GuidingQuestion` («¿Qué debatir?»);
- Planificación: :class:`AgendaPoint` (published as a council agenda item with its thread),
  :class:`Table` and :class:`Seat` («mesas»);
- Realización: :class:`CheckIn` (attendance is counted from these, never typed),
  :class:`TableIdea` (ideas a table's facilitator entered), :class:`Vote` (dot voting),
  :class:`ClosingWord` («¿Qué palabra te llevas?»);
- Celebración: :class:`SurveyAnswer` («¿Cómo evalúas el método?»).

Rows that count something (check-ins, votes, words, survey answers) keep the actor category and
organisation they were made with and lose only the person on erasure, so the dialogue's figures
do not change when someone exercises their rights (``privacy.py``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from forum.participation.models import (
    ActorCategory,
    Channel,
    Dialogue,
    Idea,
    Organisation,
    Person,
    Topic,
)
from forum.threads.models import AgendaItem, Thread

Phase = Dialogue.Phase

SESSION_CODE_LENGTH = 6
CLOSING_WORD_MAX_LENGTH = 40
SURVEY_COMMENT_MAX_LENGTH = 1000


class DialogueSpace(models.Model):
    """What a dialogue needs beyond its record: the exact time and address, the session code
    people type in the bot to check in, and when each phase's output was published."""

    dialogue = models.OneToOneField(
        Dialogue,
        verbose_name=_("diálogo"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="space",
    )
    starts_at = models.DateTimeField(_("comienza"), null=True, blank=True)
    ends_at = models.DateTimeField(_("termina"), null=True, blank=True)
    address = models.CharField(_("dirección"), max_length=300, blank=True)
    session_code = models.CharField(
        _("código de la sesión"),
        max_length=SESSION_CODE_LENGTH,
        unique=True,
        help_text=_("Se escribe en el bot para registrar la asistencia."),
    )
    agenda_published_at = models.DateTimeField(_("agenda publicada"), null=True, blank=True)
    tables_published_at = models.DateTimeField(_("mesas publicadas"), null=True, blank=True)
    survey_sent_at = models.DateTimeField(_("encuesta enviada"), null=True, blank=True)
    results_published_at = models.DateTimeField(_("resultados publicados"), null=True, blank=True)
    results_summary = models.TextField(
        _("qué viene ahora"),
        blank=True,
        help_text=_("Texto que acompaña los resultados: los próximos pasos."),
    )

    class Meta:
        verbose_name = _("espacio del diálogo")
        verbose_name_plural = _("espacios de los diálogos")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True)
                | Q(starts_at__isnull=True)
                | Q(ends_at__gte=models.F("starts_at")),
                name="dialogue_space_times_ordered",
            )
        ]

    def __str__(self) -> str:
        return str(self.dialogue)


class PhasePlan(models.Model):
    """The planned dates of one phase of a dialogue (the public timeline)."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("diálogo"), on_delete=models.CASCADE, related_name="phase_plans"
    )
    phase = models.CharField(_("fase"), max_length=16, choices=Phase.choices)
    starts_on = models.DateField(_("desde"), null=True, blank=True)
    ends_on = models.DateField(_("hasta"), null=True, blank=True)

    class Meta:
        ordering = ["dialogue", "starts_on"]
        verbose_name = _("fechas de una fase")
        verbose_name_plural = _("fechas de las fases")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "phase"], name="phase_plan_once"),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="phase_plan_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.get_phase_display()}"


class PhaseChange(models.Model):
    """A transition actually made, by whom and when (``services.dialogue_advance``)."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        on_delete=models.CASCADE,
        related_name="phase_changes",
    )
    from_phase = models.CharField(_("desde"), max_length=16, choices=Phase.choices)
    to_phase = models.CharField(_("hacia"), max_length=16, choices=Phase.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("nota"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at", "id"]
        verbose_name = _("cambio de fase")
        verbose_name_plural = _("cambios de fase")

    def __str__(self) -> str:
        return f"{self.dialogue}: {self.from_phase} → {self.to_phase}"


class GuidingQuestion(models.Model):
    """One of the questions a dialogue asks («¿Qué debatir?»), in the order they are shown."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        on_delete=models.CASCADE,
        related_name="guiding_questions",
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    text = models.CharField(_("pregunta"), max_length=300)
    topic = models.ForeignKey(
        Topic, verbose_name=_("tema"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        ordering = ["dialogue", "position", "id"]
        verbose_name = _("pregunta orientadora")
        verbose_name_plural = _("preguntas orientadoras")

    def __str__(self) -> str:
        return self.text


class AgendaPoint(models.Model):
    """A point of the dialogue's agenda: proposed from the region's most supported ideas (or
    written by staff), edited, then published as the council's agenda item with its thread."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        on_delete=models.CASCADE,
        related_name="agenda_points",
    )
    position = models.PositiveSmallIntegerField(_("orden"), default=0)
    title = models.CharField(_("título"), max_length=200)
    description = models.TextField(_("descripción"), blank=True)
    topic = models.ForeignKey(
        Topic, verbose_name=_("tema"), null=True, blank=True, on_delete=models.SET_NULL
    )
    source_idea = models.ForeignKey(
        Idea,
        verbose_name=_("idea de origen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_points",
    )
    agenda_item = models.OneToOneField(
        AgendaItem,
        verbose_name=_("punto de tabla publicado"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_point",
    )
    thread = models.ForeignKey(
        Thread,
        verbose_name=_("hilo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("creado"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "position", "id"]
        verbose_name = _("punto de la agenda")
        verbose_name_plural = _("agenda")

    def __str__(self) -> str:
        return self.title


class Table(models.Model):
    """A «mesa» of the session: a few people of different categories and organisations."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("diálogo"), on_delete=models.CASCADE, related_name="tables"
    )
    number = models.PositiveSmallIntegerField(_("número"))
    topic = models.ForeignKey(
        Topic, verbose_name=_("tema"), null=True, blank=True, on_delete=models.SET_NULL
    )
    facilitator = models.ForeignKey(
        Person,
        verbose_name=_("facilitador/a"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="facilitated_tables",
    )

    class Meta:
        ordering = ["dialogue", "number"]
        verbose_name = _("mesa")
        verbose_name_plural = _("mesas")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "number"], name="table_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {_('Mesa')} {self.number}"


class Seat(models.Model):
    """A person seated at a table, with the organisation and category they come for."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("diálogo"), on_delete=models.CASCADE, related_name="seats"
    )
    table = models.ForeignKey(
        Table, verbose_name=_("mesa"), on_delete=models.CASCADE, related_name="seats"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("persona"), on_delete=models.CASCADE, related_name="seats"
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor_category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices, blank=True
    )

    class Meta:
        ordering = ["table", "id"]
        verbose_name = _("asiento")
        verbose_name_plural = _("asientos")
        constraints = [
            models.UniqueConstraint(fields=["dialogue", "person"], name="seat_once_per_dialogue")
        ]

    def __str__(self) -> str:
        return f"{self.table} · {self.person}"


class CheckIn(models.Model):
    """A person present at the session. Attendance figures are counted from these rows."""

    class Method(models.TextChoices):
        QR = "qr", _("Código QR")
        CODE = "code", _("Código de la sesión")
        MANUAL = "manual", _("Registro manual")

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("diálogo"), on_delete=models.CASCADE, related_name="checkins"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="checkins",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organización"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    actor_category = models.CharField(
        _("categoría de actor"), max_length=32, choices=ActorCategory.choices, blank=True
    )
    method = models.CharField(_("cómo"), max_length=8, choices=Method.choices)
    channel = models.CharField(
        _("canal"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("llegada"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at", "id"]
        verbose_name = _("asistencia")
        verbose_name_plural = _("asistencias")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "person"],
                condition=Q(person__isnull=False),
                name="checkin_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.person or '—'}"


class TableIdea(models.Model):
    """An idea entered during the session for a table (by its facilitator or imported from the
    flipcharts afterwards)."""

    table = models.ForeignKey(
        Table, verbose_name=_("mesa"), on_delete=models.CASCADE, related_name="table_ideas"
    )
    idea = models.OneToOneField(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="table_idea"
    )
    entered_by = models.ForeignKey(
        Person,
        verbose_name=_("ingresada por"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["table", "created_at"]
        verbose_name = _("idea de una mesa")
        verbose_name_plural = _("ideas de las mesas")

    def __str__(self) -> str:
        return f"{self.table} · {self.idea}"


class Vote(models.Model):
    """One dot of an attendee's dot voting: at most one per idea, at most the dialogue's
    ``dot_budget`` per person (checked by the service that casts it)."""

    dialogue = models.ForeignKey(
        Dialogue, verbose_name=_("diálogo"), on_delete=models.CASCADE, related_name="votes"
    )
    idea = models.ForeignKey(
        Idea, verbose_name=_("idea"), on_delete=models.CASCADE, related_name="dialogue_votes"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue_votes",
    )
    channel = models.CharField(
        _("canal"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at", "id"]
        verbose_name = _("voto")
        verbose_name_plural = _("votos")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "person", "idea"],
                condition=Q(person__isnull=False),
                name="vote_once_per_idea",
            )
        ]
        indexes = [models.Index(fields=["dialogue", "idea"], name="vote_dialogue_idea_idx")]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.idea_id}"


class ClosingWord(models.Model):
    """The word an attendee takes away («¿Qué palabra te llevas?»), for the closing cloud."""

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        on_delete=models.CASCADE,
        related_name="closing_words",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="closing_words",
    )
    word = models.CharField(_("palabra"), max_length=CLOSING_WORD_MAX_LENGTH)
    # Lower case without accents: the cloud counts «Confianza» and «confianza» once.
    normalised = models.CharField(_("palabra normalizada"), max_length=CLOSING_WORD_MAX_LENGTH)
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at", "id"]
        verbose_name = _("palabra de cierre")
        verbose_name_plural = _("palabras de cierre")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "person"],
                condition=Q(person__isnull=False),
                name="closing_word_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.word


class SurveyAnswer(models.Model):
    """An attendee's rating of the method («¿Cómo evalúas el método?»)."""

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("Excelente")
        GOOD = "good", _("Bueno")
        FAIR = "fair", _("Regular")
        POOR = "poor", _("Malo")

    dialogue = models.ForeignKey(
        Dialogue,
        verbose_name=_("diálogo"),
        on_delete=models.CASCADE,
        related_name="survey_answers",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("persona"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_answers",
    )
    rating = models.CharField(_("evaluación"), max_length=16, choices=Rating.choices)
    comment = models.TextField(_("comentario"), max_length=SURVEY_COMMENT_MAX_LENGTH, blank=True)
    channel = models.CharField(
        _("canal"), max_length=16, choices=Channel.choices, default=Channel.WEB
    )
    created_at = models.DateTimeField(_("fecha"), auto_now_add=True)

    class Meta:
        ordering = ["dialogue", "created_at", "id"]
        verbose_name = _("respuesta de la encuesta")
        verbose_name_plural = _("respuestas de la encuesta")
        constraints = [
            models.UniqueConstraint(
                fields=["dialogue", "person"],
                condition=Q(person__isnull=False),
                name="survey_answer_once_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.dialogue} · {self.get_rating_display()}"
