"""From figures to what a page shows: each chart's SVG and the same data as table rows, in the
active language. Pure presentation: the numbers come from :mod:`.selectors`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ActorCategory, Channel

from . import svg
from .chile import POPULATION_SOURCE


@dataclass(frozen=True)
class Chart:
    uid: str
    title: str
    svg: SafeString
    headers: list[str]
    rows: list[list[Any]]


def pct(value: float | None) -> str:
    if value is None:
        return _("sin datos")
    return f"{number_format(value * 100, 0)} %"


def num(value: float | None, digits: int = 0) -> str:
    if value is None:
        return _("sin datos")
    return number_format(value, digits, force_grouping=True)


def _bars(uid: str, title: str, desc: str, rows: list[tuple[str, int]], head: str) -> Chart:
    bars = [svg.Bar(label, n, num(n)) for label, n in rows]
    return Chart(
        uid, title, svg.bar_chart(uid, title, desc, bars), [head, _("Ideas")],
        [[label, num(n)] for label, n in rows],
    )  # fmt: skip


def funnel_chart(funnel: dict[str, Any]) -> Chart:
    names = {
        "submitted": _("Recibidas"),
        "reviewed": _("Revisadas"),
        "routed": _("Derivadas a un consejo"),
        "answered": _("Respondidas"),
        "implemented": _("Implementadas"),
    }
    rows = [(str(names[s["stage"]]), s["ideas"]) for s in funnel["stages"]]
    return _bars(
        "funnel", _("Embudo de las ideas"),
        _("Cuántas ideas llegaron a cada etapa, de recibidas a implementadas."), rows, _("Etapa"),
    )  # fmt: skip


def status_chart(funnel: dict[str, Any]) -> Chart:
    rows = [(str(IdeaStatus(s["status"]).label), s["ideas"]) for s in funnel["by_status"]]
    return _bars(
        "status", _("Ideas por estado"), _("Cuántas ideas hay hoy en cada estado."), rows,
        _("Estado"),
    )  # fmt: skip


def topic_chart(topics: list[dict[str, Any]]) -> Chart:
    rows = [(t["name"] or _("Sin tema"), t["ideas"]) for t in topics]
    return _bars(
        "topics", _("Ideas por tema"), _("Cuántas ideas trata cada tema."), rows, _("Tema")
    )


def channel_chart(channels: list[dict[str, Any]]) -> Chart:
    rows = [(str(Channel(c["channel"]).label), c["ideas"]) for c in channels]
    chart = _bars(
        "channels", _("Ideas por canal"),
        _("Por dónde llegaron las ideas: web, Telegram, WhatsApp, chat, presencial, importación."),
        rows, _("Canal"),
    )  # fmt: skip
    return Chart(
        chart.uid, chart.title, chart.svg, [_("Canal"), _("Ideas"), _("Apoyos")],
        [[str(Channel(c["channel"]).label), num(c["ideas"]), num(c["supports"])] for c in channels],
    )  # fmt: skip


def category_label(value: str) -> str:
    return str(ActorCategory(value).label) if value else _("Sin categoría declarada")


def category_chart(categories: list[dict[str, Any]]) -> Chart:
    rows = [(category_label(c["category"]), c["people"]) for c in categories]
    bars = [svg.Bar(label, n, num(n)) for label, n in rows]
    title = _("Participantes por categoría de actor")
    desc = _("Personas que enviaron o apoyaron ideas, según la categoría de actor que declararon.")
    return Chart(
        "categories", title, svg.bar_chart("categories", title, desc, bars),
        [_("Categoría"), _("Personas"), _("Organizaciones"), _("Ideas")],
        [
            [category_label(c["category"]), num(c["people"]), num(c["organisations"]),
             num(c["ideas"])]
            for c in categories
        ],
    )  # fmt: skip


def trend_chart(trend: list[dict[str, Any]]) -> Chart:
    title = _("Ideas y respuestas por mes")
    desc = _("Ideas recibidas y respuestas de los consejos en cada mes.")
    labels = [t["month"] for t in trend]
    series = [
        (_("Ideas recibidas"), [t["ideas"] for t in trend]),
        (_("Respuestas"), [t["answers"] for t in trend]),
    ]
    return Chart(
        "trend", title, svg.line_chart("trend", title, desc, labels, series),
        [_("Mes"), _("Ideas recibidas"), _("Respuestas")],
        [[t["month"], num(t["ideas"]), num(t["answers"])] for t in trend],
    )  # fmt: skip


def accountability_chart(rows: list[dict[str, Any]]) -> Chart:
    routed = [r for r in rows if r["routed"]]
    title = _("Ranking de consejos por ideas respondidas")
    desc = _("Porcentaje de las ideas derivadas a cada consejo que ya tienen respuesta.")
    bars = [svg.Bar(r["name"], r["share_answered"] * 100, pct(r["share_answered"])) for r in routed]
    return Chart(
        "ranking", title, svg.bar_chart("ranking", title, desc, bars),
        [], [],
    )  # fmt: skip


def region_map(regions: list[dict[str, Any]], by: str) -> Chart:
    if by == "answered":
        title = _("Mapa: porcentaje de ideas derivadas que ya tienen respuesta, por región")
        legend = _("Porcentaje respondido")
        values = {
            r["region"]: (
                r["name"],
                None if r["share_answered"] is None else r["share_answered"] * 100,
                pct(r["share_answered"]),
            )
            for r in regions
        }
    else:
        title = _("Mapa: ideas por cada 100.000 habitantes, por región")
        legend = _("Ideas / 100.000 hab.")
        values = {
            r["region"]: (r["name"], r["ideas_per_100k"], num(r["ideas_per_100k"], 1))
            for r in regions
        }
    desc = _(
        "Mapa esquemático de las 16 regiones de Chile, de norte a sur; cuanto más oscura, mayor "
        "el valor. Población: %(source)s. Los datos están en la tabla que sigue."
    ) % {"source": POPULATION_SOURCE}
    return Chart(
        "map", title,
        svg.region_map("map", title, desc, values, legend, _("sin datos")),
        [_("Región"), _("Ideas"), _("Habitantes"), _("Ideas / 100.000 hab."),
         _("Derivadas"), _("Respondidas"), _("Porcentaje respondido")],
        [
            [r["name"], num(r["ideas"]), num(r["population"]), num(r["ideas_per_100k"], 1),
             num(r["routed"]), num(r["answered"]), pct(r["share_answered"])]
            for r in regions
        ],
    )  # fmt: skip


def word_chart(words: list[tuple[str, int]], where: str) -> Chart:
    title = _("Palabras más mencionadas")
    desc = _(
        "Las palabras que más se repiten en lo que escribió la gente (%(where)s), sin palabras "
        "vacías; cuanto más grande, más veces aparece. La lista sigue."
    ) % {"where": where}
    return Chart(
        "words", title, svg.word_cloud("words", title, desc, words),
        [_("Palabra"), _("Veces")], [[w, num(n)] for w, n in words],
    )  # fmt: skip
