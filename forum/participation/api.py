"""Read-only open-data API (django-ninja). No personal data is ever serialised here.

Every response is built from the closed schemas in :mod:`forum.participation.schemas`, which
have no field for authors, e-mails, people, users or channel identities. List endpoints run a
fixed number of queries whatever the number of rows (joins, annotations and one prefetch).
"""

from __future__ import annotations

from typing import Any, Literal
from urllib.parse import urlencode

from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, NinjaAPI, Query, Schema, Status

from . import handlers, selectors
from .forms import SEARCH_MAX_LENGTH
from .lifecycle import IdeaStatus
from .models import Council, Dialogue, Region, Topic
from .schemas import (
    CouncilOut,
    DialogueOut,
    ErrorOut,
    IdeaDetailOut,
    IdeaPage,
    RegionOut,
    StatsOut,
    StatusLiteral,
    TopicOut,
    ValidationErrorOut,
)

DESCRIPTION = """
API de solo lectura con los datos abiertos de **Foro Abierto**, la plataforma de participación
de los Consejos Regionales de Empleabilidad de SENCE: ideas y su historial público, diálogos,
consejos, regiones, temas y cifras generales.

* Sin datos personales: ninguna respuesta incluye nombres, correos ni identificadores de
  quienes participan.
* Las ideas se identifican por su **código de seguimiento** (`ABCD-EFGH`; sin distinguir
  mayúsculas, guiones ni espacios; I/L se leen como 1 y O como 0).
* Textos siempre en texto plano (nunca HTML): escápelos al mostrarlos.
* Licencia de los datos: Creative Commons Atribución 4.0 (CC BY 4.0). Atribución sugerida:
  «Fuente: Foro Abierto — Consejos Regionales de Empleabilidad, SENCE».

Read-only open-data API of Foro Abierto (SENCE's regional employability councils): ideas with
their public history, dialogues, councils, regions, topics and headline figures. No personal
data. Data licence CC BY 4.0.
"""

api = NinjaAPI(
    title="Foro Abierto — datos abiertos",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
)

MAX_LIMIT = 100
NOT_FOUND_HINT = gettext_lazy(
    "Revisa el código (8 caracteres, por ejemplo ABCD-EFGH); las ideas ocultas por moderación "
    "no se publican."
)


# Every text filter: no NUL byte (``%00``), which PostgreSQL refuses in text; a filter holding
# one is answered 422 like any parameter out of its documented shape. (Written as an escape,
# which JSON Schema, pydantic and Python's re all read the same way.)
NO_NUL = "^[^\\u0000]*$"
# Longer than any slug (SlugField: 50; Dialogue.slug: 220), short enough to bound the query.
FILTER_MAX_LENGTH = 300
# Every operation taking parameters may answer this: a parameter out of its documented range.
INVALID = {422: ValidationErrorOut}


def _filter(description: str) -> Any:
    return Field(None, max_length=FILTER_MAX_LENGTH, pattern=NO_NUL, description=description)


class IdeaQuery(Schema):
    region: str | None = _filter("Slug de la región, p. ej. `biobio`.")
    topic: str | None = _filter("Slug del tema.")
    status: StatusLiteral | None = Field(None, description="Estado del ciclo de vida.")
    dialogue: str | None = _filter("Slug del diálogo.")
    council: str | None = _filter("Slug del consejo (`cre-biobio`, `nacional`).")
    q: str | None = Field(
        None,
        max_length=SEARCH_MAX_LENGTH,
        pattern=NO_NUL,
        description=(
            "Busca cada palabra en título o texto, sin distinguir mayúsculas ni tildes; un "
            "código de seguimiento encuentra esa idea."
        ),
    )
    order: Literal["recent", "supports"] = Field(
        "recent", description="`recent` (más nuevas primero) o `supports` (más apoyadas)."
    )
    limit: int = Field(20, ge=1, le=MAX_LIMIT, description="Ideas por página (1 a 100).")
    # Bounded: an offset past a 64-bit integer would reach the database as an error.
    offset: int = Field(0, ge=0, le=10**9, description="Cuántas ideas saltar.")


class DialogueQuery(Schema):
    region: str | None = _filter("Slug de la región.")
    council: str | None = _filter("Slug del consejo.")
    active: bool | None = Field(None, description="Solo los diálogos abiertos (o cerrados).")


def _page_url(request: HttpRequest, params: IdeaQuery, offset: int) -> str:
    query = {k: v for k, v in params.dict().items() if v not in (None, "")}
    query["offset"] = offset
    return request.build_absolute_uri(f"{request.path}?{urlencode(query)}")


@api.get(
    "/ideas",
    response={200: IdeaPage, **INVALID},
    tags=["ideas"],
    summary="Lista de ideas",
    description="Ideas públicas, paginadas con `limit`/`offset`, con filtros y búsqueda.",
)
def list_ideas(request: HttpRequest, params: Query[IdeaQuery]) -> dict[str, object]:
    qs = selectors.idea_list(
        selectors.IdeaFilters(
            region=params.region,
            topic=params.topic,
            status=params.status,
            dialogue=params.dialogue,
            council=params.council,
            q=params.q,
            order=params.order,
        )
    )
    # Before the annotation below (a join the count does not need); a few seconds old is fine.
    count = selectors.cached_count(qs)
    page = qs.annotate(merged_into_code=F("merged_into__tracking_code")).defer("original_text")
    rows = list(page[params.offset : params.offset + params.limit])
    end = params.offset + len(rows)
    return {
        "count": count,
        "limit": params.limit,
        "offset": params.offset,
        "next": _page_url(request, params, end) if end < count else None,
        "previous": (
            _page_url(request, params, max(params.offset - params.limit, 0))
            if params.offset > 0
            else None
        ),
        "results": rows,
    }


@api.get(
    "/ideas/{code}",
    response={200: IdeaDetailOut, 404: ErrorOut, **INVALID},
    by_alias=True,
    tags=["ideas"],
    summary="Una idea por su código de seguimiento",
    description="La idea con su historial público de estados y la respuesta del consejo.",
)
def get_idea(request: HttpRequest, code: str) -> Status[object]:
    """Public ideas only: a hidden idea answers 404 like an unknown code."""
    idea = selectors.idea_by_code(code)
    if idea is None:
        return Status(
            404,
            {
                "detail": _("No hay ninguna idea pública con el código «%(code)s». %(hint)s")
                % {"code": code[:40], "hint": NOT_FOUND_HINT}
            },
        )
    history = [
        {
            "from": change.from_status or None,
            "from_label": (
                str(IdeaStatus(change.from_status).label) if change.from_status else None
            ),
            "to": change.to_status,
            "to_label": str(IdeaStatus(change.to_status).label),
            "at": change.created_at,
            "public_message": change.message,
            "related_idea": change.related_idea.tracking_code if change.related_idea else None,
        }
        for change in selectors.idea_history(idea)
    ]
    merged = list(
        selectors.public_ideas()
        .filter(merged_into=idea)
        .order_by("id")
        .values_list("tracking_code", flat=True)
    )
    idea.public_history = history  # type: ignore[attr-defined]
    idea.merged_codes = merged  # type: ignore[attr-defined]
    return Status(200, idea)


def _dialogues() -> QuerySet[Dialogue]:
    public = Q(ideas__hidden_at__isnull=True)
    return handlers.with_dialogue_attendance(
        Dialogue.objects.select_related("council", "region")
        .prefetch_related(Prefetch("topics", queryset=Topic.objects.order_by("name")))
        .annotate(idea_count=Count("ideas", filter=public))
        .order_by("-date", "id")
    )


@api.get(
    "/dialogues",
    response={200: list[DialogueOut], **INVALID},
    tags=["diálogos y consejos"],
    summary="Diálogos",
    description="Todos los Diálogos de Innovación Ciudadana, del más reciente al más antiguo.",
)
def list_dialogues(request: HttpRequest, params: Query[DialogueQuery]) -> QuerySet[Dialogue]:
    qs = _dialogues()
    if params.region:
        qs = qs.filter(region__slug=params.region)
    if params.council:
        qs = qs.filter(council__slug=params.council)
    if params.active is not None:
        qs = qs.filter(is_active=params.active)
    return qs


@api.get(
    "/councils",
    response=list[CouncilOut],
    tags=["diálogos y consejos"],
    summary="Consejos",
    description="Los 16 Consejos Regionales de Empleabilidad y el Consejo Nacional.",
)
def list_councils(request: HttpRequest) -> QuerySet[Council]:
    return selectors.councils()


@api.get(
    "/regions",
    response=list[RegionOut],
    tags=["referencias"],
    summary="Regiones",
    description="Las 16 regiones de Chile, de norte a sur, con su cantidad de ideas públicas.",
)
def list_regions(request: HttpRequest) -> QuerySet[Region]:
    return selectors.regions().annotate(
        idea_count=Count("idea", filter=Q(idea__hidden_at__isnull=True))
    )


@api.get(
    "/topics",
    response=list[TopicOut],
    tags=["referencias"],
    summary="Temas",
    description="Temas de conversación («¿Qué debatir?») con su cantidad de ideas públicas.",
)
def list_topics(request: HttpRequest) -> QuerySet[Topic]:
    return Topic.objects.annotate(
        idea_count=Count("idea", filter=Q(idea__hidden_at__isnull=True))
    ).order_by("name")


@api.get(
    "/stats",
    response=StatsOut,
    tags=["referencias"],
    summary="Cifras generales",
    description=(
        "Diálogos, participantes, organizaciones, ideas, apoyos y la fracción de apoyos que "
        "concentran las 40 ideas más apoyadas."
    ),
)
def stats(request: HttpRequest) -> selectors.Stats:
    return selectors.headline_stats()
