"""Import organisations for the convocation registry from a CSV, with a progress bar and a
report of every rejected row.

    python manage.py import_organisations organizaciones.csv --delimiter ';' \
        --rejected rechazadas.csv
"""

from __future__ import annotations

import csv

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from forum.convocation.csvimport import REQUIRED, organisations_import
from forum.convocation.management.csvfile import add_file_arguments, read_rows
from forum.moderation.csvinput import ProgressBar


class Command(BaseCommand):
    help = _(
        "Importa organizaciones (con su contacto) desde un CSV y reporta las filas rechazadas."
    )

    def add_arguments(self, parser) -> None:
        add_file_arguments(parser)

    def handle(self, *args, **opts) -> None:
        rows = read_rows(opts, REQUIRED)
        bar = ProgressBar(
            len(rows), _("Importando"), stream=self.stderr, enabled=not opts["no_progress"]
        )
        report = organisations_import(actor=None, rows=rows, total=len(rows), progress=bar.update)
        bar.finish()
        self.stdout.write(
            _("Creadas: %(created)s. Rechazadas: %(rejected)s.")
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
                writer.writerow(["fila", "nombre", "motivo"])
                writer.writerows(report.rejected)
