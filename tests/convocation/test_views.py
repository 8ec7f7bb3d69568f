"""The staff pages (propose, swap, invite, balance) and the public ones (counts by category,
names only of council members, never private persons)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from forum.convocation import services
from forum.convocation.models import Invitation, Seat
from forum.moderation.models import AuditEntry
from forum.participation.models import ActorCategory, Membership
from tests import factories

from .helpers import contact, org, registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    user = factories.user(is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="convene"))
    client.force_login(user)
    return user


def test_staff_propose_a_list_and_read_why_each_organisation_is_on_it(client, staff):
    registry(2)
    org("Empresa convocada", convened=[dt.date(2025, 3, 4)])
    dialogue = factories.dialogue(title="Diálogo de Coronel", date=dt.date(2026, 11, 5))
    page = client.post(
        "/convocatoria/", {"dialogue": dialogue.pk, "size": 9, "fatigue_cap": 4}, follow=True
    )
    html = page.content.decode()
    assert "Lista para «Diálogo de Coronel»" in html
    assert "rota: nunca convocada" in html
    assert "suma el territorio: Comuna 0" in html
    assert "<svg" in html
    assert "<table" in html
    assert "Qué aporta cada categoría de actor" in html
    assert "Empresa convocada" not in html  # two never-convened employers come first


def test_a_swap_from_the_page_is_audited_and_the_balance_updates(client, staff):
    orgs = registry(1)
    dialogue = factories.dialogue(date=dt.date(2026, 11, 5))
    proposal = services.proposal_create(actor=staff, dialogue=dialogue, size=5)
    seat = proposal.seats.get(category=ActorCategory.TRAINING_PROVIDERS)
    newcomer = org("Instituto Profesional del Carbón", ActorCategory.TRAINING_PROVIDERS)
    contact(newcomer)
    page = client.get(f"/convocatoria/cupos/{seat.pk}/cambiar/")
    assert "Instituto Profesional del Carbón" in page.content.decode()
    page = client.post(
        f"/convocatoria/cupos/{seat.pk}/cambiar/",
        {"organisation": newcomer.pk, "reason": "Acordado con la mesa técnica"},
        follow=True,
    )
    html = page.content.decode()
    assert "Motivo del cambio: Acordado con la mesa técnica" in html
    assert AuditEntry.objects.filter(action="convocation_swap").count() == 1
    page = client.post(
        f"/convocatoria/propuestas/{proposal.pk}/", {"action": "invite"}, follow=True
    )
    assert "Invitaciones enviadas: 5." in page.content.decode()
    assert proposal.seats.filter(state=Seat.State.INVITED).count() == 5
    assert orgs


def test_the_staff_pages_are_closed_to_participants(client):
    client.force_login(factories.user())
    assert client.get("/convocatoria/").status_code == 403


def test_public_pages_name_only_council_members_and_never_persons(client):
    orgs = registry(1)
    member_org = orgs[ActorCategory.EMPLOYERS][0]
    private_org = orgs[ActorCategory.TRAINING_PROVIDERS][0]
    member_person = factories.person(name="Rosa Integrante")
    Membership.objects.create(
        council=factories.council(),
        person=member_person,
        organisation=member_org,
        actor_category=ActorCategory.EMPLOYERS,
        term_start=dt.date(2026, 1, 1),
    )
    dialogue = factories.dialogue(date=dt.date(2026, 11, 5))
    proposal = services.proposal_create(actor=None, dialogue=dialogue, size=5)
    services.proposal_invite(actor=None, proposal=proposal)
    html = client.get(f"/convocatoria/dialogos/{dialogue.slug}/").content.decode()
    assert member_org.name in html
    assert private_org.name not in html
    assert "Contacto de" not in html
    assert "Rosa Integrante" not in html
    assert "<td>1</td>" in html  # counts by category
    region_html = client.get("/convocatoria/regiones/biobio/").content.decode()
    assert member_org.name in region_html
    assert private_org.name not in region_html
    assert Invitation.objects.count() == 5


def test_the_national_council_page_shows_the_whole_cycle(client):
    html = client.get("/convocatoria/consejo-nacional/").content.decode()
    assert "Rotación del Consejo Nacional" in html
    assert html.count("Período ") == 8  # 16 regions, 2 seats per category
    assert "actual" in html


def test_a_council_page_shows_how_balanced_its_meetings_have_been(client):
    registry(1)
    council = factories.council()
    for n, day in enumerate((dt.date(2026, 5, 1), dt.date(2026, 10, 1))):
        d = factories.dialogue(council=council, title=f"Encuentro {n}", date=day)
        services.proposal_invite(
            actor=None, proposal=services.proposal_create(actor=None, dialogue=d, size=5)
        )
    html = client.get(f"/convocatoria/consejos/{council.slug}/").content.decode()
    assert "Equilibrio en el tiempo" in html
    assert "2026-05-01 · Encuentro 0" in html
    assert "2026-10-01 · Encuentro 1" in html
    assert "<td>0/2</td>" not in html  # five seats: one per category
    assert html.count("<td>0/1</td>") == 10
