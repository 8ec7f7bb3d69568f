"""The public dialogue and council pages: what a visitor sees, in both languages, without names
of private persons, and with a number of queries that does not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from forum.dialogues import services
from forum.dialogues.models import ClosingWord, SurveyAnswer
from forum.participation.models import Council, Dialogue, Membership
from tests import factories as f

pytestmark = pytest.mark.django_db


def _celebrated(people: int = 4, ideas: int = 3) -> Dialogue:
    d = f.dialogue(title="Diálogo del Biobío")
    services.guiding_question_add(actor=None, dialogue=d, text="¿Qué oficios faltan en Lota?")
    org = f.organisation(name="Cámara de Comercio de Lota")
    attendees = [
        f.person(name=f"Persona Privada {n}", organisation=org, actor_category="employers")
        for n in range(people)
    ]
    made = [
        f.idea(author=attendees[0], dialogue=d, title=f"Idea {n} de la mesa") for n in range(ideas)
    ]
    services.session_import(
        actor=None,
        dialogue=d,
        attendees=attendees,
        votes=[(p, i) for p in attendees for i in made],
        words=[(p, "Confianza" if n % 2 else "¡confianza!") for n, p in enumerate(attendees)],
        answers=[(p, "excellent", "") for p in attendees],
    )
    Dialogue.objects.filter(pk=d.pk).update(phase="celebration")
    d.refresh_from_db()
    return d


def test_the_dialogue_page_shows_what_it_asks_and_its_results_without_names(client):
    d = _celebrated()
    page = client.get(reverse("dialogues:detail", args=[d.slug])).content.decode()
    assert "Diálogo del Biobío" in page
    assert "¿Qué oficios faltan en Lota?" in page
    assert "Idea 0 de la mesa" in page
    assert "confianza" in page  # the closing word, counted once for both spellings
    assert "Persona Privada" not in page
    assert "qr.svg" not in page  # a celebrated dialogue takes no more ideas


def test_an_open_dialogue_says_how_to_take_part(client):
    d = f.dialogue()
    page = client.get(reverse("dialogues:detail", args=[d.slug])).content.decode()
    assert f'src="/dialogos/{d.slug}/qr.svg"' in page
    assert f"/ideas/nueva/?dialogo={d.slug}" in page


def test_the_page_in_english(client):
    d = _celebrated()
    client.cookies["django_language"] = "en"
    page = client.get(reverse("dialogues:detail", args=[d.slug]), HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "What to discuss?" in text
    assert "How do you rate the method?" in text


def test_query_budget_of_the_dialogue_page_does_not_grow(client, django_assert_max_num_queries):
    small = _celebrated(people=2, ideas=2)
    with django_assert_max_num_queries(30) as small_ctx:
        client.get(reverse("dialogues:detail", args=[small.slug]))
    big = _celebrated(people=12, ideas=10)
    with django_assert_max_num_queries(30) as big_ctx:
        client.get(reverse("dialogues:detail", args=[big.slug]))
    assert len(big_ctx.captured_queries) == len(small_ctx.captured_queries)


def test_query_budget_of_the_lists(client, django_assert_max_num_queries):
    for _ in range(3):
        _celebrated(people=2, ideas=1)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("dialogues:list")).status_code == 200
    for _ in range(5):
        _celebrated(people=2, ideas=1)
    with django_assert_max_num_queries(12) as more:
        client.get(reverse("dialogues:list"))
    assert len(more.captured_queries) == len(few.captured_queries)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dialogues:council_list")).status_code == 200


def test_the_qr_code_is_an_svg_of_the_dialogue_page(client):
    d = f.dialogue()
    response = client.get(reverse("dialogues:qr", args=[d.slug]))
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content


def test_the_council_page_answers_how_fast_and_whats_overdue(client, django_assert_max_num_queries):
    council = f.council()
    chair = f.person(name="Directora Regional")
    Membership.objects.create(
        council=council,
        person=chair,
        actor_category="public_sector",
        role="chair",
        term_start=dt.date(2025, 1, 1),
    )
    org = f.organisation(name="OTEC del Sur")
    for n in range(3):
        Membership.objects.create(
            council=council,
            person=f.person(name=f"Integrante {n}"),
            organisation=org,
            actor_category="training_providers",
            term_start=dt.date(2025, 1, 1),
        )
    with django_assert_max_num_queries(20):
        page = client.get(reverse("dialogues:council_detail", args=[council.slug]))
    text = page.content.decode()
    assert "Directora Regional" in text
    assert "OTEC del Sur" in text
    assert "Integrante 0" not in text  # members by category and organisation


def test_the_national_council_shows_where_each_representative_comes_from(client):
    national = Council.objects.filter(kind="national").first() or Council.objects.create(
        name="Consejo Nacional", slug="consejo-nacional", kind="national"
    )
    rep = f.person(name="Representante")
    regional = f.council()
    for c in (regional, national):
        Membership.objects.create(
            council=c, person=rep, actor_category="employers", term_start=dt.date(2025, 1, 1)
        )
    text = client.get(reverse("dialogues:council_detail", args=[national.slug])).content.decode()
    assert regional.name in text


def test_the_survey_link_lets_an_attendee_answer_once(client):
    d = _celebrated(people=1)
    person = d.checkins.get().person
    assert person is not None
    SurveyAnswer.objects.all().delete()
    url = reverse("dialogues:survey", args=[d.slug, services.survey_token(d, person)])
    assert client.get(url).status_code == 200
    client.post(url, {"rating": "good", "comment": "Muy ordenado"})
    client.post(url, {"rating": "excellent", "comment": ""})
    assert list(SurveyAnswer.objects.values_list("rating", flat=True)) == ["excellent"]
    assert client.get(url.replace("encuesta/", "encuesta/x")).status_code == 404


def test_table_sheets_are_for_staff_only(client):
    d = f.dialogue()
    services.guiding_question_add(actor=None, dialogue=d, text="¿Qué?")
    services.tables_seat(actor=None, dialogue=d, people=[f.person(name="Ana Privada")])
    url = reverse("dialogues:table_print", args=[d.slug, 1])
    assert client.get(url).status_code == 403
    client.force_login(f.user(is_staff=True))
    assert "Ana Privada" in client.get(url).content.decode()


def test_closing_words_are_counted_once_whatever_the_spelling():
    d = _celebrated(people=4)
    assert set(ClosingWord.objects.filter(dialogue=d).values_list("normalised", flat=True)) == {
        "confianza"
    }
