"""«Mis ideas» tells the author that moderation hid their idea, and why (QA m8)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation.services import content_hide
from forum.participation import services
from tests import factories

pytestmark = pytest.mark.django_db

REASON = "Incluye datos personales de una tercera persona."


def _hidden_idea(author):
    idea = factories.idea(author=author, title="Capacitación para cuidadoras")
    content_hide(target=idea, actor=None, reason=REASON)
    return idea


def test_author_sees_hidden_marker_and_reason_without_a_link_to_a_404(client):
    user = factories.user()
    author = factories.person(user_obj=user)
    idea = _hidden_idea(author)
    client.force_login(user)

    html = client.get(reverse("participation:my_ideas")).content.decode()

    assert "Capacitación para cuidadoras" in html
    assert "Oculta por moderación" in html
    assert REASON in html
    assert f'href="/ideas/{idea.formatted_code}/"' not in html
    assert client.get(f"/ideas/{idea.formatted_code}/").status_code == 404

    english = client.get(reverse("participation:my_ideas"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Hidden by moderation" in english.content.decode()
    assert f"Reason: {REASON}" in english.content.decode()


def test_supporter_sees_the_marker_but_not_the_reason(client):
    idea = factories.idea(title="Capacitación para cuidadoras")
    user = factories.user()
    supporter = factories.person(user_obj=user)
    services.support_add(idea=idea, person=supporter)
    content_hide(target=idea, actor=None, reason=REASON)
    client.force_login(user)

    html = client.get(reverse("participation:my_ideas")).content.decode()

    assert "Oculta por moderación" in html
    assert REASON not in html
    assert f'href="/ideas/{idea.formatted_code}/"' not in html


def test_visible_ideas_keep_their_link(client):
    user = factories.user()
    author = factories.person(user_obj=user)
    idea = factories.idea(author=author)
    client.force_login(user)
    html = client.get(reverse("participation:my_ideas")).content.decode()
    assert f'href="/ideas/{idea.formatted_code}/"' in html
    assert "Oculta por moderación" not in html
