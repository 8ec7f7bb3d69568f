"""The results pages (/resultados/...) and the open-data downloads (/datos/...): thin views over
the selectors, charts and open-data modules. Everything works without JavaScript."""

from __future__ import annotations

from typing import Any

from django.core.handlers.asgi import ASGIRequest
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum.participation.models import Council, Dialogue, Region

from . import cache, charts, opendata, selectors
from . import success as success_figures
from .selectors import Scope


def _page(request: HttpRequest, scope: Scope, heading: str, where: str) -> HttpResponse:
    """The page's content is the same for every reader of one language: rendered once per data
    version (rendering its tables and charts cost more than reading the cached figures)."""
    by = "answered" if request.GET.get("mapa") == "respondidas" else "per100k"
    name = f"{scope.key}:html:{get_language()}:{by}"
    body = cache.cached(name, lambda: _body(scope, heading, where, by))
    return render(
        request,
        "insights/results.html",
        {"heading": heading, "body": mark_safe(body)},  # noqa: S308
    )


def _body(scope: Scope, heading: str, where: str, by: str) -> str:
    head = selectors.headline(scope)
    acc = selectors.accountability(scope)
    funnel = selectors.funnel(scope)
    parts = selectors.breakdowns(scope)
    context: dict[str, Any] = {
        "heading": heading,
        "scope": scope,
        "head": head,
        "top40": charts.pct(head.top40_support_share),
        "method": charts.pct(head.method_rating_share),
        "accountability": acc,
        "ranking": charts.accountability_chart(acc["councils"]),
        "charts": [
            charts.funnel_chart(funnel),
            charts.status_chart(funnel),
            charts.trend_chart(selectors.trend(scope)),
            charts.category_chart(parts["categories"]),
            charts.channel_chart(parts["channels"]),
            charts.topic_chart(parts["topics"]),
        ],
        "map": charts.region_map(parts["regions"], by) if scope.region is None else None,
        "map_by": by,
        "words": charts.word_chart(selectors.word_cloud(scope), where),
        "regions": Region.objects.order_by("ordinal"),
        "councils": Council.objects.select_related("region"),
        "dialogues": Dialogue.objects.order_by("-date", "id"),
    }
    return render_to_string("insights/results_body.html", context)


def results(request: HttpRequest) -> HttpResponse:
    return _page(request, selectors.OVERALL, _("Resultados"), _("todo el foro"))


def results_region(request: HttpRequest, slug: str) -> HttpResponse:
    region = get_object_or_404(Region, slug=slug)
    return _page(
        request, Scope(region=region), _("Resultados: %(name)s") % {"name": region.name},
        _("región %(name)s") % {"name": region.name},
    )  # fmt: skip


def results_council(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    return _page(
        request, Scope(council=council), _("Resultados: %(name)s") % {"name": council.name},
        council.name,
    )  # fmt: skip


def results_dialogue(request: HttpRequest, slug: str) -> HttpResponse:
    dialogue = get_object_or_404(Dialogue, slug=slug)
    return _page(
        request, Scope(dialogue=dialogue), _("Resultados: %(name)s") % {"name": dialogue.title},
        dialogue.title,
    )  # fmt: skip


def success(request: HttpRequest) -> HttpResponse:
    metric = success_figures.success_metric()
    return render(
        request,
        "insights/success.html",
        {
            "metric": metric,
            "coverage": charts.pct(metric.answer_coverage),
            "days": charts.num(metric.median_days_to_answer, 1),
            "repeat": charts.pct(metric.repeat_participation),
            "balance": charts.num(metric.category_balance, 2),
            "method": charts.pct(metric.method_rating),
        },
    )


# ---------------------------------------------------------------- open data


def data_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "insights/data.html",
        {"resources": opendata.RESOURCES, "checksum": opendata.zip_checksum_if_built()},
    )


def data_file(request: HttpRequest, name: str, fmt: str) -> StreamingHttpResponse:
    resource = opendata.RESOURCES_BY_NAME.get(name)
    if resource is None:
        raise Http404
    chunks = opendata.csv_chunks(resource) if fmt == "csv" else opendata.json_chunks(resource)
    content_type = "text/csv; charset=utf-8" if fmt == "csv" else "application/json"
    # Under daphne (ASGI) Django reads a plain iterator to the end before sending a byte: the
    # async wrapper sends each block of rows as it is read.
    content = opendata.async_chunks(chunks) if isinstance(request, ASGIRequest) else chunks
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def datapackage(request: HttpRequest) -> HttpResponse:
    return HttpResponse(opendata.datapackage_json(), content_type="application/json")


def data_zip(request: HttpRequest) -> FileResponse:
    path = opendata.zip_path(build=True)
    response = FileResponse(path.open("rb"), as_attachment=True, filename=opendata.ZIP_NAME)
    response["Digest"] = f"sha-256={opendata.zip_checksum(path)}"
    return response


def data_zip_checksum(request: HttpRequest) -> HttpResponse:
    path = opendata.zip_path(build=True)
    return HttpResponse(
        f"{opendata.zip_checksum_hex(path)}  {opendata.ZIP_NAME}\n", content_type="text/plain"
    )
