"""Issue 18 item 13: after login each role lands on its own page; a council's inbox is a compact
list with filters and one answer form at a time; a moderator can read the councils' pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services
from tests import factories
from tests.moderation.moderation_helpers import moderator, secretary

pytestmark = pytest.mark.django_db
PASSWORD = "una-clave-larga-de-prueba"


def _login(client, user) -> str:
    user.set_password(PASSWORD)
    user.save()
    response = client.post(
        reverse("login"), {"username": user.username, "password": PASSWORD}, follow=True
    )
    return response.redirect_chain[-1][0]


def test_a_secretary_lands_on_her_council_inbox(client):
    council = factories.council("biobio")
    assert _login(client, secretary(council, "secretaria")) == reverse(
        "moderation:council", args=[council.slug]
    )


def test_a_moderator_lands_on_the_queue(client):
    assert _login(client, moderator("moderadora")) == reverse("moderation:queue")


def test_a_participant_lands_on_my_ideas(client):
    user = factories.user("vecina")
    factories.person(user_obj=user)
    assert _login(client, user) == reverse("participation:my_ideas")


def test_a_moderator_reads_every_council_with_its_backlog(client):
    council = factories.council("biobio")
    idea = factories.idea(title="Derivada y atrasada")
    services.idea_route_cluster(idea=idea, council=council, actor=moderator("m1"))
    type(idea).objects.filter(pk=idea.pk).update(
        answer_due=timezone.localdate() - dt.timedelta(days=3)
    )
    client.force_login(moderator("moderadora"))
    overview = client.get(reverse("moderation:councils"))
    assert overview.status_code == 200
    html = overview.content.decode()
    assert council.name in html
    assert "1 atrasada" in html
    page = client.get(reverse("moderation:council", args=[council.slug]))
    assert page.status_code == 200
    assert "Derivada y atrasada" in page.content.decode()
    # Reading is not answering: no answer link for a moderator.
    assert reverse("moderation:answer", args=[council.slug, idea.pk]) not in page.content.decode()


_batches = iter(range(1000))


def _routed(council, n, *, due):
    mod = moderator()
    ideas = []
    batch = next(_batches)  # each call's ideas differ: the same text twice would be merged
    for i in range(n):
        idea = factories.idea(title=f"Idea derivada {batch}-{i}", body="Texto largo " * 60)
        services.idea_route_cluster(idea=idea, council=council, actor=mod, answer_due=due)
        ideas.append(idea)
    return ideas


def test_the_inbox_is_one_line_per_idea_with_one_answer_form_elsewhere(client):
    council = factories.council("biobio")
    ideas = _routed(council, 3, due=timezone.localdate() + dt.timedelta(days=20))
    client.force_login(secretary(council, "secretaria"))
    html = client.get(reverse("moderation:council", args=[council.slug])).content.decode()
    assert "<textarea" not in html  # no open answer form per idea
    assert "Texto largo Texto largo" not in html  # bodies stay on the answer page
    for idea in ideas:
        assert reverse("moderation:answer", args=[council.slug, idea.pk]) in html
    answer = client.get(
        reverse("moderation:answer", args=[council.slug, ideas[0].pk])
    ).content.decode()
    assert answer.count("<textarea") == 1
    assert "Texto largo Texto largo" in answer


def test_the_inbox_filters_overdue_ideas(client):
    council = factories.council("biobio")
    [late] = _routed(council, 1, due=timezone.localdate() + dt.timedelta(days=1))
    type(late).objects.filter(pk=late.pk).update(
        answer_due=timezone.localdate() - dt.timedelta(days=2)
    )
    [on_time] = _routed(council, 1, due=timezone.localdate() + dt.timedelta(days=25))
    client.force_login(secretary(council, "secretaria"))
    url = reverse("moderation:council", args=[council.slug])
    html = client.get(url, {"mostrar": "overdue"}).content.decode()
    assert late.formatted_code in html
    assert on_time.formatted_code not in html
    assert "1 idea por responder" in html
