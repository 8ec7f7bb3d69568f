"""Find duplicate clusters in any CSV of ideas.

    python manage.py dedupe INPUT.csv --id-column id --text-columns title,description \
        --delimiter ';' --output clusters.json

Writes ``{"clusters": [["35717", "35718"], ...]}``: each cluster the ids (strings) of two or
more rows judged to be the same proposal. HTML in the texts is stripped before matching.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from forum.core.text import html_to_text
from forum.moderation.csvinput import ProgressBar, read_rows
from forum.moderation.matcher import DEFAULT_THRESHOLD, find_clusters


class Command(BaseCommand):
    help = _("Busca grupos de ideas duplicadas en un CSV y los escribe en JSON.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", help=_("Archivo CSV de entrada"))
        parser.add_argument("--id-column", default="id")
        parser.add_argument(
            "--text-columns",
            default="title,description",
            help=_("Columnas de texto separadas por comas; la primera es el título"),
        )
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--encoding", default="utf-8-sig")
        parser.add_argument(
            "--output", default="-", help=_("Archivo JSON de salida ('-' = salida estándar)")
        )
        parser.add_argument("--threshold", type=float, default=DEFAULT_THRESHOLD)
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts) -> None:
        columns = [c.strip() for c in opts["text_columns"].split(",") if c.strip()]
        rows, _header = read_rows(
            opts["input"],
            id_column=opts["id_column"],
            text_columns=columns,
            delimiter=opts["delimiter"],
            encoding=opts["encoding"],
        )
        keyed, seen = [], set()
        skipped = 0
        for row in rows:
            if not row.key or row.key in seen:
                skipped += 1
                continue
            seen.add(row.key)
            title = html_to_text(row.texts[0])
            body = "\n".join(html_to_text(t) for t in row.texts[1:])
            keyed.append((row.key, title, body))
        show = not opts["no_progress"]
        bar = ProgressBar(len(keyed), _("Comparando"), stream=self.stderr._out, enabled=show)
        bar.update(0)
        clusters = find_clusters(keyed, threshold=opts["threshold"], progress=bar.update)
        bar.finish()
        # One cluster per line: readable, diffable, and still plain JSON.
        lines = ",\n".join("  " + json.dumps(c, ensure_ascii=False) for c in clusters)
        payload = '{"clusters": [\n' + lines + ("\n" if lines else "") + "]}"
        if opts["output"] == "-":
            self.stdout.write(payload)
        else:
            try:
                Path(opts["output"]).write_text(payload + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(
                    _("No pude escribir %(path)s: %(error)s")
                    % {"path": opts["output"], "error": exc}
                ) from exc
        in_clusters = sum(len(c) for c in clusters)
        self.stderr.write(
            _(
                "%(rows)d filas, %(clusters)d grupos de duplicados con %(ideas)d filas en total; "
                "%(skipped)d filas sin id o con id repetido no se compararon."
            )
            % {
                "rows": len(rows),
                "clusters": len(clusters),
                "ideas": in_clusters,
                "skipped": skipped,
            }
        )
