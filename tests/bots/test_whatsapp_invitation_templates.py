"""Outside WhatsApp's 24-hour window a convocation's invitation (and the consent request of a
person proposed in someone's place) goes as an approved template whose quick-reply buttons carry
``cv:<token>:yes|no|other`` (``cc:<token>:yes|no``); a press comes back to the webhook as a
``button`` message and is the RSVP of that invitation."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from forum.convocation.models import Delegation, Invitation, Seat
from forum.notifications.worker import deliver_due
from tests.convocation.helpers import contact, invite_one_employer, org

from .conftest import post_whatsapp
from .fake_whatsapp import button_message, interactive_message, text_message

pytestmark = pytest.mark.django_db

PHONE = "56977770101"
DELEGATE = "56955554444"


@pytest.fixture
def templates(settings, fake_whatsapp):
    settings.WHATSAPP_INVITATION_TEMPLATE = "foro_invitacion"
    settings.WHATSAPP_CONSENT_TEMPLATE = "foro_consentimiento"
    for name, buttons in (("foro_invitacion", 3), ("foro_consentimiento", 2)):
        fake_whatsapp.templates[(name, "es")] = 1
        fake_whatsapp.template_buttons[(name, "es")] = buttons
    return fake_whatsapp


def post_wa(client, body):
    """A button press as Meta posts it, answered by the worker as `manage.py work` would."""
    response = post_whatsapp(client, json.dumps(body).encode())
    assert response.status_code == 200
    return response


def invite(name):
    empresa = org(name)
    contact(empresa, channel="whatsapp", external_id=PHONE)  # never wrote: window closed
    return invite_one_employer(title="Diálogo de Empleabilidad de Ñuble", place="Chillán")


def payloads(template):
    return [c["parameters"][0]["payload"] for c in template["components"] if c["type"] == "button"]


def test_the_template_carries_the_buttons_and_a_press_records_the_rsvp(client, templates):
    proposal = invite("Molino Ñuble")
    [template] = templates.templates_sent(PHONE)
    assert template["name"] == "foro_invitacion"
    [body] = [c for c in template["components"] if c["type"] == "body"]
    assert "Molino Ñuble" in body["parameters"][0]["text"]
    token = Invitation.objects.get().token
    assert payloads(template) == [f"cv:{token}:yes", f"cv:{token}:no", f"cv:{token}:other"]

    post_wa(client, button_message(PHONE, f"cv:{token}:yes", "Asistiré", "wamid.b1"))
    assert "Molino Ñuble asistirá" in templates.texts(PHONE)[-1]
    assert proposal.seats.get().state == Seat.State.CONFIRMED
    assert Invitation.objects.get().answer == "yes"


def test_a_forged_or_unknown_button_payload_changes_nothing(client, templates):
    proposal = invite("Aserradero Coihueco")
    token = Invitation.objects.get().token
    post_wa(client, button_message(PHONE, "cv:AAAAAAAAAAAA:no", "No puedo", "wamid.f1"))
    assert "No encontramos esa invitación" in templates.texts(PHONE)[-1]
    post_wa(client, button_message(PHONE, f"cv:{token}:no;drop", "No puedo", "wamid.f2"))
    assert "No entendí" in templates.texts(PHONE)[-1]
    # The right token from another number.
    post_wa(client, button_message("56911112222", f"cv:{token}:no", "No puedo", "wamid.f3"))
    assert "No encontramos esa invitación" in templates.texts("56911112222")[-1]
    assert Invitation.objects.get().answer == ""
    assert proposal.seats.get().state == Seat.State.INVITED


def test_propongo_a_otra_persona_end_to_end_on_whatsapp(client, templates):
    proposal = invite("Viñedos Quirihue")
    token = Invitation.objects.get().token
    post_wa(client, button_message(PHONE, f"cv:{token}:other", "Propongo", "wamid.d1"))
    assert "¿Cómo se llama la otra persona?" in templates.texts(PHONE)[-1]
    post_wa(client, text_message(PHONE, "Ana Díaz Fuentes", "wamid.d2"))
    post_wa(client, text_message(PHONE, "+56 9 5555 4444", "wamid.d3"))
    assert "Le pedimos su consentimiento a Ana Díaz Fuentes" in templates.texts(PHONE)[-1]
    assert proposal.seats.get().state == Seat.State.DELEGATED
    deliver_due()
    # The proposed person never wrote to us: the consent request is the consent template.
    [request] = templates.templates_sent(DELEGATE)
    assert request["name"] == "foro_consentimiento"
    consent = Delegation.objects.get().token
    assert payloads(request) == [f"cc:{consent}:yes", f"cc:{consent}:no"]
    assert "Viñedos Quirihue" in request["components"][0]["parameters"][0]["text"]
    assert not Invitation.objects.filter(person__identities__external_id=DELEGATE).exists()

    post_wa(client, button_message(DELEGATE, f"cc:{consent}:yes", "Acepto", "wamid.d4"))
    assert "te enviamos la invitación" in templates.texts(DELEGATE)[-1]
    deliver_due()
    # They just wrote, so the invitation comes with interactive buttons.
    [invitation] = [b for b in templates.delivered(DELEGATE) if b.get("type") == "interactive"]
    assert "Viñedos Quirihue" in invitation["interactive"]["body"]["text"]
    new = Invitation.objects.get(person__identities__external_id=DELEGATE)
    post_wa(
        client, interactive_message(DELEGATE, "button_reply", f"cv:{new.token}:yes", "Sí", "d5")
    )
    seat = proposal.seats.get()
    assert seat.state == Seat.State.CONFIRMED
    assert [i.answer for i in seat.invitations.order_by("id")] == ["other", "yes"]


def test_whatsapp_push_template_submits_the_button_templates(settings, fake_whatsapp):
    settings.WHATSAPP_PUSH_TEMPLATE = "foro_novedades_idea"
    settings.WHATSAPP_INVITATION_TEMPLATE = "foro_invitacion"
    settings.WHATSAPP_CONSENT_TEMPLATE = "foro_consentimiento"
    settings.WHATSAPP_PUSH_TEMPLATE_LANGUAGES = "es:es,en:en_US"
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = "102290129340398"
    out = io.StringIO()
    call_command("whatsapp_push_template", stdout=out)
    assert out.getvalue().count("PENDING") == 6
    assert fake_whatsapp.template_buttons[("foro_invitacion", "en_US")] == 3
    assert fake_whatsapp.template_buttons[("foro_consentimiento", "es")] == 2
    created = [p.body for p in fake_whatsapp.posted if p.path.endswith("/message_templates")]
    [english] = [b for b in created if (b["name"], b["language"]) == ("foro_invitacion", "en_US")]
    [buttons] = [c["buttons"] for c in english["components"] if c["type"] == "BUTTONS"]
    assert [b["text"] for b in buttons] == ["I'll attend", "I can't", "Someone else will come"]
