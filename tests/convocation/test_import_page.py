"""The staff page of the CSV imports: an upload becomes a background job of the worker
(``manage.py work``), its page shows a progress bar that refreshes without JavaScript while it
runs, then the counts and every rejected row with its line and reason. Bad files get a clear
error, never a 500."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from forum.convocation import csvimport
from forum.convocation.models import Convocation, ImportJob
from forum.core import jobs
from forum.participation.models import Organisation
from tests import factories

from .helpers import org

pytestmark = pytest.mark.django_db

HEADER = "nombre,region,categoria,territorio,contacto_correo,consentimiento\n"
ORGANISATIONS = HEADER + (
    "Fundación Trabajo para un Hermano,biobio,exclusion_groups,Concepción,fth@example.cl,sí\n"
    "Constructora Andes Sur,Biobío,employers,Los Ángeles,,\n"
    "Fundacion Trabajo Para un Hermano Ltda.,biobio,exclusion_groups,,,\n"
    "Pesquera Atlántida,Atlántida,employers,,,\n"
    "OTEC Capacita Biobío,biobio,training_providers,Coronel,no-es-correo,sí\n"
)


@pytest.fixture
def staff(client):
    user = factories.user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="convene"))
    client.force_login(user)
    return user


def upload(client, content, *, kind="organisations", name="organizaciones.csv", delimiter=","):
    data = content if isinstance(content, bytes) else content.encode()
    return client.post(
        "/convocatoria/importar/",
        {"kind": kind, "delimiter": delimiter, "file": SimpleUploadedFile(name, data)},
    )


def work():
    return jobs.run(["convocation_imports"], once=True)


def test_upload_runs_in_the_worker_and_the_page_lists_every_rejected_row(client, staff):
    assert "/convocatoria/importar/" in client.get("/convocatoria/").content.decode()
    response = upload(client, ORGANISATIONS)
    assert response.status_code == 302
    page_url = response["Location"]
    waiting = client.get(page_url).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="import-progress" max="5" value="0">' in waiting
    assert not Organisation.objects.exists()  # nothing imported by the request itself

    assert work() == 1
    done = client.get(page_url).content.decode()
    assert 'http-equiv="refresh"' not in done
    assert '<progress id="import-progress" max="5" value="5">' in done
    assert "Importadas: 2. Rechazadas: 3." in done
    # Every rejected row with its line in the file (the header is line 1) and the reason.
    assert "<td>4</td><td>Fundacion Trabajo Para un Hermano Ltda.</td>" in done
    assert "duplicada de «Fundación Trabajo para un Hermano»" in done
    assert "<td>5</td><td>Pesquera Atlántida</td><td>región desconocida: Atlántida</td>" in done
    assert "<td>6</td><td>OTEC Capacita Biobío</td><td>correo no válido: no-es-correo</td>" in done
    assert set(Organisation.objects.values_list("name", flat=True)) == {
        "Fundación Trabajo para un Hermano",
        "Constructora Andes Sur",
    }
    # The registry already holds them: the same file again rejects each one as a duplicate.
    upload(client, ORGANISATIONS)
    work()
    again = ImportJob.objects.order_by("-id")[0]
    assert (again.created, again.rejected_rows.count()) == (0, 5)


def test_other_spaces_convocations_are_imported_the_same_way(client, staff):
    org("Agrícola Ñuble Sur")
    content = (
        "organizacion;region;fecha;espacio\n"
        "Agricola Nuble Sur;biobio;2026-03-04;COSOC Seremi del Trabajo\n"
        "Empresa Desconocida;biobio;2026-03-05;COSOC\n"
        "Agrícola Ñuble Sur;biobio;04/03/2026;COSOC\n"
    )
    page_url = upload(client, content, kind="convocations", delimiter=";")["Location"]
    work()
    html = client.get(page_url).content.decode()
    assert "Importadas: 1. Rechazadas: 2." in html
    assert "organización no registrada en la región: Empresa Desconocida" in html
    assert "fecha no válida: 04/03/2026 (AAAA-MM-DD)" in html
    assert Convocation.objects.get().date == dt.date(2026, 3, 4)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "no está en UTF-8"),
        (HEADER.encode() + b"Empresa\x00Nula,biobio,employers,,,\n", "bytes nulos (NUL)"),
        (b"name,region,category\nAcme,biobio,employers\n", "Faltan columnas: nombre, categoria"),
        (HEADER.encode(), "no tiene filas de datos"),
        (
            b'nombre,region,categoria\n"sin cerrar,biobio\n',
            "No es un CSV válido: unexpected end of data, cerca de la línea 2",
        ),
    ],
)
def test_a_bad_file_gets_a_clear_error_and_no_job(client, staff, content, message):
    response = upload(client, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_job_that_fails_midway_resumes_from_the_next_row(client, staff, monkeypatch):
    page_url = upload(client, ORGANISATIONS)["Location"]
    real = csvimport._import_row
    calls = {"n": 0}

    def flaky(row, *args):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disco lleno")
        return real(row, *args)

    monkeypatch.setattr(csvimport, "_import_row", flaky)
    work()
    job = ImportJob.objects.get()
    assert (job.status, job.processed, job.created) == ("failed", 2, 2)
    assert 'http-equiv="refresh"' in client.get(page_url).content.decode()
    ImportJob.objects.update(available_at=timezone.now())
    work()
    job.refresh_from_db()
    # Rows 1 and 2 were not imported twice (no «duplicada» for them), the rest went on.
    assert (job.status, job.processed, job.created) == ("done", 5, 2)
    assert sorted(job.rejected_rows.values_list("line", flat=True)) == [4, 5, 6]


def test_only_staff_see_the_import_pages(client):
    job = ImportJob.objects.create(kind="organisations", file_name="x.csv", content=HEADER)
    client.force_login(factories.user())
    assert client.get("/convocatoria/importar/").status_code == 403
    assert client.get(f"/convocatoria/importar/{job.pk}/").status_code == 403
    assert upload(client, ORGANISATIONS).status_code == 403
    client.logout()
    assert client.get("/convocatoria/importar/").status_code == 302


def test_the_reasons_are_written_in_the_uploaders_language(client, staff, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page_url = upload(client, ORGANISATIONS)["Location"]
    work()
    html = client.get(page_url).content.decode()
    assert "Imported: 2. Rejected: 3." in html
    assert "<td>5</td><td>Pesquera Atlántida</td><td>unknown region: Atlántida</td>" in html


def test_the_admin_lists_the_imports_with_their_progress_and_rejected_rows(client, staff):
    """The secretary's admin (noticed at stop 23: import jobs were only on their staff page)."""
    upload(client, ORGANISATIONS)
    work()
    job = ImportJob.objects.get()
    admin_user = factories.user(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get("/admin/convocation/importjob/").content.decode()
    assert "organizaciones.csv" in listing
    assert "5 de 5 filas (100 %)" in listing
    detail = client.get(f"/admin/convocation/importjob/{job.pk}/change/").content.decode()
    assert "región desconocida: Atlántida" in detail
    assert "correo no válido: no-es-correo" in detail
    assert f'href="/convocatoria/importar/{job.pk}/"' in detail
    # The file itself (contacts' e-mail addresses) is not shown again, and nothing can be edited.
    assert "fth@example.cl" not in detail
    assert 'name="_save"' not in detail
