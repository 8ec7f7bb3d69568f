"""History messages the system writes itself follow the page language (QA m2).

«Idea recibida.» (on submit) and «En revisión.» (the automatic step before routing) used to be
stored as text and shown in Spanish on English pages; what moderators and councils type is shown
as typed.
"""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import translation

from forum.moderation.services import idea_route_cluster
from forum.participation.lifecycle import IdeaStatus, SystemMessage
from forum.participation.models import StatusChange
from tests import factories

pytestmark = pytest.mark.django_db

TYPED = "La secretaría del Biobío la revisará en su próxima sesión."


def _routed_idea():
    idea = factories.idea(title="Cursos de soldadura en Coronel")
    with translation.override("en"):  # a moderator browsing in English
        idea_route_cluster(idea=idea, council=factories.council(), actor=None, public_message=TYPED)
    return idea


def _text(client, url, language):
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


def test_public_history_translates_system_messages_and_keeps_typed_ones(client):
    idea = _routed_idea()
    url = reverse("participation:idea_detail", args=[idea.formatted_code])

    english = _text(client, url, "en")
    assert "Idea received." in english
    assert "Under review." in english
    assert "Idea recibida." not in english
    assert "En revisión." not in english
    assert TYPED in english

    spanish = _text(client, url, "es")
    assert "Idea recibida." in spanish
    assert "En revisión." in spanish
    assert TYPED in spanish


def test_status_page_history_translates_system_messages(client):
    idea = _routed_idea()
    user = factories.user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_idea"))
    client.force_login(user)

    english = _text(client, reverse("participation:idea_status", args=[idea.formatted_code]), "en")

    assert "Idea received." in english
    assert "Under review." in english
    assert "En revisión." not in english


def test_stored_text_stays_spanish_whatever_the_language_of_whoever_triggered_it():
    idea = _routed_idea()
    rows = {c.to_status: c for c in StatusChange.objects.filter(idea=idea)}
    assert rows[IdeaStatus.RECEIVED].system_message == SystemMessage.RECEIVED
    assert rows[IdeaStatus.RECEIVED].public_message == "Idea recibida."
    assert rows[IdeaStatus.IN_REVIEW].system_message == SystemMessage.IN_REVIEW
    assert rows[IdeaStatus.IN_REVIEW].public_message == "En revisión."
    assert rows[IdeaStatus.ROUTED].system_message == ""
    assert rows[IdeaStatus.ROUTED].public_message == TYPED


def test_migration_marks_existing_system_rows_only():
    migration = importlib.import_module(
        "forum.participation.migrations.0006_statuschange_system_message"
    )
    idea = factories.idea()
    StatusChange.objects.filter(idea=idea).update(system_message="")
    legacy = [
        StatusChange.objects.create(
            idea=idea, from_status="received", to_status="in_review", public_message=text
        )
        for text in ("En revisión.", "Under review.", "En revisión: falta la región.")
    ]

    migration.mark_system_messages(apps, None)

    received = StatusChange.objects.get(idea=idea, to_status="received")
    assert received.system_message == "received"
    marked = [StatusChange.objects.get(pk=c.pk) for c in legacy]
    assert [c.system_message for c in marked] == ["in_review", "in_review", ""]
    assert [c.public_message for c in marked] == [
        "En revisión.",
        "En revisión.",
        "En revisión: falta la región.",
    ]
