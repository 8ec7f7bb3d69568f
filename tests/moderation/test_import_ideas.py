"""import_ideas: the real Madrid file, idempotency, every row accounted for, XSS rendered inert."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from forum.moderation import selectors
from forum.participation.models import Channel, Idea
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401
from tests.shared_data import MADRID as _MADRID

MADRID = str(_MADRID)
ARGS = [
    "--id-column",
    "id",
    "--text-columns",
    "title,description",
    "--delimiter",
    ";",
    "--source",
    "madrid",
    "--region",
    "metropolitana",
    "--no-progress",
]

pytestmark = pytest.mark.django_db


def _run(path, *extra):
    out = io.StringIO()
    call_command("import_ideas", str(path), *ARGS, *extra, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def _write(tmp_path, rows, name="ideas.csv"):
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["id", "title", "description"])
        writer.writerows(rows)
    return path


@pytest.mark.slow
def test_whole_madrid_file(tmp_path, client):
    report = tmp_path / "report.csv"
    summary = _run(MADRID, "--report", str(report))
    with report.open(encoding="utf-8") as fh:
        results = list(csv.DictReader(fh))
    assert len(results) == 2738  # every row imported or reported
    imported = [r for r in results if r["result"] == "imported"]
    reported = [r for r in results if r["result"] == "reported"]
    assert len(imported) + len(reported) == 2738
    assert all(r["reason"] for r in reported)
    assert Idea.objects.filter(external_source="madrid").count() == len(imported)
    assert f"{len(imported)} importadas" in summary

    # HTML became plain text for display, the original is kept.
    probe = Idea.objects.get(external_source="madrid", external_id="36197")
    assert probe.original_text == "<p>&lt;a onclick=alert(1)&gt;</p>"
    assert probe.channel == Channel.IMPORT
    assert "<p>" not in Idea.objects.get(external_id="35574").body

    # A second run adds nothing and says so.
    again = _run(MADRID)
    assert "0 importadas" in again
    assert f"{len(imported)} ya importadas" in again
    assert Idea.objects.filter(external_source="madrid").count() == len(imported)

    # The probe renders inert in the moderator's queue and detail pages.
    client.force_login(moderator())
    order = list(selectors.queue_ideas().values_list("pk", flat=True))
    page = order.index(probe.pk) // 20 + 1
    for url in (
        f"{reverse('moderation:queue')}?page={page}",
        reverse("moderation:idea", args=[probe.pk]),
    ):
        html = client.get(url).content.decode()
        assert "&lt;a onclick=alert(1)&gt;" in html
        assert "<a onclick" not in html
        assert "<script>alert" not in html


def test_rows_are_reported_with_reasons(tmp_path):
    path = _write(
        tmp_path,
        [
            ["1", "Más ciclovías en Concepción", "<p>Con <b>separación</b> física</p>"],
            ["1", "Repetida", "mismo id"],
            ["", "Sin id", "x"],
            ["2", "", ""],
            ["3", "T" * 250, "título larguísimo"],
            ["4", "Largo", "x" * 6000],
            ["5", "", "<p>Solo descripción. Sin título.</p>"],
        ],
    )
    report = tmp_path / "r.csv"
    summary = _run(path, "--report", str(report))
    with report.open(encoding="utf-8") as fh:
        rows = {r["row"]: r for r in csv.DictReader(fh)}
    assert rows["1"]["result"] == "imported"
    assert "repetido" in rows["2"]["reason"]
    assert rows["3"]["reason"] == "sin id"
    assert rows["4"]["reason"] == "texto vacío"
    assert "título demasiado largo" in rows["5"]["reason"]
    assert "texto demasiado largo" in rows["6"]["reason"]
    assert rows["7"]["result"] == "imported"
    assert "7 filas: 2 importadas, 0 ya importadas, 5 informadas" in summary
    idea = Idea.objects.get(external_id="1")
    assert idea.body == "Con separación física"
    assert idea.original_text == "<p>Con <b>separación</b> física</p>"
    assert Idea.objects.get(external_id="5").title == "Solo descripción."


def test_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="No encuentro"):
        _run(tmp_path / "nada.csv")
    path = _write(tmp_path, [["1", "a", "b"]])
    with pytest.raises(CommandError, match="Faltan columnas"):
        call_command(
            "import_ideas",
            str(path),
            "--text-columns",
            "title,cuerpo",
            "--delimiter",
            ";",
            "--source",
            "x",
            stdout=io.StringIO(),
        )
    with pytest.raises(CommandError, match="región"):
        call_command(
            "import_ideas",
            str(path),
            "--delimiter",
            ";",
            "--source",
            "x",
            "--region",
            "atlantida",
            stdout=io.StringIO(),
        )


def test_imported_duplicates_are_grouped_for_the_moderators_without_a_second_command(tmp_path):
    from forum.moderation.models import GroupMember

    sheet = tmp_path / "papelografos.csv"
    sheet.write_text(
        "id;title;description\n"
        "1;Fiscalizar la calidad de las OTEC en el Biobío;Los cursos de capacitación de las OTEC"
        " son de mala calidad y nadie los fiscaliza.\n"
        "2;Fiscalizar de verdad la calidad de las OTEC del Biobío;Nadie fiscaliza la calidad de"
        " los cursos de capacitación de las OTEC, que es mala.\n"
        "3;Ferias laborales en cada comuna;Que cada municipio organice una feria al año.\n",
        encoding="utf-8",
    )
    _run(sheet)
    otec = list(Idea.objects.filter(external_id__in=["1", "2"]).values_list("pk", flat=True))
    groups = set(GroupMember.objects.filter(idea_id__in=otec).values_list("group_id", flat=True))
    assert len(groups) == 1
    assert GroupMember.objects.filter(group_id__in=groups).count() == 2
    assert not GroupMember.objects.filter(idea__external_id="3", group_id__in=groups).exists()
