"""Import ideas from a CSV through the same service as any other idea (``idea_submit``).

    python manage.py import_ideas INPUT.csv --id-column id --text-columns title,description \
        --delimiter ';' --source madrid [--region biobio] [--topic <slug>] [--dialogue <slug>] \
        [--date-column created_at] [--report report.csv]

Idempotent on (source, id): a second run adds nothing. Every row is either imported or
reported with its reason (``--report`` writes them all to a CSV); nothing is dropped silently.
The title comes from the first text column, the body from the others, both turned from HTML
into plain text; ``original_text`` keeps the raw text as it came.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import html_to_text
from forum.moderation.csvinput import ProgressBar, read_rows
from forum.moderation.services import groups_place_ungrouped
from forum.participation.models import Channel, Dialogue, Idea, Region, Topic
from forum.participation.services import idea_submit, split_title

BATCH = 200
IMPORTED = "imported"
ALREADY = "already_imported"
REPORTED = "reported"
EXTERNAL_ID_MAX = Idea._meta.get_field("external_id").max_length or 64
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%d/%m/%Y %H:%M")


def _parse_date(raw: str) -> dt.datetime | None:
    raw = (raw or "").strip()
    if not raw:
        return None
    for fmt in DATE_FORMATS:
        try:
            parsed = dt.datetime.strptime(raw, fmt)  # noqa: DTZ007 (made aware below)
        except ValueError:
            continue
        return timezone.make_aware(parsed, timezone.get_default_timezone())
    return None


def _lookup(model, slug: str | None, what: str):
    if not slug:
        return None
    obj = model.objects.filter(slug=slug).first()
    if obj is None:
        choices = ", ".join(model.objects.values_list("slug", flat=True)[:40])
        raise CommandError(
            _("No existe %(what)s «%(slug)s». Opciones: %(choices)s")
            % {"what": what, "slug": slug, "choices": choices or "—"}
        )
    return obj


class Command(BaseCommand):
    help = _("Importa ideas desde un CSV (idempotente; cada fila se importa o se informa).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("input")
        parser.add_argument("--id-column", default="id")
        parser.add_argument("--text-columns", default="title,description")
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--encoding", default="utf-8-sig")
        parser.add_argument(
            "--source",
            required=True,
            help=_("Nombre corto del origen (p. ej. madrid); con el id hace única cada fila"),
        )
        parser.add_argument("--region", help=_("slug de la región por defecto"))
        parser.add_argument("--topic", help=_("slug del tema por defecto"))
        parser.add_argument("--dialogue", help=_("slug del diálogo por defecto"))
        parser.add_argument("--date-column", help=_("columna con la fecha de creación"))
        parser.add_argument("--report", help=_("CSV donde escribir el resultado de cada fila"))
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts) -> None:
        source = opts["source"].strip()
        if not source or len(source) > 32:
            raise CommandError(_("--source debe tener entre 1 y 32 caracteres."))
        region = _lookup(Region, opts["region"], _("la región"))
        topic = _lookup(Topic, opts["topic"], _("el tema"))
        dialogue = _lookup(Dialogue, opts["dialogue"], _("el diálogo"))
        columns = [c.strip() for c in opts["text_columns"].split(",") if c.strip()]
        rows, header = read_rows(
            opts["input"],
            id_column=opts["id_column"],
            text_columns=columns,
            delimiter=opts["delimiter"],
            encoding=opts["encoding"],
        )
        date_column = opts["date_column"]
        if date_column and date_column not in header:
            raise CommandError(_("Falta la columna de fecha %(c)s.") % {"c": date_column})
        existing = set(
            Idea.objects.filter(external_source=source).values_list("external_id", flat=True)
        )
        results: list[tuple[int, str, str, str, str]] = []  # row, id, result, reason, code
        first_seen: dict[str, int] = {}
        bar = ProgressBar(
            len(rows), _("Importando"), stream=self.stderr._out, enabled=not opts["no_progress"]
        )
        bar.update(0)
        # Rows are committed in batches (each row is its own savepoint inside idea_submit, so a
        # refused row never takes its neighbours with it): one commit per row costs an fsync.
        for start in range(0, len(rows), BATCH):
            with transaction.atomic():
                for n, row in enumerate(rows[start : start + BATCH], start=start + 1):
                    results.append(
                        self._one(
                            row,
                            source=source,
                            existing=existing,
                            first_seen=first_seen,
                            region=region,
                            topic=topic,
                            dialogue=dialogue,
                            date_column=date_column,
                        )
                    )
                    bar.update(n)
        bar.finish()
        if any(r[2] == IMPORTED for r in results):
            # Rows are not grouped one at a time (quadratic on a big file): the imported ideas
            # join or start their duplicate groups now, in one pass over the index.
            grouping = ProgressBar(
                1,
                _("Agrupando duplicados"),
                stream=self.stderr._out,
                enabled=not opts["no_progress"],
            )
            groups_place_ungrouped(progress=lambda n, total: grouping.update(n, total=total))
            grouping.finish()
        if opts["report"]:
            self._write_report(opts["report"], results)
        self._summary(rows, results)

    # -- one row ------------------------------------------------------------------------
    def _one(self, row, *, source, existing, first_seen, region, topic, dialogue, date_column):
        key = row.key

        def reported(reason: str):
            return (row.number, key, REPORTED, reason, "")

        if not key:
            return reported(_("sin id"))
        if len(key) > EXTERNAL_ID_MAX:
            return reported(_("id de más de %(n)d caracteres") % {"n": EXTERNAL_ID_MAX})
        if key in first_seen:
            return reported(
                _("id repetido en el archivo (ya aparece en la fila %(n)d)")
                % {"n": first_seen[key]}
            )
        first_seen[key] = row.number
        if key in existing:
            return (row.number, key, ALREADY, _("ya importada"), "")
        title = html_to_text(row.texts[0]).replace("\n", " ")
        body = "\n\n".join(t for t in (html_to_text(x) for x in row.texts[1:]) if t)
        if not title and not body:
            return reported(_("texto vacío"))
        if not title:
            title = split_title(body)[0]
        if len(title) > settings.IDEA_TITLE_MAX_LENGTH:
            return reported(
                _("título demasiado largo (%(n)d caracteres; máximo %(max)d)")
                % {"n": len(title), "max": settings.IDEA_TITLE_MAX_LENGTH}
            )
        if len(body) > settings.IDEA_MAX_LENGTH:
            return reported(
                _("texto demasiado largo (%(n)d caracteres; máximo %(max)d)")
                % {"n": len(body), "max": settings.IDEA_MAX_LENGTH}
            )
        raw_body = "\n\n".join(x for x in row.texts[1:] if x)
        created_at = None
        if date_column:
            created_at = _parse_date(row.raw.get(date_column, ""))
            if created_at is None and (row.raw.get(date_column) or "").strip():
                return reported(_("fecha ilegible: %(d)s") % {"d": row.raw.get(date_column)})
        try:
            with transaction.atomic():  # a savepoint: a failed row leaves the batch usable
                idea = idea_submit(
                    author=None,
                    title=title,
                    body=body,
                    channel=Channel.IMPORT,
                    region=region,
                    topic=topic,
                    dialogue=dialogue,
                    original_text=raw_body or row.texts[0],
                    external_source=source,
                    external_id=key,
                    created_at=created_at,
                )
        except IntegrityError:
            # Imported by a concurrent run between our check and the insert.
            return (row.number, key, ALREADY, _("ya importada"), "")
        except ValidationError as exc:
            return reported("; ".join(exc.messages))
        existing.add(key)
        return (row.number, key, IMPORTED, "", idea.tracking_code)

    # -- output -------------------------------------------------------------------------
    def _write_report(self, path: str, results) -> None:
        try:
            with Path(path).open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["row", "id", "result", "reason", "tracking_code"])
                writer.writerows(results)
        except OSError as exc:
            raise CommandError(
                _("No pude escribir el informe %(path)s: %(error)s") % {"path": path, "error": exc}
            ) from exc

    def _summary(self, rows, results) -> None:
        counts = Counter(r[2] for r in results)
        reasons = Counter(r[3].split(" (")[0] for r in results if r[2] == REPORTED)
        self.stdout.write(
            _(
                "%(total)d filas: %(imported)d importadas, %(already)d ya importadas, "
                "%(reported)d informadas con motivo."
            )
            % {
                "total": len(rows),
                "imported": counts[IMPORTED],
                "already": counts[ALREADY],
                "reported": counts[REPORTED],
            }
        )
        for reason, n in reasons.most_common():
            self.stdout.write(f"  - {reason}: {n}")
        if counts[IMPORTED] + counts[ALREADY] + counts[REPORTED] != len(rows):  # pragma: no cover
            raise CommandError(_("Error interno: no se contabilizaron todas las filas."))
