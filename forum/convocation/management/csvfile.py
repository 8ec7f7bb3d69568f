"""What both CSV commands of the convocation (``import_organisations``,
``import_convocations``) share: their file arguments, and reading the file with its required
columns checked, every error a ``CommandError`` that says what to fix."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


def add_file_arguments(parser) -> None:
    parser.add_argument("input", help=_("Archivo CSV de entrada"))
    parser.add_argument("--delimiter", default=",")
    parser.add_argument("--encoding", default="utf-8-sig")
    parser.add_argument("--rejected", default="", help=_("CSV donde escribir las filas rechazadas"))
    parser.add_argument("--no-progress", action="store_true")


def read_rows(opts: dict, required: Iterable[str]) -> list[dict[str, str]]:
    """The file's rows, once its header holds every ``required`` column (case-insensitive)."""
    path = Path(opts["input"])
    if not path.is_file():
        raise CommandError(_("No encuentro el archivo %(path)s.") % {"path": path})
    try:
        with path.open(newline="", encoding=opts["encoding"]) as fh:
            reader = csv.DictReader(fh, delimiter=opts["delimiter"])
            header = [h.strip().casefold() for h in reader.fieldnames or []]
            missing = [c for c in required if c not in header]
            if missing:
                raise CommandError(
                    _("Faltan columnas: %(missing)s. Columnas del archivo: %(header)s.")
                    % {"missing": ", ".join(missing), "header": ", ".join(header) or "—"}
                )
            return list(reader)
    except UnicodeDecodeError as exc:
        raise CommandError(_("El archivo no está en UTF-8 (%(e)s).") % {"e": exc}) from exc
