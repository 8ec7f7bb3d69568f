"""The results' aggregates in the open-data API (``/api/results/...``), from the same selectors
as the pages and the downloads; in the OpenAPI document under the tag «resultados»."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Router, Schema

from forum.participation.api import FILTER_MAX_LENGTH, INVALID, NO_NUL
from forum.participation.models import Council, Dialogue, Region
from forum.participation.schemas import ErrorOut

from . import selectors, success
from .selectors import Scope

router = Router(tags=["resultados"])


def _slug(description: str) -> Any:
    return Field(None, max_length=FILTER_MAX_LENGTH, pattern=NO_NUL, description=description)


class ScopeQuery(Schema):
    region: str | None = _slug("Slug de la región (o nada: todo el foro).")
    council: str | None = _slug("Slug del consejo.")
    dialogue: str | None = _slug("Slug del diálogo.")


# An unknown region, council or dialogue answers 404; a parameter out of its shape, 422.
def _answers(out: Any) -> dict[int, Any]:
    return {200: out, 404: ErrorOut, **INVALID}


def _scope(q: ScopeQuery) -> Scope:
    if q.region:
        return Scope(region=get_object_or_404(Region, slug=q.region))
    if q.council:
        return Scope(council=get_object_or_404(Council, slug=q.council))
    if q.dialogue:
        return Scope(dialogue=get_object_or_404(Dialogue, slug=q.dialogue))
    return selectors.OVERALL


class HeadlineOut(Schema):
    dialogues: int
    people: int
    organisations: int
    ideas: int
    supports: int
    top40_support_share: float
    method_rating_share: float | None = Field(
        description="Fracción que calificó el método de excelente o bueno (null: sin encuestas)."
    )
    attendance: int


class CouncilRowOut(Schema):
    council_id: int
    slug: str
    name: str
    routed: int
    answered: int
    share_answered: float
    median_days: float | None
    p90_days: float | None
    overdue_now: int
    answered_late: int


class AccountabilityOut(Schema):
    councils: list[CouncilRowOut]
    total: CouncilRowOut


class StatusCountOut(Schema):
    status: str
    ideas: int


class StageOut(Schema):
    stage: str
    ideas: int


class FunnelOut(Schema):
    by_status: list[StatusCountOut]
    stages: list[StageOut]


class MonthOut(Schema):
    month: str
    ideas: int
    answers: int


class CategoryOut(Schema):
    category: str
    people: int
    organisations: int
    ideas: int


class ChannelOut(Schema):
    channel: str
    ideas: int
    supports: int


class RegionFiguresOut(Schema):
    region: str
    name: str
    ideas: int
    population: int | None
    ideas_per_100k: float | None
    routed: int
    answered: int
    share_answered: float | None


class TopicFiguresOut(Schema):
    topic: str
    name: str
    ideas: int


class BreakdownsOut(Schema):
    categories: list[CategoryOut]
    channels: list[ChannelOut]
    regions: list[RegionFiguresOut]
    topics: list[TopicFiguresOut]


class WordOut(Schema):
    word: str
    count: int


class SuccessOut(Schema):
    answer_coverage: float | None
    median_days_to_answer: float | None
    repeat_participation: float | None
    category_balance: float | None
    method_rating: float | None


@router.get("/headline", response=_answers(HeadlineOut), summary="Cifras del informe")
def headline(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return selectors.headline(_scope(q))


@router.get("/accountability", response=_answers(AccountabilityOut), summary="Rendición de cuentas")
def accountability(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return selectors.accountability(_scope(q))


@router.get("/funnel", response=_answers(FunnelOut), summary="Ideas por estado y embudo")
def funnel(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return selectors.funnel(_scope(q))


@router.get("/trend", response=_answers(list[MonthOut]), summary="Ideas y respuestas por mes")
def trend(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return selectors.trend(_scope(q))


@router.get(
    "/breakdowns", response=_answers(BreakdownsOut), summary="Por categoría, canal, región y tema"
)
def breakdowns(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return selectors.breakdowns(_scope(q))


@router.get("/words", response=_answers(list[WordOut]), summary="Palabras más mencionadas")
def words(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return [{"word": w, "count": n} for w, n in selectors.word_cloud(_scope(q))]


@router.get("/success", response=_answers(SuccessOut), summary="Métrica de éxito del modelo")
def success_metric(request: HttpRequest, q: Query[ScopeQuery]) -> Any:
    return success.success_metric(_scope(q))


_registered: set[int] = set()


def register(api: NinjaAPI) -> None:
    """Attach the router to the open-data API (once, from ``InsightsConfig.ready``)."""
    if id(api) not in _registered:
        api.add_router("/results", router)
        _registered.add(id(api))
