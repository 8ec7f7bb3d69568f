"""A council secretary in the admin: no button to a form that would refuse them, and a way to
the page where they do answer (QA m7)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation import services
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator, secretary  # noqa: F401

pytestmark = pytest.mark.django_db


def _routed_idea(council):
    idea = factories.idea(title="Derivada al consejo del Biobío")
    services.idea_route_cluster(idea=idea, council=council, actor=None)
    return idea


def test_secretary_sees_their_council_page_instead_of_the_status_form(client):
    council = factories.council("biobio")
    sec = secretary(council, "secretaria")
    sec.is_staff = True
    sec.save()
    idea = _routed_idea(council)
    client.force_login(sec)
    page = client.get(reverse("admin:participation_idea_change", args=[idea.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Cambiar estado con mensaje público" not in html
    assert reverse("participation:idea_status", args=[idea.formatted_code]) not in html
    council_url = reverse("moderation:council", args=[council.slug])
    assert f'href="{council_url}"' in html
    assert f"Responder en la página de {council.name}" in html
    assert client.get(council_url).status_code == 200
    listing = client.get(reverse("admin:participation_idea_changelist")).content.decode()
    assert f'href="{council_url}"' in listing
    assert "Por consejo" in listing


def test_moderator_keeps_the_status_form_button(client):
    council = factories.council("biobio")
    mod = moderator("moderadora")
    mod.is_staff = True
    mod.save()
    idea = _routed_idea(council)
    client.force_login(mod)
    html = client.get(reverse("admin:participation_idea_change", args=[idea.pk])).content.decode()
    assert "Cambiar estado con mensaje público" in html
    assert f"Responder en la página de {council.name}" not in html
