"""Convocation invitations reach a contact's Telegram and WhatsApp with answer buttons; the
buttons go back through the real webhooks and adapters to the engine, which answers through the
convocation services (asistiré / no puedo / propongo a otra persona)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from forum.bots import states
from forum.bots.models import Conversation
from forum.convocation import services
from forum.convocation.models import Invitation, Seat
from forum.notifications.worker import deliver_due
from forum.participation.models import ActorCategory
from tests import factories
from tests.convocation.helpers import contact, org

from .conftest import buttons_of, post_update, post_whatsapp, tg_callback
from .fake_whatsapp import interactive_message

pytestmark = pytest.mark.django_db

CHAT = 770001
PHONE = "56977770001"


def invite(*organisations, size=None):
    dialogue = factories.dialogue(title="Diálogo de Empleabilidad del Biobío", place="Concepción")
    shares = {str(ActorCategory.EMPLOYERS): 1}
    proposal = services.proposal_create(
        actor=None,
        dialogue=dialogue,
        size=size or len(organisations),
        shares=shares,
        today=dialogue.date - dt.timedelta(days=20),
    )
    services.proposal_invite(actor=None, proposal=proposal)
    deliver_due()
    return proposal


def test_a_telegram_invitation_carries_the_buttons_and_asistire_confirms(client, fake_telegram):
    empresa = org("Constructora del Sur")
    contact(empresa, channel="telegram", external_id=str(CHAT))
    proposal = invite(empresa)
    [sent] = fake_telegram.sent(CHAT)
    assert "Constructora del Sur" in sent["text"]
    assert "Diálogo de Empleabilidad del Biobío" in sent["text"]
    assert f"/dialogos/{proposal.dialogue.slug}/" in sent["text"]  # the dialogue's own page
    labels = buttons_of(sent)
    assert [label for label, _ in labels] == ["Asistiré", "No puedo", "Propongo a otra persona"]
    yes = labels[0][1]
    assert post_update(client, tg_callback(CHAT, yes)).status_code == 200
    assert "asistirá" in fake_telegram.texts(CHAT)[-1]
    assert proposal.seats.get().state == Seat.State.CONFIRMED
    # The contact had never written to the bot: no privacy question, no conversation state.
    assert Conversation.objects.get(external_id=str(CHAT)).person_id is None


def test_no_puedo_offers_the_seat_to_the_next_organisation_on_telegram(client, fake_telegram):
    first = org("Agrícola Ñuble", territory="Chillán")
    contact(first, channel="telegram", external_id=str(CHAT))
    proposal = invite(first)
    nxt = org("Forestal Arauco Sur", territory="Arauco")
    contact(nxt, channel="telegram", external_id="770002")
    [sent] = fake_telegram.sent(CHAT)
    no = buttons_of(sent)[1][1]
    post_update(client, tg_callback(CHAT, no))
    assert "Ofreceremos el cupo" in fake_telegram.texts(CHAT)[-1]
    deliver_due()
    [offer] = fake_telegram.sent("770002")
    assert "Forestal Arauco Sur" in offer["text"]
    seats = {s.organisation.name: s.state for s in proposal.seats.all()}
    assert seats == {"Agrícola Ñuble": "declined", "Forestal Arauco Sur": "invited"}


def test_forged_or_foreign_button_data_changes_nothing(client, fake_telegram):
    empresa = org("Pesquera Talcahuano")
    contact(empresa, channel="telegram", external_id=str(CHAT))
    invite(empresa)
    token = Invitation.objects.get().token
    for data in (f"cv:{token}:maybe", f"cv:{token}:yes:extra", "cv:../../x:yes"):
        post_update(client, tg_callback(CHAT, data))
        assert "No entendí" in fake_telegram.texts(CHAT)[-1]
    # The right token pressed from another chat.
    post_update(client, tg_callback(770099, f"cv:{token}:yes"))
    assert "No encontramos esa invitación" in fake_telegram.texts(770099)[-1]
    assert Invitation.objects.get().answer == ""


def post_wa(client, body):
    return post_whatsapp(client, json.dumps(body).encode())


def test_a_whatsapp_invitation_has_reply_buttons_and_propongo_a_otra_persona(client, fake_whatsapp):
    ong = org("Fundación Inclusión Biobío", ActorCategory.EMPLOYERS)
    person = contact(ong, channel="whatsapp", external_id=PHONE)
    Conversation.objects.create(
        channel="whatsapp",
        external_id=PHONE,
        person=person,
        state=states.IDLE,
        last_inbound_at=timezone.now() - dt.timedelta(hours=1),
    )
    proposal = invite(ong)
    [body] = fake_whatsapp.delivered(PHONE)
    assert body["type"] == "interactive"
    interactive = body["interactive"]
    assert "Fundación Inclusión Biobío" in interactive["body"]["text"]
    rows = interactive["action"].get("buttons") or [
        row for section in interactive["action"]["sections"] for row in section["rows"]
    ]
    ids = [(r.get("reply") or r)["id"] for r in rows]
    other = next(i for i in ids if i.endswith(":other"))
    assert post_wa(client, interactive_message(PHONE, "list_reply", other, "Otra", "wamid.x1"))
    assert "otra persona" in fake_whatsapp.texts(PHONE)[-1]
    assert Invitation.objects.get().answer == "other"
    assert proposal.seats.get().state == Seat.State.INVITED
