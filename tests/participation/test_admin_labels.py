"""The Spanish admin: every idea field has a Spanish label, and codes look like ABCD-EFGH."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_logged(client, admin_user):
    client.force_login(admin_user)
    return client


def test_idea_page_labels_are_spanish(admin_client_logged):
    idea = factories.idea(external_source="madrid", external_id="12345")
    url = reverse("admin:participation_idea_change", args=[idea.pk])

    html = admin_client_logged.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert "External source" not in html
    assert "External id" not in html
    assert "Fuente externa" in html
    assert "Identificador en la fuente externa" in html


def test_admin_shows_tracking_codes_with_the_dash(admin_client_logged):
    idea = factories.idea(title="Talleres de oficios en Lota")
    code = idea.formatted_code
    assert "-" in code

    changelist = admin_client_logged.get(reverse("admin:participation_idea_changelist"))
    change = admin_client_logged.get(reverse("admin:participation_idea_change", args=[idea.pk]))
    history = admin_client_logged.get(reverse("admin:participation_statuschange_changelist"))

    assert f">{code}</a>" in changelist.content.decode()
    assert f">{idea.tracking_code}<" not in changelist.content.decode()
    assert code in change.content.decode()
    assert f">{idea.tracking_code}<" not in change.content.decode()
    assert f"{code} · Talleres de oficios en Lota" in history.content.decode()
