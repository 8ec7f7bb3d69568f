"""Issue 18 item 14: every public idea has its conversation, not only those routed to a council;
a hidden idea's conversation stays hidden. Reading a conversation never writes: the thread is
opened by its first message (a crawler walking every idea creates nothing)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from forum.moderation import services as moderation
from forum.threads import services
from forum.threads.models import Post, Thread
from tests import factories
from tests.moderation.moderation_helpers import moderator

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def _conversation(idea) -> str:
    return reverse("threads:idea_thread", args=[idea.formatted_code])


def _signed_in(client):
    user = factories.user()
    factories.person(user_obj=user)
    client.force_login(user)
    return user


def _member():
    return factories.person(user_obj=factories.user())


def _writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]


def test_the_conversation_of_a_new_idea_shows_its_form_and_stores_nothing(client):
    idea = factories.idea(title="Cursos de inglés para guías de turismo en Chiloé")
    page = client.get(reverse("participation:idea_detail", args=[idea.formatted_code]))
    assert _conversation(idea) in page.content.decode()
    _signed_in(client)
    before = Thread.objects.count()
    response = client.get(_conversation(idea))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cursos de inglés para guías de turismo en Chiloé" in html
    assert "Sé la primera persona en comentar" in html
    assert 'id="post-form"' in html
    assert f'action="{_conversation(idea)}"' in html
    assert Thread.objects.count() == before


def test_anonymous_visits_never_write(client):
    idea = factories.idea(title="Buses de acercamiento a la posta de Quellón")
    with CaptureQueriesContext(connection) as queries:
        for _ in range(3):
            assert client.get(_conversation(idea)).status_code == 200
            assert client.head(_conversation(idea)).status_code == 200
    assert _writes(queries.captured_queries) == []
    assert not Thread.objects.filter(idea=idea).exists()
    # The anonymous reader is asked to sign in instead of a form.
    assert "Inicia sesión para participar" in client.get(_conversation(idea)).content.decode()


def test_the_first_message_opens_one_thread_and_shows_there(client):
    idea = factories.idea(title="Ciclovía segura entre Chillán y Chillán Viejo")
    _signed_in(client)
    response = client.post(_conversation(idea), {"body": "Me sumo, en Ancud igual."})
    thread = Thread.objects.get(idea=idea)
    assert response.status_code == 302
    assert response.url.startswith(reverse("threads:detail", args=[thread.pk]))
    page = client.get(response.url).content.decode()
    assert "Me sumo, en Ancud igual." in page
    # The thread's page is the live one: it subscribes to the new thread's socket.
    assert f'data-ws-path="/ws/threads/{thread.pk}/"' in page
    # Later visits and messages go to the same conversation.
    assert client.get(_conversation(idea)).url == reverse("threads:detail", args=[thread.pk])
    client.post(_conversation(idea), {"body": "Y en Quemchi también."})
    assert Thread.objects.filter(idea=idea).count() == 1
    assert Post.objects.filter(thread=thread).count() == 2


def test_a_refused_first_message_leaves_no_thread(client):
    idea = factories.idea(title="Más frecuencias del transbordador a Isla Mocha")
    response = client.post(_conversation(idea), {"body": "Sin sesión"})
    assert response.status_code == 302
    assert "next=" in response.url
    _signed_in(client)
    response = client.post(_conversation(idea), {"body": "   "})
    assert response.status_code == 400
    assert "Sé la primera persona en comentar" in response.content.decode()
    assert not Thread.objects.filter(idea=idea).exists()


def test_two_first_messages_share_one_thread():
    idea = factories.idea(title="Sala cuna en el liceo técnico de Lota")
    first = services.idea_post_create(idea=idea, author=_member(), body="Primera")
    second = services.idea_post_create(idea=idea, author=_member(), body="Segunda")
    assert first.thread_id == second.thread_id
    assert Thread.objects.filter(idea=idea).count() == 1


def test_a_merged_ideas_conversation_is_its_canonical_ideas(client):
    canonical, merged = factories.idea(), factories.idea()
    moderation.idea_merge(canonical=canonical, merged=[merged], actor=moderator())
    response = client.get(_conversation(merged))
    assert response.status_code == 302
    assert response.url == _conversation(canonical)
    _signed_in(client)
    client.post(_conversation(merged), {"body": "Escrito desde la idea fusionada."})
    assert not Thread.objects.filter(idea=merged).exists()
    assert Thread.objects.get(idea=canonical).posts.count() == 1


def test_a_hidden_ideas_conversation_is_not_shown(client):
    never_begun = factories.idea(title="Idea oculta antes de comentarse")
    idea = factories.idea(title="Idea oculta por moderación")
    thread = services.idea_post_create(idea=idea, author=_member(), body="Hola").thread
    for hidden in (never_begun, idea):
        hidden.hidden_at = timezone.now()
        hidden.save(update_fields=["hidden_at"])
    _signed_in(client)
    for hidden in (never_begun, idea):
        assert client.get(_conversation(hidden)).status_code == 404
        assert client.post(_conversation(hidden), {"body": "¿Sigue?"}).status_code == 404
    assert not Thread.objects.filter(idea=never_begun).exists()
    assert client.get(reverse("threads:detail", args=[thread.pk])).status_code == 404
    assert "Idea oculta por moderación" not in client.get(reverse("threads:list")).content.decode()
