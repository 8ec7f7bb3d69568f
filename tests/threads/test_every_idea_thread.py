"""Issue 18 item 14: every public idea has its conversation, not only those routed to a council;
a hidden idea's conversation stays hidden."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services as moderation
from forum.threads.models import Thread
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db


def test_a_new_idea_has_a_conversation_one_can_post_in(client):
    idea = factories.idea(title="Cursos de inglés para guías de turismo en Chiloé")
    page = client.get(reverse("participation:idea_detail", args=[idea.formatted_code]))
    link = reverse("threads:idea_thread", args=[idea.formatted_code])
    assert link in page.content.decode()
    response = client.get(link, follow=True)
    assert response.status_code == 200
    assert "Cursos de inglés para guías de turismo en Chiloé" in response.content.decode()
    thread = Thread.objects.get(idea=idea)
    # Opened once: a second visit goes to the same conversation.
    client.get(link)
    assert Thread.objects.filter(idea=idea).count() == 1
    user = factories.user()
    factories.person(user_obj=user)
    client.force_login(user)
    client.post(
        reverse("threads:post_create", args=[thread.pk]), {"body": "Me sumo, en Ancud igual."}
    )
    assert (
        "Me sumo, en Ancud igual."
        in client.get(reverse("threads:detail", args=[thread.pk])).content.decode()
    )


def test_a_merged_ideas_conversation_is_its_canonical_ideas(client):
    canonical, merged = factories.idea(), factories.idea()
    moderation.idea_merge(canonical=canonical, merged=[merged], actor=moderator())
    response = client.get(reverse("threads:idea_thread", args=[merged.formatted_code]))
    assert response.status_code == 302
    assert Thread.objects.get(idea=canonical).pk == int(response.url.rstrip("/").split("/")[-1])


def test_a_hidden_ideas_conversation_is_not_shown(client):
    idea = factories.idea(title="Idea oculta por moderación")
    client.get(reverse("threads:idea_thread", args=[idea.formatted_code]))
    thread = Thread.objects.get(idea=idea)
    idea.hidden_at = timezone.now()
    idea.save(update_fields=["hidden_at"])
    assert client.get(reverse("threads:idea_thread", args=[idea.formatted_code])).status_code == 404
    assert client.get(reverse("threads:detail", args=[thread.pk])).status_code == 404
    assert "Idea oculta por moderación" not in client.get(reverse("threads:list")).content.decode()
