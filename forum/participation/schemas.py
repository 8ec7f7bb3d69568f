"""Shapes of the open-data API (django-ninja / pydantic).

Deliberately closed lists of public fields: no author, e-mail, person, user or channel-identity
field exists here, so no endpoint can leak one by accident (``Config.extra`` is ignored by
ninja's ``from_attributes`` schemas; only what is declared is serialised).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Literal

from ninja import Field, Schema

from .lifecycle import IdeaStatus
from .models import Channel, Council, Dialogue, Idea, Topic

if TYPE_CHECKING:
    # Built from the choices at run time (pydantic and the OpenAPI schema see every value); a
    # type checker cannot evaluate that, so to it they are plain strings.
    StatusLiteral = str
    PhaseLiteral = str
    ChannelLiteral = str
    CouncilKindLiteral = str
else:
    StatusLiteral = Literal[tuple(s.value for s in IdeaStatus)]
    PhaseLiteral = Literal[tuple(p.value for p in Dialogue.Phase)]
    ChannelLiteral = Literal[tuple(c.value for c in Channel)]
    CouncilKindLiteral = Literal[tuple(k.value for k in Council.Kind)]


class ErrorOut(Schema):
    detail: str = Field(description="Explicación legible del error.")


class ValidationProblem(Schema):
    type: str = Field(description="Clase del problema (pydantic), p. ej. `string_too_long`.")
    loc: list[str | int] = Field(description='Dónde: `["query", "<parámetro>"]`.')
    msg: str = Field(description="Explicación legible.")


class ValidationErrorOut(Schema):
    """422: a parameter out of its documented range or shape (a NUL byte in a filter, say)."""

    detail: list[ValidationProblem]


class RegionRef(Schema):
    slug: str = Field(description="Identificador estable de la región, p. ej. `biobio`.")
    name: str


class TopicRef(Schema):
    slug: str
    name: str = Field(description="Nombre en el idioma de la petición (Accept-Language).")

    @staticmethod
    def resolve_name(obj: Topic) -> str:
        return obj.label


class DialogueRef(Schema):
    slug: str
    title: str


class CouncilRef(Schema):
    slug: str = Field(description="`cre-<región>` o `nacional`.")
    name: str


# ---------------------------------------------------------------- ideas


class IdeaOut(Schema):
    code: str = Field(description="Código de seguimiento (8 caracteres Crockford base32).")
    formatted_code: str = Field(description="El mismo código como se muestra: `ABCD-EFGH`.")
    title: str
    body: str = Field(description="Texto de la idea, texto plano (nunca HTML).")
    status: StatusLiteral = Field(description="Estado actual en el ciclo de vida público.")
    status_label: str
    channel: ChannelLiteral = Field(description="Por dónde llegó la idea.")
    region: RegionRef | None
    topic: TopicRef | None
    dialogue: DialogueRef | None = Field(description="Diálogo donde se planteó, si lo hubo.")
    council: CouncilRef | None = Field(description="Consejo al que fue derivada, si lo fue.")
    merged_into: str | None = Field(
        description="Código de la idea en que se fusionó, si el estado es `merged`."
    )
    support_count: int = Field(description="Cantidad de apoyos.")
    answer_due: dt.date | None = Field(description="Plazo del consejo para responder.")
    has_public_answer: bool
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_code(obj: Idea) -> str:
        return obj.tracking_code

    @staticmethod
    def resolve_status_label(obj: Idea) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_merged_into(obj: Idea) -> str | None:
        # The list query annotates the code; the detail query has the related row.
        code = getattr(obj, "merged_into_code", None)
        if code is None and obj.merged_into_id is not None:
            code = obj.merged_into.tracking_code  # type: ignore[union-attr]
        return code

    @staticmethod
    def resolve_has_public_answer(obj: Idea) -> bool:
        return bool(obj.public_answer)


class IdeaPage(Schema):
    count: int = Field(description="Total de ideas que cumplen los filtros.")
    limit: int
    offset: int
    next: str | None = Field(description="URL de la página siguiente, o null.")
    previous: str | None = Field(description="URL de la página anterior, o null.")
    results: list[IdeaOut]


class HistoryEntryOut(Schema):
    from_status: StatusLiteral | None = Field(
        alias="from", description="Estado anterior; null en la recepción."
    )
    from_label: str | None
    to_status: StatusLiteral = Field(alias="to")
    to_label: str
    at: dt.datetime
    public_message: str = Field(
        description=(
            "Mensaje público del cambio. Los que escribe el propio sistema (p. ej. «Idea "
            "recibida.») van en el idioma de la petición (Accept-Language); los escritos por "
            "una persona, tal como se escribieron."
        )
    )
    related_idea: str | None = Field(description="Código de la idea relacionada (p. ej. fusión).")


class IdeaDetailOut(IdeaOut):
    public_answer: str = Field(description="Respuesta pública del consejo (vacía si no hay).")
    agenda_dialogue: DialogueRef | None = Field(description="Diálogo en cuya agenda está.")
    merged_ideas: list[str] = Field(description="Códigos de las ideas fusionadas en esta.")
    history: list[HistoryEntryOut] = Field(description="Historial público, del más antiguo.")

    # The endpoint attaches the history and merged codes it read (two queries, no N+1).
    @staticmethod
    def resolve_history(obj: Idea) -> list[dict[str, object]]:
        return obj.public_history  # type: ignore[attr-defined]

    @staticmethod
    def resolve_merged_ideas(obj: Idea) -> list[str]:
        return obj.merged_codes  # type: ignore[attr-defined]


# ---------------------------------------------------------------- reference data


class DialogueOut(Schema):
    slug: str
    title: str
    council: CouncilRef
    region: RegionRef | None
    date: dt.date
    place: str
    attendance: int = Field(
        description="Personas que registraron su asistencia en la sesión (0 si aún no se realiza)."
    )
    phase: PhaseLiteral = Field(
        description="Fase del modelo: directrices → planificación → realización → celebración."
    )
    phase_label: str
    is_active: bool
    dot_budget: int | None = Field(description="Apoyos por persona en este diálogo, si hay tope.")
    topics: list[TopicRef]
    idea_count: int = Field(description="Ideas públicas planteadas en este diálogo.")

    @staticmethod
    def resolve_phase_label(obj: Dialogue) -> str:
        return str(obj.get_phase_display())

    @staticmethod
    def resolve_topics(obj: Dialogue) -> list[object]:
        return list(obj.topics.all())  # prefetched by the endpoint


class CouncilOut(Schema):
    slug: str
    name: str
    kind: CouncilKindLiteral
    region: RegionRef | None
    description: str
    member_count: int = Field(description="Integrantes (los nombres no se publican aquí).")
    idea_count: int = Field(description="Ideas derivadas a este consejo.")


class RegionOut(Schema):
    code: str = Field(description="Código tradicional (XV, I, …, RM, …, XII).")
    slug: str
    name: str
    ordinal: int = Field(description="Orden de norte a sur.")
    idea_count: int


class TopicOut(Schema):
    slug: str
    name: str = Field(description="Nombre en el idioma de la petición (Accept-Language).")
    description: str = Field(description="Descripción en el idioma de la petición.")
    idea_count: int

    @staticmethod
    def resolve_name(obj: Topic) -> str:
        return obj.label

    @staticmethod
    def resolve_description(obj: Topic) -> str:
        return obj.description_label


class StatsOut(Schema):
    dialogues: int
    participants: int
    organisations: int
    ideas: int
    supports: int
    top40_support_share: float = Field(
        ge=0, le=1, description="Fracción de los apoyos que reúnen las 40 ideas más apoyadas."
    )
