"""On PostgreSQL the big files are written by the database (forum/insights/pgtext.py): the same
bytes as the Python writer, whatever the text holds."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest

from forum.dialogues.models import CheckIn
from forum.insights import opendata
from forum.participation.models import Dialogue, Idea, StatusChange
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

AWKWARD = [
    'Comillas "dobles", y comas',
    "Dos líneas\nsegunda\r\ntercera\rcuarta",
    "  espacios al inicio y al final  ",
    "Barra \\ invertida y \\. sola",
    "\\.",
    "Tabulador\tcontrol\x01\x1f y ñandú ☃ 🎓 \u2028 fin",
    "",
    "'simple' ; punto y coma",
]


@pytest.fixture
def awkward_forum(forum_site):
    ideas = forum_site["ideas"]
    for n, text in enumerate(AWKWARD):
        idea = factories.idea(title=f"Idea rara número {n}", region=ideas[0].region)
        Idea.objects.filter(pk=idea.pk).update(
            title=text or "x", body=text,
            created_at=dt.datetime(2026, 3, 1, 12, 0, 0, n * 1000, tzinfo=dt.UTC),
            answer_due=dt.date(2026, 4, n + 1) if n % 2 else None,
        )  # fmt: skip
    Idea.objects.filter(pk=ideas[4].pk).update(merged_into=ideas[0], status="merged")
    StatusChange.objects.filter(idea=ideas[1]).update(public_message=AWKWARD[1])
    factories.dialogue(place=AWKWARD[0], dot_budget=None, is_active=False)  # nobody attended
    held = factories.dialogue(place=AWKWARD[5], dot_budget=3, is_active=True)
    CheckIn.objects.bulk_create(CheckIn(dialogue=held, method=CheckIn.Method.MANUAL) for _ in "ab")
    return forum_site


@pytest.mark.parametrize("resource", opendata.RESOURCES, ids=lambda r: r.name)
def test_database_and_python_writers_give_the_same_bytes(awkward_forum, resource):
    python_csv = "".join(opendata.csv_chunks(resource, sql=False))
    python_json = "".join(opendata.json_chunks(resource, sql=False))
    assert "".join(opendata.csv_chunks(resource)) == python_csv
    assert "".join(opendata.json_chunks(resource)) == python_json
    if resource.name in ("ideas", "status_history", "council_answers", "dialogues"):
        assert resource.query() is not None  # the database wrote it
    rows = list(csv.reader(io.StringIO(python_csv)))
    assert len(rows) - 1 == len(json.loads(python_json))


def test_awkward_text_survives_the_round_trip(awkward_forum):
    text = "".join(opendata.csv_chunks(opendata.RESOURCES_BY_NAME["ideas"]))
    bodies = {r["body"] for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert set(AWKWARD) <= bodies
    data = json.loads("".join(opendata.json_chunks(opendata.RESOURCES_BY_NAME["ideas"])))
    assert set(AWKWARD) <= {r["body"] for r in data}
    late = {r[5] for r in csv.reader(io.StringIO("".join(
        opendata.csv_chunks(opendata.RESOURCES_BY_NAME["council_answers"])
    )))}  # fmt: skip
    assert {"True", "False"} <= late
    assert Dialogue.objects.filter(dot_budget=None).exists()
