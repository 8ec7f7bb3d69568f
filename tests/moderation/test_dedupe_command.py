"""dedupe: clusters of known duplicates in a small CSV, progress on stderr, clear errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

ROWS = [
    (
        "10",
        "Ampliar el horario de la biblioteca de Lota",
        "<p>Que la biblioteca municipal de Lota abra también los sábados.</p>",
    ),
    (
        "11",
        "Ampliación del horario de la biblioteca de Lota",
        "Que la biblioteca municipal de Lota abra los sábados por la tarde.",
    ),
    (
        "12",
        "Ampliar el horario de la biblioteca de Lota",
        "<p>Que la biblioteca municipal de Lota abra también los sábados.</p>",
    ),
    (
        "20",
        "Curso de soldadura para mujeres en Talcahuano",
        "Un curso gratuito de soldadura con cuidado infantil.",
    ),
    (
        "21",
        "Cursos de soldadura para mujeres en Talcahuano",
        "<b>Curso gratuito</b> de soldadura, con sala cuna.",
    ),
    (
        "30",
        "Paradero techado en avenida Colón",
        "Los adultos mayores esperan la micro bajo la lluvia.",
    ),
    ("40", "<a onclick=alert(1)>", "<script>alert(1)</script>"),
]


def _csv(tmp_path, rows=ROWS, delimiter=";"):
    path = tmp_path / "in.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(["id", "title", "description"])
        writer.writerows(rows)
    return path


def test_finds_known_clusters(tmp_path):
    out = tmp_path / "clusters.json"
    err = io.StringIO()
    call_command(
        "dedupe",
        str(_csv(tmp_path)),
        "--id-column",
        "id",
        "--text-columns",
        "title,description",
        "--delimiter",
        ";",
        "--output",
        str(out),
        stderr=err,
    )
    clusters = json.loads(out.read_text(encoding="utf-8"))["clusters"]
    as_sets = sorted(sorted(c) for c in clusters)
    assert as_sets == [["10", "11", "12"], ["20", "21"]]
    assert all(isinstance(k, str) for c in clusters for k in c)
    assert "7/7" in err.getvalue()  # the progress bar reached the end


def test_writes_to_stdout(tmp_path):
    out = io.StringIO()
    call_command(
        "dedupe",
        str(_csv(tmp_path, delimiter=",")),
        "--no-progress",
        stdout=out,
        stderr=io.StringIO(),
    )
    assert len(json.loads(out.getvalue())["clusters"]) == 2


def test_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="No encuentro el archivo"):
        call_command("dedupe", str(tmp_path / "missing.csv"))
    with pytest.raises(CommandError, match=r"Faltan columnas.*body"):
        call_command(
            "dedupe", str(_csv(tmp_path)), "--delimiter", ";", "--text-columns", "title,body"
        )
    with pytest.raises(CommandError, match="separador"):
        call_command("dedupe", str(_csv(tmp_path)), "--delimiter", ";;")
