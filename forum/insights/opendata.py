"""Open data (/datos/): every file as CSV and JSON, a Frictionless Data Package describing them,
and a ZIP of everything with its SHA-256 checksum. Licence CC BY 4.0.

No personal data: each resource names its columns here, and none of them is a name, an e-mail,
a phone, a channel identifier, a username or a person's id (a dialogue's facilitators are
left out too). Rows are read in blocks and written as they come, so 100,000 ideas stream
without being held in memory: on PostgreSQL the table files come as finished lines from the
database (:mod:`.pgtext`), elsewhere ``iterator(chunk_size=...)`` feeds ``csv.writer`` and
``json.dumps``, the same bytes. Aggregates come from :mod:`.selectors`, the same numbers as the
pages and the API.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db.models import BooleanField, Case, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from forum.dialogues import selectors as dialogues
from forum.participation import selectors as participation
from forum.participation.lifecycle import ANSWERS
from forum.participation.models import Council, Dialogue, StatusChange

from . import cache, pgtext, selectors

CHUNK = 2000  # rows per database fetch (Python writer)
# Rows per block sent (one thread hop under daphne). Larger blocks were no faster at 100,000
# ideas and cost memory: peak +3 MB with 1,000 rows, +20 MB (CSV) and +44 MB (JSON) with 5,000.
BLOCK = 1000
LICENCE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ZIP_NAME = "foro-abierto-datos.zip"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type: string, integer, number, boolean, date, datetime
    description: str


@dataclass(frozen=True)
class Resource:
    name: str
    title: Any  # lazy translation
    fields: tuple[Field, ...]
    # A table's rows as a ``values_list`` query, or a function yielding a figure's rows.
    source: Callable[[], QuerySet[Any] | Iterable[tuple[Any, ...]]]

    @property
    def types(self) -> list[str]:
        return [f.type for f in self.fields]

    def query(self) -> QuerySet[Any] | None:
        """The query PostgreSQL can write the file from (:mod:`.pgtext`), or None."""
        data = self.source()
        return data if isinstance(data, QuerySet) and pgtext.supported(self.types) else None

    def rows(self) -> Iterable[tuple[Any, ...]]:
        data = self.source()
        return data.iterator(chunk_size=CHUNK) if isinstance(data, QuerySet) else data


def _s(name: str, description: str) -> Field:
    return Field(name, "string", description)


def _i(name: str, description: str) -> Field:
    return Field(name, "integer", description)


def _ideas() -> QuerySet[Any]:
    return participation.public_ideas().order_by("id").values_list(
        "tracking_code", "title", "body", "status", "channel", "region__slug", "topic__slug",
        "dialogue__slug", "council__slug", "answer_due", "support_count",
        "merged_into__tracking_code", "created_at", "updated_at",
    )  # fmt: skip


def _history() -> QuerySet[Any]:
    return (
        StatusChange.objects.filter(idea__hidden_at__isnull=True)
        .order_by("id")
        .values_list(
            "idea__tracking_code", "from_status", "to_status", "created_at", "public_message",
            "related_idea__tracking_code",
        )
    )  # fmt: skip


def _answers() -> QuerySet[Any]:
    # Late: the answer's local date (the site's time zone) after the due date; no due date,
    # never late.
    late = Case(
        When(idea__answer_due__lt=TruncDate("created_at"), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        StatusChange.objects.filter(idea__hidden_at__isnull=True, to_status__in=ANSWERS)
        .order_by("id")
        .annotate(late=late)
        .values_list(
            "idea__tracking_code", "idea__council__slug", "to_status", "created_at",
            "idea__answer_due", "late", "public_message",
        )
    )  # fmt: skip


def _dialogues() -> QuerySet[Any]:
    annotated: QuerySet[Any] = dialogues.with_attendance(Dialogue.objects.order_by("date", "id"))
    return annotated.values_list(
        "slug", "title", "council__slug", "region__slug", "date", "place", "phase", "attendance",
        "is_active", "dot_budget",
    )  # fmt: skip


def _councils() -> Iterator[tuple[Any, ...]]:
    acc = {r["slug"]: r for r in selectors.accountability()["councils"]}
    for slug, name, kind, region in Council.objects.values_list(
        "slug", "name", "kind", "region__slug"
    ):
        r = acc.get(slug, {})
        yield (
            slug, name, kind, region, r.get("routed", 0), r.get("answered", 0),
            r.get("share_answered", 0.0), r.get("median_days"), r.get("p90_days"),
            r.get("overdue_now", 0), r.get("answered_late", 0),
        )  # fmt: skip


def _by_category() -> Iterator[tuple[Any, ...]]:
    for c in selectors.breakdowns()["categories"]:
        yield c["category"], c["people"], c["organisations"], c["ideas"]


def _by_region() -> Iterator[tuple[Any, ...]]:
    for r in selectors.breakdowns()["regions"]:
        yield (
            r["region"], r["name"], r["ideas"], r["population"], r["ideas_per_100k"],
            r["routed"], r["answered"], r["share_answered"],
        )  # fmt: skip


def _by_channel() -> Iterator[tuple[Any, ...]]:
    for c in selectors.breakdowns()["channels"]:
        yield c["channel"], c["ideas"], c["supports"]


def _by_status() -> Iterator[tuple[Any, ...]]:
    for s in selectors.funnel()["by_status"]:
        yield s["status"], s["ideas"]


def _by_month() -> Iterator[tuple[Any, ...]]:
    for t in selectors.trend():
        yield t["month"], t["ideas"], t["answers"]


CODE = _s("code", "Código de seguimiento de la idea (8 caracteres).")
COUNCIL = _s("council", "Slug del consejo.")
REGION = _s("region", "Slug de la región.")
RESOURCES: tuple[Resource, ...] = (
    Resource("ideas", _("Ideas públicas"), (
        CODE, _s("title", "Título."), _s("body", "Texto."),
        _s("status", "Estado del ciclo de vida."),
        _s("channel", "Canal: web, telegram, whatsapp, webchat, in_person, import."),
        REGION, _s("topic", "Slug del tema."), _s("dialogue", "Slug del diálogo."), COUNCIL,
        Field("answer_due", "date", "Plazo de respuesta del consejo."),
        _i("support_count", "Apoyos."),
        _s("merged_into", "Código de la idea con que se fusionó."),
        Field("created_at", "datetime", "Recibida (UTC)."),
        Field("updated_at", "datetime", "Última actualización (UTC)."),
    ), _ideas),
    Resource("status_history", _("Historial público de estados"), (
        CODE, _s("from_status", "Estado anterior (vacío: recién recibida)."),
        _s("to_status", "Estado nuevo."), Field("at", "datetime", "Fecha (UTC)."),
        _s("public_message", "Mensaje público del cambio."),
        _s("related_idea", "Idea relacionada (fusiones)."),
    ), _history),
    Resource("council_answers", _("Respuestas de los consejos"), (
        CODE, COUNCIL, _s("outcome", "answered_accepted, answered_partly o answered_rejected."),
        Field("answered_at", "datetime", "Fecha de la respuesta (UTC)."),
        Field("answer_due", "date", "Plazo de respuesta."),
        Field("answered_late", "boolean", "Respondida después del plazo."),
        _s("answer", "Respuesta pública."),
    ), _answers),
    Resource("dialogues", _("Diálogos de Innovación Ciudadana"), (
        _s("slug", "Identificador."), _s("title", "Título."), COUNCIL, REGION,
        Field("date", "date", "Fecha."), _s("place", "Lugar."), _s("phase", "Fase."),
        _i("attendance", "Asistencia."), Field("is_active", "boolean", "Activo."),
        _i("dot_budget", "Votos por persona (vacío: sin límite)."),
    ), _dialogues),
    Resource("councils", _("Consejos y su rendición de cuentas"), (
        _s("slug", "Identificador."), _s("name", "Nombre."), _s("kind", "regional o national."),
        REGION, _i("routed", "Ideas derivadas (sin contar las fusionadas)."),
        _i("answered", "Ideas respondidas."),
        Field("share_answered", "number", "Fracción respondida (0 a 1)."),
        Field("median_days", "number", "Mediana de días de la derivación a la respuesta."),
        Field("p90_days", "number", "Percentil 90 de días a la respuesta."),
        _i("overdue_now", "Sin respuesta y con el plazo vencido hoy."),
        _i("answered_late", "Respondidas después del plazo."),
    ), _councils),
    Resource("by_category", _("Participación por categoría de actor"), (
        _s("category", "Categoría de actor (vacío: sin declarar)."),
        _i("people", "Personas que enviaron o apoyaron ideas."),
        _i("organisations", "Organizaciones."),
        _i("ideas", "Ideas según la categoría de quien la envió."),
    ), _by_category),
    Resource("by_region", _("Participación por región"), (
        REGION, _s("name", "Nombre."), _i("ideas", "Ideas."),
        _i("population", "Habitantes (INE, Censo 2024)."),
        Field("ideas_per_100k", "number", "Ideas por cada 100.000 habitantes."),
        _i("routed", "Ideas derivadas."), _i("answered", "Ideas respondidas."),
        Field("share_answered", "number", "Fracción respondida (0 a 1)."),
    ), _by_region),
    Resource("by_channel", _("Participación por canal"), (
        _s("channel", "Canal."), _i("ideas", "Ideas."), _i("supports", "Apoyos."),
    ), _by_channel),
    Resource("by_status", _("Ideas por estado"), (
        _s("status", "Estado."), _i("ideas", "Ideas."),
    ), _by_status),
    Resource("by_month", _("Ideas y respuestas por mes"), (
        _s("month", "Mes (AAAA-MM, hora de Chile)."), _i("ideas", "Ideas recibidas."),
        _i("answers", "Respuestas de los consejos."),
    ), _by_month),
)  # fmt: skip
RESOURCES_BY_NAME = {r.name: r for r in RESOURCES}


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _blocks(resource: Resource) -> Iterator[list[list[Any]]]:
    """The rows in blocks of ``BLOCK``, dates and times as ISO 8601 text (UTC), the other
    values as they are (only the date columns are touched: a block is written in one call)."""
    dated = [i for i, f in enumerate(resource.fields) if f.type in ("date", "datetime")]
    block: list[list[Any]] = []
    for row in resource.rows():
        values = list(row)
        for i in dated:
            if values[i] is not None:
                values[i] = _cell(values[i])
        block.append(values)
        if len(block) >= BLOCK:
            yield block
            block = []
    yield block


def _header(resource: Resource) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([f.name for f in resource.fields])
    return out.getvalue()


def csv_chunks(resource: Resource, *, sql: bool = True) -> Iterator[str]:
    """The CSV file in blocks of rows: written by PostgreSQL when it can (``sql``, the
    default), else by ``csv.writer`` (SQLite, the figures); the same bytes either way."""
    yield _header(resource)
    query = resource.query() if sql else None
    if query is not None:
        for lines in pgtext.lines(query, resource.types, _names(resource), "csv", BLOCK):
            yield "".join(lines)
        return
    out = io.StringIO()
    writer = csv.writer(out)  # writes None as an empty field
    for block in _blocks(resource):
        writer.writerows(block)
        yield out.getvalue()
        out.seek(0)
        out.truncate()


def _names(resource: Resource) -> list[str]:
    return [f.name for f in resource.fields]


def _json_blocks(resource: Resource, sql: bool) -> Iterator[list[str]]:
    query = resource.query() if sql else None
    if query is not None:
        yield from pgtext.lines(query, resource.types, _names(resource), "json", BLOCK)
        return
    names = _names(resource)
    for block in _blocks(resource):
        yield [json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) for row in block]


def json_chunks(resource: Resource, *, sql: bool = True) -> Iterator[str]:
    """A JSON array of objects, one per line, in blocks of rows (see :func:`csv_chunks`)."""
    yield "["
    separator = "\n"
    for block in _json_blocks(resource, sql):
        if block:
            yield separator + ",\n".join(block)
            separator = ",\n"
    yield "\n]\n"


async def async_chunks(chunks: Iterator[str]) -> AsyncIterator[bytes]:
    """``chunks`` read block by block in Django's one sync thread (where the database cursor
    lives) and handed to the ASGI server as each one is ready."""
    step = sync_to_async(partial(next, chunks, None), thread_sensitive=True)
    while (chunk := await step()) is not None:
        yield chunk.encode()


def datapackage() -> dict[str, Any]:
    resources = []
    for r in RESOURCES:
        for fmt, media in (("csv", "text/csv"), ("json", "application/json")):
            resources.append(
                {
                    "name": f"{r.name.replace('_', '-')}-{fmt}",
                    "title": str(r.title),
                    "path": f"{r.name}.{fmt}",
                    "format": fmt,
                    "mediatype": media,
                    "encoding": "utf-8",
                    "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
                    "licenses": [LICENCE],
                    "schema": {
                        "fields": [
                            {"name": f.name, "type": f.type, "description": f.description}
                            for f in r.fields
                        ]
                    },
                }
            )
    return {
        "profile": "data-package",
        "name": "foro-abierto",
        "title": "Foro Abierto: datos abiertos de participación (SENCE)",
        "description": (
            "Ideas públicas, su historial, respuestas de los consejos, diálogos, consejos y "
            "cifras agregadas. Sin datos personales."
        ),
        "licenses": [LICENCE],
        "sources": [{"title": "Foro Abierto", "path": settings.SITE_URL}],
        "resources": resources,
    }


def datapackage_json() -> str:
    # The package's own text stays in Spanish whatever the reader's language.
    with translation.override("es"):
        return json.dumps(datapackage(), ensure_ascii=False, indent=2)


# ---------------------------------------------------------------- the ZIP of everything


def _directory() -> Path:
    return Path(getattr(settings, "OPEN_DATA_DIR", settings.BASE_DIR / "var" / "open-data"))


def zip_build(target: Path) -> Path:
    """Write every file (CSV and JSON) and datapackage.json into a ZIP at ``target`` (through a
    temporary file renamed into place, so a reader never sees half a ZIP), with the SHA-256
    beside it in ``<target>.sha256``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".part")
    os.close(fd)
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("datapackage.json", datapackage_json())
        for r in RESOURCES:
            for fmt, chunks in (("csv", csv_chunks), ("json", json_chunks)):
                with archive.open(f"{r.name}.{fmt}", "w", force_zip64=True) as member:
                    for chunk in chunks(r):
                        member.write(chunk.encode())
    digest = hashlib.sha256()
    with open(tmp, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    os.replace(tmp, target)
    target.with_name(target.name + ".sha256").write_text(f"{digest.hexdigest()}  {ZIP_NAME}\n")
    return target


def zip_path(*, build: bool) -> Path:
    """The ZIP of the data as they are now (named by the data version): built on demand when
    ``build`` and missing; older ones are removed."""
    directory = _directory()
    target = directory / f"foro-abierto-datos-{cache.version()}.zip"
    if build and not target.exists():
        zip_build(target)
        for old in directory.glob("foro-abierto-datos-*.zip*"):
            if not old.name.startswith(target.name):
                old.unlink(missing_ok=True)
    return target


def zip_checksum_hex(path: Path) -> str:
    return path.with_name(path.name + ".sha256").read_text().split()[0]


def zip_checksum(path: Path) -> str:
    """The checksum as a Digest header value wants it (base64 of the SHA-256)."""
    return base64.b64encode(bytes.fromhex(zip_checksum_hex(path))).decode()


def zip_checksum_if_built() -> str | None:
    path = zip_path(build=False)
    return zip_checksum_hex(path) if path.exists() else None


def read_all(resource: Resource) -> str:
    """A whole CSV file as text (tests, small files)."""
    out = io.StringIO()
    for chunk in csv_chunks(resource):
        out.write(chunk)
    return out.getvalue()
