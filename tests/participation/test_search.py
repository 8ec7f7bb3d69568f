"""Idea search as people type it on a phone: without accents, in any case, several words in any
order; the same on the public list, the API and the admin. Plus the list's page numbers and an
over-long search, which must say why nothing was searched."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.participation import search
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def ideas():
    return {
        "oficios": factories.idea(
            title="Capacitación en oficios con práctica",
            body="Cursos de soldadura y electricidad para jóvenes de Ñuble.",
        ),
        "tecnologia": factories.idea(
            title="TECNOLOGÍA para microempresas", body="Herramientas digitales básicas."
        ),
        # Decomposed accents, as some phones and Macs paste them.
        "decomposed": factories.idea(title="Formacio\u0301n dual", body="Empresas y liceos."),
        "other": factories.idea(title="Horarios vespertinos", body="Para quienes trabajan."),
    }


def _codes_in(text: str, ideas: dict[str, Idea]) -> set[str]:
    return {key for key, idea in ideas.items() if idea.formatted_code in text}


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("capacitacion", {"oficios"}),  # no accent typed, accent stored
        ("CAPACITACIÓN", {"oficios"}),
        ("nuble", {"oficios"}),  # Ñ
        ("tecnologia", {"tecnologia"}),  # capitals and an accented capital stored
        ("Tecnología", {"tecnologia"}),
        ("formación", {"decomposed"}),
        ("formacion", {"decomposed"}),
        ("oficios práctica", {"oficios"}),  # both words, not the phrase
        ("practica oficios", {"oficios"}),  # in any order
        ("cursos oficio", {"oficios"}),  # one in the text, one in the title
        ("oficios vespertinos", set()),  # every word must be there
        ("  soldadura,   jóvenes! ", {"oficios"}),  # punctuation and spaces do not count
    ],
)
def test_public_list_search_ignores_case_and_accents_and_matches_each_word(
    client, ideas, q, expected
):
    response = client.get(reverse("participation:idea_list"), {"q": q})
    assert response.status_code == 200
    assert _codes_in(response.content.decode(), ideas) == expected


def test_api_search_ignores_accents_and_matches_each_word(client, ideas):
    body = client.get("/api/ideas", {"q": "cursos capacitacion nuble"}).json()
    assert [row["code"] for row in body["results"]] == [ideas["oficios"].tracking_code]
    assert body["count"] == 1


def test_admin_search_ignores_accents_and_matches_each_word(client, admin_user, ideas):
    client.force_login(admin_user)
    url = reverse("admin:participation_idea_changelist")
    text = client.get(url, {"q": "tecnologia microempresas"}).content.decode()
    assert ideas["tecnologia"].title in text
    assert ideas["oficios"].title not in text
    text = client.get(url, {"q": ideas["other"].formatted_code.lower()}).content.decode()
    assert ideas["other"].title in text
    assert ideas["oficios"].title not in text


def test_search_follows_text_changed_outside_the_submit_service(client, ideas):
    # The moderators' merge rewrites the canonical idea's text with a bulk update.
    Idea.objects.filter(pk=ideas["other"].pk).update(body="Jornada vespertina en Ñuñoa")
    response = client.get(reverse("participation:idea_list"), {"q": "nunoa"})
    assert _codes_in(response.content.decode(), ideas) == {"other"}


def test_tracking_code_still_finds_its_idea(client, ideas):
    code = ideas["tecnologia"].formatted_code
    response = client.get(reverse("participation:idea_list"), {"q": code.lower()})
    assert _codes_in(response.content.decode(), ideas) == {"tecnologia"}


def test_search_words_fold_like_the_database(ideas):
    stored = Idea.objects.values_list("search_text", flat=True).get(pk=ideas["oficios"].pk)
    assert stored == search.fold(
        "Capacitación en oficios con práctica Cursos de soldadura y electricidad para jóvenes "
        "de Ñuble."
    )
    assert search.search_words("Oficio OFICIOS práctica") == ["oficios", "practica"]


def test_too_long_search_says_so_instead_of_listing_everything(client, ideas):
    q = "capacitación," * 20  # 260 characters
    response = client.get(reverse("participation:idea_list"), {"q": q})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tu búsqueda tiene 260 caracteres; el máximo es 200" in text
    assert _codes_in(text, ideas) == set()
    assert 'maxlength="200"' not in text  # a pasted search is not cut without a word


def test_api_rejects_too_long_search(client, ideas):
    response = client.get("/api/ideas", {"q": "x" * 201})
    assert response.status_code == 422


@pytest.mark.parametrize("params", [{}, {"q": "para"}])
@pytest.mark.parametrize("page", ["0", "-1"])
def test_page_zero_or_negative_shows_the_first_page(client, params, page):
    author = factories.person()
    for i in range(45):
        factories.idea(author=author, title=f"Idea para probar páginas {i}")
    response = client.get(reverse("participation:idea_list"), {**params, "page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    newest = Idea.objects.order_by("-created_at", "-id").first()
    assert newest is not None
    assert newest.formatted_code in response.content.decode()


def test_hidden_ideas_are_not_found(client, ideas):
    Idea.objects.filter(pk=ideas["oficios"].pk).update(
        hidden_at=ideas["oficios"].created_at, status=IdeaStatus.RECEIVED
    )
    response = client.get(reverse("participation:idea_list"), {"q": "capacitacion"})
    assert _codes_in(response.content.decode(), ideas) == set()


# Issue 18 item 7: Spanish word forms, region and topic names, relevance, the number of results.


@pytest.fixture
def otec():
    biobio = factories.region("biobio")
    return {
        "sordas": factories.idea(
            title="Intérpretes para personas sordas en los cursos",
            body="Lengua de señas en cada curso.",
        ),
        "sordo": factories.idea(
            title="Un joven sordo no pudo terminar su curso", body="Faltan apoyos."
        ),
        "otec_biobio": factories.idea(
            title="Fiscalizar la calidad de las OTEC",
            body="Hay cursos que no se dictan.",
            region=biobio,
        ),
        "otec_title": factories.idea(
            title="Las OTEC y los cursos de soldadura en el Biobío",
            body="Que las OTEC rindan cuentas.",
            region=factories.region("los-lagos"),
        ),
        "otec_body": factories.idea(
            title="Capacitación con seguimiento",
            body="Se pide que una otec del Biobío rinda cuentas.",
            region=factories.region("los-lagos"),
        ),
    }


@pytest.mark.parametrize("q", ["sordos", "sordas", "SORDA", "sórdos"])
def test_search_finds_every_form_of_a_word(client, otec, q):
    text = client.get(reverse("participation:idea_list"), {"q": q}).content.decode()
    assert _codes_in(text, otec) == {"sordas", "sordo"}
    assert "2 ideas" in text


def test_search_looks_in_the_region_name(client, otec):
    text = client.get(reverse("participation:idea_list"), {"q": "otec biobio"}).content.decode()
    assert _codes_in(text, otec) == {"otec_biobio", "otec_title", "otec_body"}
    assert "3 ideas" in text


def test_search_results_come_by_relevance_title_first(client, otec):
    response = client.get(reverse("participation:idea_list"), {"q": "otec"})
    codes = [idea.formatted_code for idea in response.context["ideas"]]
    # The idea that only mentions it in its text, though newest, comes after the title hits.
    assert codes[-1] == otec["otec_body"].formatted_code
    assert set(codes) == {
        otec[k].formatted_code for k in ("otec_biobio", "otec_title", "otec_body")
    }
