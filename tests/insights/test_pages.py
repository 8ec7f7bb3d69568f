"""The results pages and the success metric: in Spanish and English, the figures on them,
accessible charts (valid SVG, labelled, with their data as a table), fixed query counts."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from forum.insights import cache
from tests import factories

pytestmark = pytest.mark.django_db

SVG = re.compile(r"<svg\b.*?</svg>", re.S)
NS = "{http://www.w3.org/2000/svg}"


def _pages(site) -> list[str]:
    dialogue = factories.dialogue(council=site["a"])
    return [
        "/resultados/",
        "/resultados/?mapa=respondidas",
        "/resultados/region/biobio/",
        f"/resultados/consejo/{site['a'].slug}/",
        f"/resultados/dialogo/{dialogue.slug}/",
        "/resultados/metrica/",
        "/datos/",
    ]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_answers_in_both_languages(client, forum_site, language):
    for path in _pages(forum_site):
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        assert response.status_code == 200, path
        assert f'<html lang="{language}">' in response.content.decode()


def test_the_overall_page_shows_the_figures_and_accountability(client, forum_site):
    html = client.get("/resultados/").content.decode()
    assert "Rendición de cuentas" in html
    assert "28.0" in html or "28,0" in html  # council A's 90th percentile of days
    assert "Palabras más mencionadas" in html
    assert "cursos" in html
    assert "Secreta" not in html  # no participant's name


def test_svgs_are_valid_xml_and_labelled(client, forum_site):
    html = client.get("/resultados/").content.decode()
    svgs = SVG.findall(html)
    assert len(svgs) >= 8  # ranking, 6 charts, map, words
    for markup in svgs:
        root = ET.fromstring(markup)
        assert root.get("role") == "img"
        title_id, desc_id = (root.get("aria-labelledby") or "").split()
        title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
        assert title is not None
        assert desc is not None
        assert title.get("id") == title_id
        assert title.text
        assert desc.get("id") == desc_id
        assert "style" not in markup  # the CSP forbids inline styles
    # The map: 16 regions, each with its name and value as a tooltip.
    map_svg = next(s for s in svgs if 'aria-labelledby="map-t' in s)
    assert len(ET.fromstring(map_svg).findall(f"{NS}path")) == 16


def test_query_count_does_not_grow_with_rows(client, forum_site, django_assert_max_num_queries):
    client.get("/resultados/")  # fills the cache
    with CaptureQueriesContext(connection) as first:
        client.get("/resultados/")
    for n in range(10):
        factories.idea(title=f"Otra idea sobre capacitación {n}")
    cache.bump()
    client.get("/resultados/")
    with CaptureQueriesContext(connection) as second:
        client.get("/resultados/")
    assert len(second) == len(first)
    assert len(first) <= 8  # sessions, scope lists (regions, councils, dialogues)


def test_success_metric_page_defines_each_part(client, forum_site):
    html = client.get("/resultados/metrica/").content.decode()
    for name in [
        "Cobertura de respuesta",
        "Tiempo de respuesta",
        "Participación repetida",
        "Equilibrio de categorías",
        "Evaluación del método",
    ]:
        assert name in html
    assert "75 %" in html


def test_unknown_scope_is_404(client, db):
    assert client.get("/resultados/region/no-existe/").status_code == 404


def test_links_from_navigation_and_home(client, db):
    html = client.get("/").content.decode()
    assert 'href="/resultados/"' in html
    assert 'href="/datos/"' in html
