"""Proposing, swapping, inviting, answering, attending and reminding, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from forum.convocation import selectors, services
from forum.convocation.models import Convocation, Invitation, Seat
from forum.moderation.models import AuditEntry
from forum.notifications.models import Delivery, Notification
from forum.participation.models import ActorCategory
from tests import factories

from .helpers import contact, day, org, registry

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 9, 1)


def a_dialogue():
    return factories.dialogue(title="Diálogo del Biobío", slug="dialogo-biobio", date=TODAY)


def propose(size=5, **kw):
    return services.proposal_create(actor=None, dialogue=a_dialogue(), size=size, today=TODAY, **kw)


def test_the_list_fills_each_category_by_rotation_and_explains_each_pick():
    org("Empresa reciente", convened=[day(2026, 8)])
    org("Empresa antigua", convened=[day(2025, 3, 10)])
    org("Empresa nueva")
    p = propose(size=2, shares={ActorCategory.EMPLOYERS: 1})
    seats = list(p.seats.order_by("position"))
    assert [s.organisation.name for s in seats] == ["Empresa nueva", "Empresa antigua"]
    assert seats[1].reason["since"] == "2025-03"
    assert p.shortfalls == []


def test_fatigue_counts_every_space_and_a_quota_it_cannot_fill_is_reported():
    tired = org("Cámara muy convocada", convened=[day(2026, m) for m in range(1, 7)])
    p = propose(size=9, fatigue_cap=4)
    [seat] = p.seats.all()
    assert seat.organisation == tired
    assert seat.reason["fatigued"] is True
    missing = {s["category"]: s["missing"] for s in p.shortfalls}
    assert missing[ActorCategory.SELF_EMPLOYMENT] == 2


def test_same_registry_and_history_give_the_same_list():
    registry(3)
    first = [s.organisation_id for s in propose(size=9).seats.order_by("position")]
    second = services.proposal_create(
        actor=None, dialogue=factories.dialogue(date=TODAY), size=9, today=TODAY
    )
    assert [s.organisation_id for s in second.seats.order_by("position")] == first


def test_a_swap_needs_a_reason_and_is_audited():
    orgs = registry(2)
    staff = factories.user(is_staff=True)
    p = propose(size=9)
    seat = p.seats.get(organisation=orgs[ActorCategory.EMPLOYERS][0])
    other = orgs[ActorCategory.EMPLOYERS][1]
    with pytest.raises(services.ConvocationError):
        services.seat_swap(actor=staff, seat=seat, organisation=other, reason=" ")
    with pytest.raises(services.ConvocationError, match="ya está en la lista"):
        services.seat_swap(actor=staff, seat=seat, organisation=other, reason="Preferida")
    seat2 = p.seats.get(organisation=orgs[ActorCategory.TRAINING_PROVIDERS][0])
    newcomer = org("Liceo técnico", ActorCategory.TRAINING_PROVIDERS)
    new = services.seat_swap(
        actor=staff, seat=seat2, organisation=newcomer, reason="Cerró su sede regional"
    )
    entry = AuditEntry.objects.get(action="convocation_swap")
    assert entry.reason == "Cerró su sede regional"
    assert entry.actor == staff
    assert new.replaces_id == seat2.pk
    assert Seat.objects.get(pk=seat2.pk).state == Seat.State.SWAPPED


def test_inviting_writes_outbox_notices_and_records_the_convocation():
    orgs = registry(1)
    services.convocation_record(
        actor=None,
        organisation=orgs[ActorCategory.EMPLOYERS][0],
        date=day(2026, 8),
        space_name="Mesa público-privada",
    )
    lonely = org("Sin contacto", ActorCategory.EMPLOYERS)  # never convened: rotation picks it
    p = propose(size=5)
    sent, missing = services.proposal_invite(actor=None, proposal=p)
    assert [s.organisation for s in missing] == [lonely]
    assert sent == 4
    assert Notification.objects.filter(kind="invitation").count() == 4
    assert Delivery.objects.filter(channel="telegram").count() == 4
    assert Convocation.objects.filter(source="ours").count() == 4
    rows = {r.category: r for r in selectors.balance(p)}
    assert rows[ActorCategory.PUBLIC_SECTOR].invited == 1
    assert rows[ActorCategory.EMPLOYERS].invited == 0
    assert rows[ActorCategory.EMPLOYERS].target == 1


def test_a_declined_seat_goes_to_the_next_organisation_by_the_same_rule():
    orgs = registry(2)
    p = propose(size=9)
    services.proposal_invite(actor=None, proposal=p)
    seat = p.seats.get(organisation=orgs[ActorCategory.EMPLOYERS][0])
    inv = seat.invitations.get()
    identity = inv.person.identities.get()
    _inv, replacement = services.invitation_answer(
        token=inv.token, answer="no", channel="telegram", external_id=identity.external_id
    )
    assert replacement is None  # both employers already on the list: nobody left
    org("Empresa de reemplazo", ActorCategory.EMPLOYERS)
    seat_b = p.seats.get(organisation=orgs[ActorCategory.EMPLOYERS][1])
    inv_b = seat_b.invitations.get()
    new_org = org("Otra empresa", ActorCategory.EMPLOYERS, territory="Lota")
    contact(new_org)
    _inv, replacement = services.invitation_answer(
        token=inv_b.token,
        answer="no",
        channel="telegram",
        external_id=inv_b.person.identities.get().external_id,
    )
    assert replacement is not None
    assert replacement.category == ActorCategory.EMPLOYERS
    assert replacement.state == Seat.State.INVITED
    assert replacement.replaces_id == seat_b.pk


def test_only_the_invited_chat_can_answer():
    registry(1)
    p = propose(size=5)
    services.proposal_invite(actor=None, proposal=p)
    inv = Invitation.objects.all()[0]
    with pytest.raises(services.ConvocationError):
        services.invitation_answer(
            token=inv.token, answer="yes", channel="telegram", external_id="someone-else"
        )
    assert Invitation.objects.get(pk=inv.pk).answer == ""


def test_check_in_marks_the_invitation_and_the_seat_attended():
    registry(1)
    p = propose(size=5)
    services.proposal_invite(actor=None, proposal=p)
    inv = Invitation.objects.select_related("seat")[0]
    got = services.invitation_mark_attended(dialogue=p.dialogue, person=inv.person)
    assert got == inv
    assert Seat.objects.get(pk=inv.seat_id).state == Seat.State.ATTENDED
    stranger = factories.person()
    assert services.invitation_mark_attended(dialogue=p.dialogue, person=stranger) is None
    rows = {r.category: r for r in selectors.balance(p)}
    assert sum(r.attended for r in rows.values()) == 1


def test_reminders_go_once_to_invited_and_confirmed_contacts_before_the_date():
    registry(1)
    p = propose(size=5)
    services.proposal_invite(actor=None, proposal=p)
    assert services.invitations_remind(today=TODAY - dt.timedelta(days=10)) == 0
    assert services.invitations_remind(today=TODAY - dt.timedelta(days=1)) == 5
    assert services.invitations_remind(today=TODAY - dt.timedelta(days=1)) == 0
    reminders = [
        n for n in Notification.objects.filter(kind="invitation") if n.payload.get("reminder")
    ]
    assert len(reminders) == 5


def test_the_national_council_cannot_be_proposed_like_a_regional_one():
    from forum.participation.models import Council

    national = Council.objects.filter(kind="national").first()
    if national is None:
        pytest.skip("no national council in the data migration")
    with pytest.raises(services.ConvocationError):
        services.proposal_create(actor=None, council=national, size=5, today=TODAY)


def test_an_erased_contact_is_exported_then_never_invited_again():
    from forum.participation import privacy

    orgs = registry(1)
    p = propose(size=5)
    services.proposal_invite(actor=None, proposal=p)
    person = orgs[ActorCategory.EMPLOYERS][0].contacts.get().person
    data = privacy.person_export(person)["convocatorias"]
    assert data["contacto_de"] == [{"organizacion": "employers 0", "cargo": ""}]
    assert len(data["invitaciones"]) == 1
    privacy.person_erase(person=person)
    assert not Invitation.objects.filter(person=person).exists()
    assert services.reachable_contacts([orgs[ActorCategory.EMPLOYERS][0].pk]) == {}
