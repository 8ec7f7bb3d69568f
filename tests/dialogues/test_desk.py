"""Staff's desk for a dialogue: what the next phase still needs, and its buttons call the
services (anyone else is refused)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.dialogues.models import AgendaPoint, Seat
from forum.participation.models import Dialogue
from tests import factories as f

pytestmark = pytest.mark.django_db


def _post(client, d, action, **data):
    return client.post(reverse("dialogues:manage_action", args=[d.slug, action]), data)


def test_staff_walk_a_dialogue_from_guidelines_to_the_session(client):
    d = f.dialogue()
    author = f.person(actor_category="employers")
    f.idea(author=author, dialogue=d, title="Cursos de oficios en Lota")
    client.force_login(f.user(is_staff=True))

    page = client.get(reverse("dialogues:manage", args=[d.slug])).content.decode()
    assert "fija los temas o las preguntas orientadoras" in page

    _post(client, d, "pregunta", text="¿Qué oficios faltan?")
    _post(client, d, "avanzar")
    assert Dialogue.objects.get(pk=d.pk).phase == "planning"

    _post(client, d, "proponer-agenda")
    assert AgendaPoint.objects.filter(dialogue=d).count() == 1
    response = _post(client, d, "avanzar")
    assert Dialogue.objects.get(pk=d.pk).phase == "planning"  # refused: no agenda published
    assert "publica la agenda" in client.get(response["Location"]).content.decode()

    _post(client, d, "publicar-agenda")
    _post(client, d, "armar-mesas")
    assert Seat.objects.filter(dialogue=d, person=author).exists()
    _post(client, d, "publicar-mesas")
    _post(client, d, "avanzar")
    assert Dialogue.objects.get(pk=d.pk).phase == "realisation"


def test_the_desk_is_for_staff_only(client):
    d = f.dialogue()
    assert client.get(reverse("dialogues:manage", args=[d.slug])).status_code == 403
    client.force_login(f.user())
    assert _post(client, d, "avanzar").status_code == 403
    assert Dialogue.objects.get(pk=d.pk).phase == "guidelines"
