"""/datos/: every file in CSV and JSON, described by datapackage.json, streamed, zipped with its
checksum; no personal data anywhere; the same numbers as the pages and the API."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.http import StreamingHttpResponse

from forum.insights import opendata, selectors

pytestmark = pytest.mark.django_db

PERSONAL = ["Secreta", "Ana Pérez", "ana@example.cl", "987654321", "mod-insights", "sec-a"]


def _body(response) -> str:
    if isinstance(response, StreamingHttpResponse):
        return b"".join(response.streaming_content).decode()  # type: ignore[arg-type]
    return response.content.decode()


@pytest.fixture
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path
    return tmp_path


def test_every_file_is_streamed_in_csv_and_json_with_its_schema(client, forum_site):
    package = client.get("/datos/datapackage.json").json()
    assert package["licenses"][0]["name"] == "CC-BY-4.0"
    described = {r["path"]: r for r in package["resources"]}
    for resource in opendata.RESOURCES:
        names = [f.name for f in resource.fields]
        response = client.get(f"/datos/{resource.name}.csv")
        assert response.status_code == 200
        assert isinstance(response, StreamingHttpResponse)
        rows = list(csv.reader(io.StringIO(_body(response))))
        assert rows[0] == names
        assert [f["name"] for f in described[f"{resource.name}.csv"]["schema"]["fields"]] == names
        data = json.loads(_body(client.get(f"/datos/{resource.name}.json")))
        assert len(data) == len(rows) - 1
        assert all(list(item) == names for item in data)
    assert client.get("/datos/personas.csv").status_code == 404


def test_ideas_file_holds_public_ideas_only(client, forum_site):
    rows = list(csv.DictReader(io.StringIO(_body(client.get("/datos/ideas.csv")))))
    assert len(rows) == 5  # the hidden idea is left out
    first = next(r for r in rows if r["title"] == "Cursos de soldadura para jóvenes")
    assert first["status"] == "answered_accepted"
    assert first["council"] == forum_site["a"].slug
    assert first["support_count"] == "2"
    assert first["answer_due"] == "2026-01-20"


def test_no_personal_data_in_any_download(client, forum_site, open_data_dir):
    texts = [_body(client.get("/datos/datapackage.json"))]
    for resource in opendata.RESOURCES:
        texts.append(_body(client.get(f"/datos/{resource.name}.csv")))
        texts.append(_body(client.get(f"/datos/{resource.name}.json")))
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get("/datos/foro-abierto-datos.zip"))))
    texts.extend(archive.read(name).decode() for name in archive.namelist())
    for api in ["headline", "accountability", "funnel", "trend", "breakdowns", "words", "success"]:
        texts.append(client.get(f"/api/results/{api}").content.decode())
    for text in texts:
        for value in PERSONAL:
            assert value not in text


def test_zip_of_everything_with_its_checksum(client, forum_site, open_data_dir):
    call_command("opendata_zip", stdout=io.StringIO())
    built = list(open_data_dir.glob("*.zip"))
    assert len(built) == 1
    response = client.get("/datos/foro-abierto-datos.zip")
    content = b"".join(response.streaming_content)
    listed = client.get("/datos/foro-abierto-datos.zip.sha256").content.decode()
    assert listed.split()[0] == hashlib.sha256(content).hexdigest()
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert "datapackage.json" in names
    assert {"ideas.csv", "ideas.json", "councils.csv", "by_region.json"} <= set(names)
    assert listed.split()[0] in client.get("/datos/").content.decode()


def test_same_numbers_in_pages_api_and_files(client, forum_site):
    councils = {
        r["slug"]: r for r in csv.DictReader(io.StringIO(_body(client.get("/datos/councils.csv"))))
    }
    api = {r["slug"]: r for r in client.get("/api/results/accountability").json()["councils"]}
    page = client.get("/resultados/").content.decode()
    for row in selectors.accountability()["councils"]:
        slug = row["slug"]
        assert int(councils[slug]["routed"]) == api[slug]["routed"] == row["routed"]
        assert int(councils[slug]["answered"]) == api[slug]["answered"] == row["answered"]
        if row["routed"]:
            assert f"/resultados/consejo/{slug}/" in page
    head = client.get("/api/results/headline").json()
    assert head["ideas"] == selectors.headline().ideas == 5
    assert head["supports"] == client.get("/api/stats").json()["supports"]
    regions = {
        r["region"]: r
        for r in csv.DictReader(io.StringIO(_body(client.get("/datos/by_region.csv"))))
    }
    assert int(regions["biobio"]["ideas"]) == 4


def test_the_api_documents_the_aggregates(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert "/api/results/accountability" in paths
    assert "/api/results/success" in paths


@pytest.mark.django_db(transaction=True)
async def test_under_asgi_the_file_is_sent_block_by_block(async_client):
    """Django reads a plain iterator to its end before an ASGI server sends anything; the
    download hands daphne an async iterator instead, one block of rows at a time."""
    from asgiref.sync import sync_to_async

    from tests import factories

    await sync_to_async(lambda: [factories.idea(title=f"Idea número {n}") for n in range(3)])()
    response = await async_client.get("/datos/ideas.csv")
    assert response.is_async
    body = b"".join([chunk async for chunk in response.streaming_content]).decode()
    assert body.count("Idea número") == 3


def test_the_results_schemas_do_not_replace_the_api_s_own(client, db):
    schemas = client.get("/api/openapi.json").json()["components"]["schemas"]
    assert "region" not in schemas["RegionOut"]["properties"]  # participation's: slug, name...
    assert "region" in schemas["RegionFiguresOut"]["properties"]
