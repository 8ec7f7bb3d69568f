"""What both CSV commands of the convocation (``import_organisations``,
``import_convocations``) share: their file arguments, and reading the file with its required
columns checked (:mod:`forum.convocation.csvread`, as the staff import page does), every error
a ``CommandError`` that says what to fix."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from forum.convocation import csvread


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
        text = csvread.decode(path.read_bytes(), opts["encoding"])
        return [
            raw
            for _line, raw in csvread.parse(text, delimiter=opts["delimiter"], required=required)
        ]
    except csvread.CsvProblem as exc:
        raise CommandError(str(exc)) from exc
