"""Shared helpers for the moderation tests (staff users, supports, exact-state snapshots)."""

from __future__ import annotations

import pytest

from forum.moderation import index
from forum.moderation.models import CouncilSecretary
from forum.moderation.roles import ADMINISTRATION, MODERATION, SECRETARY, sync_roles
from forum.participation import services as participation
from forum.participation.models import Idea, IdeaCoauthor, Support
from tests import factories


@pytest.fixture
def roles(db):
    # Transactional tests flush the groups the data migration created: make them again.
    sync_roles()


@pytest.fixture(autouse=True)
def _fresh_index():
    # The duplicate index is process-wide; ids are reused between tests on SQLite.
    index.shared_index().reset()
    yield
    index.shared_index().reset()


def _ensure_roles():
    from django.contrib.auth.models import Group

    if not Group.objects.filter(
        name=ADMINISTRATION, permissions__codename="answer_any_council"
    ).exists():
        sync_roles()


def moderator(username=None):
    _ensure_roles()
    return factories.user(username, groups=(MODERATION,))


def admin_user(username=None):
    _ensure_roles()
    return factories.user(username, groups=(ADMINISTRATION,))


def secretary(council, username=None):
    _ensure_roles()
    u = factories.user(username, groups=(SECRETARY,))
    CouncilSecretary.objects.create(user=u, council=council)
    return u


def support(idea, person):
    return participation.support_add(idea=idea, person=person)[0]


def state(ideas):
    """Everything a merge may touch, in comparable form."""
    ids = [i.pk for i in ideas]
    return {
        "ideas": {
            i["pk"]: i
            for i in Idea.objects.filter(pk__in=ids).values(
                "pk", "status", "merged_into_id", "support_count", "title", "body"
            )
        },
        "supports": sorted(
            Support.objects.filter(idea_id__in=ids).values_list("pk", "idea_id", "person_id")
        ),
        "coauthors": sorted(
            IdeaCoauthor.objects.filter(idea_id__in=ids).values_list("idea_id", "person_id")
        ),
    }
