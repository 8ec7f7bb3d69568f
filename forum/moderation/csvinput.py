"""Reading idea CSVs for the ``dedupe`` and ``import_ideas`` commands, and a progress bar."""

from __future__ import annotations

import csv
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class CsvRow:
    number: int  # 1-based data row number (the header is row 0)
    key: str
    texts: list[str]
    raw: dict[str, str]


def _raise_field_limit() -> None:
    limit = sys.maxsize
    while True:
        try:
            csv.field_size_limit(limit)
            return
        except OverflowError:
            limit //= 10


def read_rows(
    path: str,
    *,
    id_column: str,
    text_columns: list[str],
    delimiter: str = ",",
    encoding: str = "utf-8-sig",
) -> tuple[list[CsvRow], list[str]]:
    """All rows of the file, with a clear CommandError for a missing file or column."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(_("No encuentro el archivo %(path)s.") % {"path": path})
    if len(delimiter) != 1:
        raise CommandError(_("El separador debe ser un solo carácter (por ejemplo ';')."))
    if not text_columns:
        raise CommandError(_("Indica al menos una columna de texto con --text-columns."))
    _raise_field_limit()
    try:
        with file.open(newline="", encoding=encoding) as fh:
            reader = csv.DictReader(fh, delimiter=delimiter)
            header = list(reader.fieldnames or [])
            missing = [c for c in [id_column, *text_columns] if c not in header]
            if missing:
                raise CommandError(
                    _(
                        "Faltan columnas en %(path)s: %(missing)s. Columnas disponibles: "
                        "%(header)s. ¿Es correcto el separador (--delimiter)?"
                    )
                    % {
                        "path": path,
                        "missing": ", ".join(missing),
                        "header": ", ".join(header) or "—",
                    }
                )
            rows = [
                CsvRow(
                    number=n,
                    key=(raw.get(id_column) or "").strip(),
                    texts=[raw.get(c) or "" for c in text_columns],
                    raw=raw,
                )
                for n, raw in enumerate(reader, start=1)
            ]
    except UnicodeDecodeError as exc:
        raise CommandError(
            _("%(path)s no está en UTF-8 (%(error)s).") % {"path": path, "error": exc}
        ) from exc
    except csv.Error as exc:
        raise CommandError(_("CSV mal formado: %(error)s") % {"error": exc}) from exc
    return rows, header


class ProgressBar:
    """A small ``\\r``-updated bar on stderr (silent when ``enabled`` is False)."""

    def __init__(
        self, total: int, label: str, *, stream: Any = None, enabled: bool = True, width: int = 30
    ) -> None:
        self.total = max(total, 0)
        self.label = label
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.width = width
        self._last = 0.0
        self._done = -1

    def update(self, done: int, total: int | None = None) -> None:
        if total is not None:
            self.total = total
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self._last < 0.1 and done != 0:
            return
        self._last, self._done = now, done
        frac = done / self.total if self.total else 1.0
        filled = int(self.width * frac)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total} {frac:4.0%}")
        self.stream.flush()

    def finish(self) -> None:
        if self.enabled:
            self.update(self.total)
            self.stream.write("\n")
            self.stream.flush()


def iter_progress(items: list, bar: ProgressBar) -> Iterator:
    for n, item in enumerate(items, start=1):
        yield item
        bar.update(n)
    bar.finish()
