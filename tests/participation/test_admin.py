"""The admin a council secretary or moderator uses: lists load, statuses are not editable."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea, Person, StatusChange
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, admin_user):
    client.force_login(admin_user)
    return client


def _many_ideas(n: int) -> None:
    author = factories.person()
    topic = factories.topic("Seguimiento")
    dialogue = factories.dialogue()
    for i in range(n):
        factories.idea(author=author, title=f"Idea número {i}", topic=topic, dialogue=dialogue)


def test_idea_changelist_with_filters_has_bounded_queries(admin_client_logged):
    url = reverse("admin:participation_idea_changelist")
    counts = []
    for n in (5, 40):
        _many_ideas(n - Idea.objects.count())
        with CaptureQueriesContext(connection) as ctx:
            response = admin_client_logged.get(
                url, {"status__exact": "received", "region__id__exact": factories.region().pk}
            )
        assert response.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 15, counts
    text = response.content.decode()
    assert "Idea número 34" in text  # the last one created
    for facet in ("Por estado", "Por región", "Por tema", "Por canal", "Por diálogo"):
        assert facet in text


def test_idea_changelist_search_by_code_and_text(admin_client_logged):
    a = factories.idea(title="Intérpretes de lengua de señas")
    b = factories.idea(title="Cursos de soldadura")
    url = reverse("admin:participation_idea_changelist")
    text = admin_client_logged.get(url, {"q": a.formatted_code.lower()}).content.decode()
    assert a.title in text
    assert b.title not in text
    text = admin_client_logged.get(url, {"q": "soldadura"}).content.decode()
    assert b.title in text
    assert a.title not in text


def test_idea_change_page_links_to_status_form_and_status_is_read_only(admin_client_logged):
    idea = factories.idea()
    url = reverse("admin:participation_idea_change", args=[idea.pk])
    response = admin_client_logged.get(url)
    text = response.content.decode()
    assert response.status_code == 200
    assert reverse("participation:idea_status", args=[idea.formatted_code]) in text
    assert 'name="status"' not in text
    assert "Idea recibida." in text  # the history inline


def test_admin_post_cannot_change_status(admin_client_logged):
    idea = factories.idea(title="Título original")
    url = reverse("admin:participation_idea_change", args=[idea.pk])
    response = admin_client_logged.get(url)
    form = response.context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "title": "Título corregido",
            "status": IdeaStatus.IMPLEMENTED,
            "coauthorships-TOTAL_FORMS": 0,
            "coauthorships-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 1,
            "history-INITIAL_FORMS": 1,
        }
    )
    response = admin_client_logged.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    idea.refresh_from_db()
    assert idea.title == "Título corregido"
    assert idea.status == IdeaStatus.RECEIVED
    assert StatusChange.objects.filter(idea=idea).count() == 1


def test_admin_cannot_add_ideas_or_edit_history(admin_client_logged):
    idea = factories.idea()
    assert admin_client_logged.get(reverse("admin:participation_idea_add")).status_code == 403
    change = StatusChange.objects.get(idea=idea)
    response = admin_client_logged.post(
        reverse("admin:participation_statuschange_change", args=[change.pk]),
        {"public_message": "reescrito"},
    )
    assert response.status_code in (302, 403, 200)
    change.refresh_from_db()
    assert change.public_message == "Idea recibida."


@pytest.mark.parametrize(
    "model",
    [
        "region",
        "organisation",
        "person",
        "council",
        "membership",
        "topic",
        "dialogue",
        "idea",
        "support",
        "statuschange",
    ],
)
def test_every_changelist_loads(admin_client_logged, admin_user, model):
    person = factories.person(name="Rosa Pinto", email="rosa@example.cl")
    factories.identity(person)
    idea = factories.idea(author=person)
    services.support_add(idea=idea, person=factories.person())
    response = admin_client_logged.get(reverse(f"admin:participation_{model}_changelist"))
    assert response.status_code == 200


def test_person_admin_search_and_inline_identities(admin_client_logged):
    person = factories.person(name="Rosa Pinto", email="rosa@example.cl")
    factories.identity(person, external_id="777001")
    factories.person(name="Otro Nombre")
    url = reverse("admin:participation_person_changelist")
    text = admin_client_logged.get(url, {"q": "rosa@example"}).content.decode()
    assert "Rosa Pinto" in text
    assert "Otro Nombre" not in text
    text = admin_client_logged.get(
        reverse("admin:participation_person_change", args=[person.pk])
    ).content.decode()
    assert "777001" in text
    assert Person.objects.count() == 2


def test_council_and_dialogue_change_pages(admin_client_logged):
    council = factories.council()
    dialogue = factories.dialogue(council=council)
    assert (
        admin_client_logged.get(
            reverse("admin:participation_council_change", args=[council.pk])
        ).status_code
        == 200
    )
    text = admin_client_logged.get(
        reverse("admin:participation_dialogue_change", args=[dialogue.pk])
    ).content.decode()
    assert (
        "selectfilter" in text.lower()
        or "filter_horizontal" in text.lower()
        or 'class="selectfilter' in text
    )
