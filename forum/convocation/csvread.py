"""Reading a convocation CSV (the ``import_*`` commands and the staff import page share it): the
text decoded, the header checked for the required columns, each row with its line in the file.
Every problem is a :class:`CsvProblem` whose message says what to fix."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from django.utils.translation import gettext as _


class CsvProblem(ValueError):
    """The file cannot be read as the CSV asked for; the message says why."""


def decode(data: bytes, encoding: str = "utf-8-sig") -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise CsvProblem(_("El archivo no está en UTF-8 (%(e)s).") % {"e": exc}) from exc
    except LookupError as exc:
        raise CsvProblem(str(exc)) from exc
    if "\x00" in text:
        raise CsvProblem(
            _(
                "El archivo tiene bytes nulos (NUL): no es un CSV de texto. Expórtalo otra vez "
                "como CSV."
            )
        )
    return text


def parse(
    text: str, *, delimiter: str, required: Iterable[str]
) -> list[tuple[int, dict[str, str]]]:
    """Every data row with the line of the file where it ends (the header is line 1), once the
    header holds every ``required`` column (case-insensitive)."""
    if len(delimiter) != 1:
        raise CsvProblem(_("El separador debe ser un solo carácter (por ejemplo ';')."))
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = [h.strip().casefold() for h in reader.fieldnames or []]
        missing = [c for c in required if c not in header]
        if missing:
            raise CsvProblem(
                _("Faltan columnas: %(missing)s. Columnas del archivo: %(header)s.")
                % {"missing": ", ".join(missing), "header": ", ".join(header) or "—"}
            )
        return [(reader.line_num, raw) for raw in reader]
    except csv.Error as exc:
        raise CsvProblem(
            _("No es un CSV válido: %(error)s, cerca de la línea %(line)s.")
            % {"line": reader.line_num + 1, "error": exc}
        ) from exc
