"""«Propongo a otra persona de mi organización»: the invitee names the other person and how to
reach them on the same channel (the bot conversation, or the invitation's web page); that
person is asked for consent through the outbox on their channel and is invited for the same
seat only once they accept. The seat is delegated, never offered to the next organisation."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from forum.convocation.models import Contact, Delegation, Invitation, Seat
from forum.notifications.worker import deliver_due
from forum.participation.models import Person
from tests.convocation.helpers import contact, invite_one_employer, org

from .conftest import buttons_of, post_update, tg_callback, tg_message

pytestmark = pytest.mark.django_db

CHAT = 770101
NEXT_CHAT = "770102"


def invite(organisation):
    return invite_one_employer(title="Diálogo de Empleabilidad del Maule", place="Talca")


def link(text, name):
    found = re.search(rf"https?://\S+/convocatoria/{name}/[\w-]+/", text)
    assert found, text
    return found.group(0).split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def test_telegram_invitee_names_someone_by_email_who_consents_and_is_invited(client, fake_telegram):
    empresa = org("Viña Los Robles", territory="Talca")
    contact(empresa, channel="telegram", external_id=str(CHAT))
    proposal = invite(empresa)
    # Another organisation of the category that would get a declined seat.
    contact(org("Frutícola Curicó", territory="Curicó"), external_id=NEXT_CHAT)
    other = buttons_of(fake_telegram.sent(CHAT)[0])[2][1]
    post_update(client, tg_callback(CHAT, other))
    assert "¿Cómo se llama la otra persona?" in fake_telegram.texts(CHAT)[-1]
    post_update(client, tg_message(CHAT, "María José Rivas"))
    assert "¿Cómo le escribimos a María José Rivas?" in fake_telegram.texts(CHAT)[-1]
    post_update(client, tg_message(CHAT, "@mariajo"))
    assert "usuario de Telegram" in fake_telegram.texts(CHAT)[-1]
    post_update(client, tg_message(CHAT, "MariaJo@vinalosrobles.cl"))
    assert "Le pedimos su consentimiento a María José Rivas" in fake_telegram.texts(CHAT)[-1]

    seat = proposal.seats.get()
    assert seat.state == Seat.State.DELEGATED
    assert Invitation.objects.get(seat=seat).answer == "other"
    delegate = Person.objects.get(email="mariajo@vinalosrobles.cl")
    assert delegate.consent_at is None
    assert Contact.objects.filter(organisation=empresa, person=delegate).exists()
    deliver_due()
    assert fake_telegram.sent(NEXT_CHAT) == []  # the seat was not offered to the next one
    [request] = mail.outbox
    assert request.to == ["mariajo@vinalosrobles.cl"]
    assert "Diálogo de Empleabilidad del Maule" in request.body
    assert "consentimiento" in request.body
    consent_page = link(request.body, "consentimiento")

    assert "Viña Los Robles" in client.get(consent_page).content.decode()
    response = client.post(consent_page, {"accept": "yes"})
    assert response.status_code == 302
    deliver_due()
    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["mariajo@vinalosrobles.cl"]
    assert "Invitamos a Viña Los Robles" in invitation_mail.body
    answer_page = link(invitation_mail.body, "invitacion")
    client.post(answer_page, {"answer": "yes"})
    seat.refresh_from_db()
    assert seat.state == Seat.State.CONFIRMED
    assert Invitation.objects.get(person=delegate).answer == "yes"
    # The chat that proposed is out of the naming questions.
    post_update(client, tg_message(CHAT, "/cancelar"))
    assert "no propusimos" not in fake_telegram.texts(CHAT)[-1]


def test_cancelar_while_naming_keeps_the_seat_invited(client, fake_telegram):
    empresa = org("Pesquera Constitución")
    contact(empresa, channel="telegram", external_id=str(CHAT))
    proposal = invite(empresa)
    post_update(client, tg_callback(CHAT, buttons_of(fake_telegram.sent(CHAT)[0])[2][1]))
    post_update(client, tg_message(CHAT, "Pedro Soto"))
    post_update(client, tg_message(CHAT, "/cancelar"))
    assert "no propusimos a nadie" in fake_telegram.texts(CHAT)[-1]
    assert proposal.seats.get().state == Seat.State.INVITED
    assert not Delegation.objects.exists()


def test_web_page_proposes_a_whatsapp_number_and_a_refusal_erases_it(client, fake_whatsapp):
    empresa = org("Cooperativa Lechera Linares")
    invitee = contact(empresa, channel="", email="gerencia@lechera.cl")
    proposal = invite(empresa)
    [invitation_mail] = mail.outbox
    answer_page = link(invitation_mail.body, "invitacion")
    page = client.get(answer_page).content.decode()
    assert "Propongo a otra persona de mi organización" in page
    # A bad contact is refused with the reason, nothing changes.
    bad = client.post(answer_page, {"answer": "other", "name": "Ana Díaz", "reach": "@anadiaz"})
    assert bad.status_code == 200
    assert "usuario de Telegram" in bad.content.decode()
    assert proposal.seats.get().state == Seat.State.INVITED
    client.post(answer_page, {"answer": "other", "name": "Ana Díaz", "reach": "+56 9 8765 4321"})
    seat = proposal.seats.get()
    assert seat.state == Seat.State.DELEGATED
    assert Invitation.objects.get(person=invitee).answer == "other"
    delegation = Delegation.objects.get()
    assert delegation.phone == "56987654321"
    deliver_due()
    # A new number never wrote to us: outside the 24-hour window the consent request waits
    # for a template (configured in the template tests); nothing free-form was sent.
    assert fake_whatsapp.texts("56987654321") == []
    consent_page = f"/convocatoria/consentimiento/{delegation.token}/"
    client.post(consent_page, {"accept": "no"})
    assert not Person.objects.filter(display_name="Ana Díaz").exists()
    delegation.refresh_from_db()
    assert (delegation.state, delegation.name, delegation.phone) == ("refused", "", "")
    seat.refresh_from_db()
    assert seat.state == Seat.State.INVITED
    # Answering again is refused clearly.
    again = client.post(consent_page, {"accept": "yes"})
    assert again.status_code == 404


def test_forged_tokens_and_answers_on_the_pages_are_refused(client):
    empresa = org("Hortícola San Javier")
    contact(empresa, channel="", email="h@sanjavier.cl")
    invite(empresa)
    assert client.get("/convocatoria/invitacion/no-such-token/").status_code == 404
    assert client.get("/convocatoria/consentimiento/no-such-token/").status_code == 404
    token = Invitation.objects.get().token
    response = client.post(f"/convocatoria/invitacion/{token}/", {"answer": "maybe"})
    assert response.status_code == 200
    assert "Respuesta desconocida" in response.content.decode()
    assert Invitation.objects.get().answer == ""
