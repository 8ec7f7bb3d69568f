"""Issue 18 item 10: a routed idea always has a due date (the council's answer period by default),
so it can become overdue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import selectors, services
from forum.participation.lifecycle import IdeaStatus
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod_client(client):
    user = moderator("moderadora")
    client.force_login(user)
    client.user = user
    return client


def test_route_form_proposes_the_councils_answer_period(mod_client):
    council = factories.council("biobio")
    council.answer_days = 45
    council.save()
    idea = factories.idea(region=council.region)
    html = mod_client.get(reverse("moderation:route", args=[idea.pk])).content.decode()
    due = timezone.localdate() + dt.timedelta(days=45)
    assert f'value="{due.isoformat()}"' in html


def test_routing_without_a_date_uses_the_councils_period(mod_client):
    idea = factories.idea()
    council = factories.council("biobio")
    response = mod_client.post(
        reverse("moderation:route", args=[idea.pk]),
        {"council": council.pk, "answer_due": "", "public_message": ""},
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ROUTED
    assert idea.answer_due == timezone.localdate() + dt.timedelta(days=30)


def test_a_routed_idea_becomes_overdue_once_its_period_passes(mod_client):
    council = factories.council("biobio")
    idea = factories.idea(title="Sin fecha al derivar")
    services.idea_route_cluster(idea=idea, council=council, actor=mod_client.user)
    idea.refresh_from_db()
    assert idea.answer_due is not None
    idea.answer_due = timezone.localdate() - dt.timedelta(days=1)
    idea.save(update_fields=["answer_due"])
    titles = [i.title for _council, ideas in selectors.overdue_by_council() for i in ideas]
    assert "Sin fecha al derivar" in titles
