"""Council secretaries: assigned through one service (admin and demo alike), role included,
audited; removing the last secretaryship takes the role away."""

from __future__ import annotations

import pytest
from django.urls import reverse

from forum.moderation import permissions, services
from forum.moderation.models import AuditEntry, CouncilSecretary
from forum.moderation.roles import SECRETARY
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, admin_user, roles  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("roles")]


def council_page(client, user, council):
    client.force_login(user)
    return client.get(reverse("moderation:council", args=[council.slug]))


def test_assigning_a_secretary_opens_the_council_page_and_is_audited(client):
    council = factories.council("biobio")
    other = factories.council("maule")
    person = factories.user("marta")
    assert council_page(client, person, council).status_code == 403

    services.council_secretary_assign(user=person, council=council, actor=admin_user())
    person.refresh_from_db()
    assert person.groups.filter(name=SECRETARY).exists()
    assert permissions.can_answer_for(person, council)
    assert not permissions.can_answer_for(person, other)
    assert council_page(client, person, council).status_code == 200
    [entry] = AuditEntry.objects.filter(action="council_secretary.assign")
    assert entry.after == {"user": "marta", "council": council.slug}

    # Twice: still one secretaryship, one audit entry.
    services.council_secretary_assign(user=person, council=council, actor=None)
    assert CouncilSecretary.objects.filter(user=person).count() == 1
    assert AuditEntry.objects.filter(action="council_secretary.assign").count() == 1


def test_removing_the_last_secretaryship_takes_the_role_away(client):
    biobio, maule = factories.council("biobio"), factories.council("maule")
    person = factories.user("marta")
    first = services.council_secretary_assign(user=person, council=biobio, actor=None)
    services.council_secretary_assign(user=person, council=maule, actor=None)

    services.council_secretary_remove(link=first, actor=admin_user())
    assert person.groups.filter(name=SECRETARY).exists()  # still answers for Maule
    assert council_page(client, person, biobio).status_code == 403
    assert council_page(client, person, maule).status_code == 200

    services.council_secretary_remove(link=CouncilSecretary.objects.get(user=person), actor=None)
    assert not person.groups.filter(name=SECRETARY).exists()
    assert AuditEntry.objects.filter(action="council_secretary.remove").count() == 2


def test_the_admin_form_assigns_through_the_service(client):
    council = factories.council("biobio")
    person = factories.user("marta")
    boss = factories.user("jefa", is_staff=True, is_superuser=True)
    client.force_login(boss)
    response = client.post(
        reverse("admin:moderation_councilsecretary_add"),
        {"user": person.pk, "council": council.pk},
    )
    assert response.status_code == 302
    link = CouncilSecretary.objects.get(user=person)
    assert person.groups.filter(name=SECRETARY).exists()
    assert AuditEntry.objects.get(action="council_secretary.assign").actor == boss

    response = client.post(
        reverse("admin:moderation_councilsecretary_delete", args=[link.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert not CouncilSecretary.objects.exists()
    assert not person.groups.filter(name=SECRETARY).exists()
