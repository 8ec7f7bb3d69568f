"""The organisations CSV import: progress, every rejected row with its reason, fuzzy duplicates."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from forum.convocation.models import Contact, Convocation, OrganisationProfile
from forum.participation.models import Organisation
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = [
    "nombre",
    "region",
    "categoria",
    "territorio",
    "cadena",
    "tamano",
    "grupo_riesgo",
    "contacto_nombre",
    "contacto_correo",
    "contacto_telegram",
    "contacto_whatsapp",
    "consentimiento",
]


def write(tmp_path, rows):
    path = tmp_path / "orgs.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=";")
        w.writerow(HEADER)
        w.writerows(rows)
    return path


def test_import_creates_good_rows_and_reports_every_rejected_one(tmp_path):
    Organisation.objects.create(
        name="Fundación Trabajo para un Hermano",
        region=factories.region("biobio"),
        actor_category="exclusion_groups",
    )
    path = write(
        tmp_path,
        [
            [
                "Viña Los Robles SpA",
                "maule",
                "self_employment",
                "Talca",
                "Vitivinícola",
                "micro",
                "",
                "Ana Soto",
                "ana@example.cl",
                "",
                "+56 9 1111 2222",
                "2026-03-01",
            ],
            [
                "Fundacion Trabajo Para un Hermano Ltda.",
                "biobio",
                "exclusion_groups",
                "",
                "",
                "",
                "youth",
                "",
                "",
                "",
                "",
                "",
            ],
            ["", "maule", "employers", "", "", "", "", "", "", "", "", ""],
            ["Cámara de Comercio", "atlantida", "employers", "", "", "", "", "", "", "", "", ""],
            [
                "OTEC Sur",
                "biobio",
                "Oferta de capacitación e inserción laboral",
                "",
                "",
                "",
                "",
                "",
                "no-es-correo",
                "",
                "",
                "",
            ],
            ["Viña los Robles", "maule", "self_employment", "", "", "", "", "", "", "", "", ""],
        ],
    )
    out, err = io.StringIO(), io.StringIO()
    rejected = tmp_path / "rechazadas.csv"
    call_command(
        "import_organisations",
        str(path),
        delimiter=";",
        rejected=str(rejected),
        stdout=out,
        stderr=err,
    )
    text = out.getvalue()
    assert "Creadas: 1. Rechazadas: 5." in text
    assert "Fila 2 (Fundacion Trabajo Para un Hermano Ltda.): duplicada de «Fundación" in text
    assert "Fila 3 (—): faltan datos: nombre" in text
    assert "región desconocida: atlantida" in text
    assert "correo no válido" in text
    assert "Fila 6 (Viña los Robles): duplicada de «Viña Los Robles SpA»" in text
    assert "6/6" in err.getvalue()  # the progress bar reached the end
    assert len(list(csv.reader(rejected.open()))) == 6
    vina = Organisation.objects.get(name="Viña Los Robles SpA")
    profile = OrganisationProfile.objects.get(organisation=vina)
    assert profile.value_chain is not None
    assert (profile.territory, profile.value_chain.name, profile.size) == (
        "Talca",
        "Vitivinícola",
        "micro",
    )
    person = Contact.objects.get(organisation=vina).person
    assert person.consent_at is not None
    assert person.identities.get().external_id == "56911112222"


def test_other_spaces_convocations_are_recorded_against_the_registry(tmp_path):
    Organisation.objects.create(
        name="Cámara Chilena de la Construcción Biobío",
        region=factories.region("biobio"),
        actor_category="employers",
    )
    path = tmp_path / "conv.csv"
    path.write_text(
        "organizacion,region,fecha,espacio\n"
        "Camara Chilena de la Construccion Biobio,biobio,2026-05-04,COSOC Seremi del Trabajo\n"
        "Cámara Inexistente,biobio,2026-05-04,Mesa regional\n"
        "Cámara Chilena de la Construcción Biobío,biobio,04/05/2026,Mesa regional\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_convocations", str(path), no_progress=True, stdout=out)
    text = out.getvalue()
    assert "Registradas: 1. Rechazadas: 2." in text
    assert "organización no registrada en la región: Cámara Inexistente" in text
    assert "fecha no válida: 04/05/2026" in text
    [row] = Convocation.objects.all()
    assert (row.space_name, row.source) == ("COSOC Seremi del Trabajo", "imported")
