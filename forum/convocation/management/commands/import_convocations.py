"""Record other participatory spaces' convocations from a CSV (``organizacion, region, fecha,
espacio``), with a progress bar and a report of every row not recorded.

    python manage.py import_convocations convocatorias.csv --rejected rechazadas.csv
"""

from __future__ import annotations

import csv
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from forum.convocation.csvimport import CONVOCATION_REQUIRED, convocations_import
from forum.moderation.csvinput import ProgressBar


class Command(BaseCommand):
    help = _("Registra convocatorias de otros espacios participativos desde un CSV.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("input", help=_("Archivo CSV de entrada"))
        parser.add_argument("--delimiter", default=",")
        parser.add_argument("--encoding", default="utf-8-sig")
        parser.add_argument(
            "--rejected", default="", help=_("CSV donde escribir las filas rechazadas")
        )
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **opts) -> None:
        path = Path(opts["input"])
        if not path.is_file():
            raise CommandError(_("No encuentro el archivo %(path)s.") % {"path": path})
        try:
            with path.open(newline="", encoding=opts["encoding"]) as fh:
                reader = csv.DictReader(fh, delimiter=opts["delimiter"])
                header = [h.strip().casefold() for h in reader.fieldnames or []]
                missing = [c for c in CONVOCATION_REQUIRED if c not in header]
                if missing:
                    raise CommandError(
                        _("Faltan columnas: %(missing)s. Columnas del archivo: %(header)s.")
                        % {"missing": ", ".join(missing), "header": ", ".join(header) or "—"}
                    )
                rows = list(reader)
        except UnicodeDecodeError as exc:
            raise CommandError(_("El archivo no está en UTF-8 (%(e)s).") % {"e": exc}) from exc
        bar = ProgressBar(
            len(rows), _("Importando"), stream=self.stderr, enabled=not opts["no_progress"]
        )
        report = convocations_import(actor=None, rows=rows, progress=bar.update)
        bar.finish()
        self.stdout.write(
            _("Registradas: %(created)s. Rechazadas: %(rejected)s.")
            % {"created": report.created, "rejected": len(report.rejected)}
        )
        for number, name, reason in report.rejected:
            self.stdout.write(
                _("Fila %(n)s (%(name)s): %(reason)s")
                % {"n": number, "name": name or "—", "reason": reason}
            )
        if opts["rejected"]:
            with open(opts["rejected"], "w", newline="", encoding="utf-8") as out:
                writer = csv.writer(out)
                writer.writerow(["fila", "organizacion", "motivo"])
                writer.writerows(report.rejected)
