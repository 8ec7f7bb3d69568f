"""A correction made in the admin leaves an audit row: who, which fields, before and after."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation.models import AuditEntry
from forum.participation.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db


def _post_change(client, idea: Idea, **changes) -> None:
    url = reverse("admin:participation_idea_change", args=[idea.pk])
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(
        {
            "coauthorships-TOTAL_FORMS": 0,
            "coauthorships-INITIAL_FORMS": 0,
            "history-TOTAL_FORMS": 1,
            "history-INITIAL_FORMS": 1,
            **changes,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def test_a_corrected_title_and_region_are_audited_with_before_and_after(client, admin_user):
    client.force_login(admin_user)
    idea = factories.idea(title="Cursos de soldadura en Talcauano", region=factories.region())
    maule = factories.region("maule")

    _post_change(client, idea, title="Cursos de soldadura en Talcahuano", region=maule.pk)

    idea.refresh_from_db()
    assert idea.title == "Cursos de soldadura en Talcahuano"
    assert idea.region == maule
    entry = AuditEntry.objects.get(action="idea.edit")
    assert entry.actor == admin_user
    assert entry.target_id == str(idea.pk)
    assert entry.before == {"title": "Cursos de soldadura en Talcauano", "region": "Biobío"}
    assert entry.after == {"title": "Cursos de soldadura en Talcahuano", "region": maule.name}
    page = client.get(reverse("moderation:audit")).content.decode()
    assert "Idea corregida en la administración" in page


def test_saving_without_a_change_writes_no_audit_row(client, admin_user):
    client.force_login(admin_user)
    idea = factories.idea(title="Sin cambios")

    _post_change(client, idea)

    assert not AuditEntry.objects.filter(action="idea.edit").exists()
