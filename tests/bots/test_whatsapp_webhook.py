"""WhatsApp Cloud API webhook: verification, signature, idempotency, text/button/list flows."""

from __future__ import annotations

import json

import pytest

from forum.bots.models import InboundUpdate
from forum.participation.models import ChannelIdentity, Idea, Person
from tests import factories

from .conftest import WA_SECRET, WA_VERIFY, post_whatsapp, run_worker
from .fake_whatsapp import interactive_message, sign, status_callback, text_message

pytestmark = pytest.mark.django_db

PHONE = "56987654321"
URL = "/bots/whatsapp/webhook/"
_ids = iter(range(1, 10_000))


def wamid() -> str:
    return f"wamid.HBgLNTY5ODc2NTQzMjEVAgASGBQzQUIx{next(_ids):06d}"


def post(client, body: dict | bytes, *, secret: str | None = WA_SECRET, signature=None):
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {}
    if signature is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = signature
    elif secret is not None:
        headers["HTTP_X_HUB_SIGNATURE_256"] = sign(raw, secret)
    response = client.post(URL, data=raw, content_type="application/json", **headers)
    run_worker()  # what `manage.py work` does with what the webhook stored
    return response


def say(client, fake, body) -> list[dict]:
    before = len(fake.delivered())
    assert post(client, body).status_code == 200
    return fake.delivered()[before:]


def test_verification_handshake(client, fake_whatsapp):
    ok = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": WA_VERIFY, "hub.challenge": "1158201444"}
    )
    assert ok.status_code == 200
    assert ok.content == b"1158201444"
    assert ok["Content-Type"].startswith("text/plain")
    bad = client.get(
        URL, {"hub.mode": "subscribe", "hub.verify_token": "nope", "hub.challenge": "1158201444"}
    )
    assert bad.status_code == 403
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("signature", [None, "", "sha256=00", "md5=abc", "sha256=" + "0" * 64])
def test_bad_or_missing_signature_is_refused_and_nothing_stored(client, fake_whatsapp, signature):
    body = text_message(PHONE, "hola", wamid())
    response = post(client, body, secret=None, signature=signature)
    assert response.status_code == 403
    assert not InboundUpdate.objects.exists()
    assert fake_whatsapp.posted == []


def test_signature_is_over_the_raw_bytes(client, fake_whatsapp):
    body = json.dumps(text_message(PHONE, "hola", wamid())).encode()
    # Same JSON, different bytes (spacing): the original signature no longer matches.
    respaced = json.dumps(json.loads(body), indent=2).encode()
    response = post(client, respaced, signature=sign(body, WA_SECRET))
    assert response.status_code == 403


def test_malformed_and_empty_signed_bodies_get_400(client, fake_whatsapp):
    assert post(client, b"{oops").status_code == 400
    assert post(client, b"").status_code == 400
    assert post(client, b"[1, 2]").status_code == 400
    # A body of another shape is refused too (issue 14), not read as an empty one.
    assert post(client, {"object": "whatsapp_business_account", "entry": "x"}).status_code == 400
    assert not InboundUpdate.objects.exists()


def test_the_webhook_only_stores_and_the_worker_answers(client, fake_whatsapp):
    message_id = wamid()
    raw = json.dumps(text_message(PHONE, "hola", message_id)).encode()
    assert post_whatsapp(client, raw, work=False).status_code == 200
    assert InboundUpdate.objects.get(update_id=message_id).status == "pending"
    assert fake_whatsapp.posted == []
    assert run_worker() == 1
    assert InboundUpdate.objects.get(update_id=message_id).status == "processed"
    assert fake_whatsapp.delivered(PHONE)


def test_text_consent_language_and_region_by_list_then_idea(client, fake_whatsapp):
    factories.topic("Empleo juvenil")
    sent = say(client, fake_whatsapp, text_message(PHONE, "Hola", wamid(), name="Rosa Díaz"))
    consent = sent[-1]
    assert consent["to"] == PHONE
    assert consent["type"] == "interactive"
    assert consent["interactive"]["type"] == "button"
    assert "Ley 21.719" in consent["interactive"]["body"]["text"]
    ids = [b["reply"]["id"] for b in consent["interactive"]["action"]["buttons"]]
    assert ids == ["ok:yes", "ok:no"]
    assert Person.objects.count() == 0

    sent = say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "ok:yes", "Acepto", wamid()),
    )
    assert Person.objects.get().display_name == "Camila"  # profile name at consent time
    sent = say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "lang:es", "Español", wamid()),
    )
    lists = [
        m for m in sent if m.get("type") == "interactive" and m["interactive"]["type"] == "list"
    ]
    rows = [
        row
        for m in lists
        for section in m["interactive"]["action"]["sections"]
        for row in section["rows"]
    ]
    assert len(rows) == 16  # all regions, in lists of at most 10 rows
    assert all(
        len(section["rows"]) <= 10
        for m in lists
        for section in m["interactive"]["action"]["sections"]
    )
    assert all(len(row["title"]) <= 24 for row in rows)
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "list_reply", "reg:valparaiso", "Valparaíso", wamid()),
    )
    region = Person.objects.get().region
    assert region is not None
    assert region.slug == "valparaiso"

    sent = say(
        client,
        fake_whatsapp,
        text_message(PHONE, "Un programa de pasantías pagadas para jóvenes en el puerto", wamid()),
    )
    [topic_prompt] = sent
    rows = [
        r["id"]
        for s in topic_prompt["interactive"]["action"].get("sections", [])
        for r in s["rows"]
    ] or [b["reply"]["id"] for b in topic_prompt["interactive"]["action"]["buttons"]]
    assert "top:0" in rows
    sent = say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "top:0", "Otro tema", wamid()),
    )
    idea = Idea.objects.get()
    assert idea.channel == "whatsapp"
    assert idea.formatted_code in sent[-1]["text"]["body"]


def test_similar_ideas_offered_as_a_list_and_supported(client, fake_whatsapp):
    # Alike, not the same text (the same text joins the existing idea at once).
    existing = factories.idea(title="Pasantías pagadas para los jóvenes en el puerto de Valparaíso")
    person = factories.person(name="Rosa")
    person.consent_at = person.created_at
    person.save()
    factories.identity(person, "whatsapp", PHONE)
    from forum.bots.models import Conversation

    Conversation.objects.create(channel="whatsapp", external_id=PHONE, person=person, state="idle")
    sent = say(
        client,
        fake_whatsapp,
        text_message(PHONE, "Pasantías pagadas para jóvenes en el puerto de Valparaíso", wamid()),
    )
    offer = sent[-1]["interactive"]
    ids = [b["reply"]["id"] for b in offer["action"].get("buttons", [])] or [
        r["id"] for s in offer["action"]["sections"] for r in s["rows"]
    ]
    assert f"sup:{existing.pk}" in ids
    assert "new" in ids
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "list_reply", f"sup:{existing.pk}", "Apoyar la 1", wamid()),
    )
    existing.refresh_from_db()
    assert existing.support_count == 1
    assert Idea.objects.count() == 1


def test_same_message_id_is_processed_once(client, fake_whatsapp):
    body = text_message(PHONE, "Hola", wamid())
    assert post(client, body).status_code == 200
    count = len(fake_whatsapp.posted)
    assert post(client, body).status_code == 200
    assert len(fake_whatsapp.posted) == count
    assert InboundUpdate.objects.count() == 1


def test_status_callbacks_are_accepted_and_never_treated_as_messages(client, fake_whatsapp):
    for status in ("sent", "delivered", "read", "failed"):
        assert post(client, status_callback(PHONE, status, wamid())).status_code == 200
    assert not InboundUpdate.objects.exists()
    assert fake_whatsapp.posted == []


def test_business_scoped_user_id_is_the_identity_when_present(client, fake_whatsapp):
    bsuid = "CL.13491208655302741918"
    say(client, fake_whatsapp, text_message(PHONE, "Hola", wamid(), user_id=bsuid))
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "ok:yes", "Acepto", wamid(), user_id=bsuid),
    )
    identity = ChannelIdentity.objects.get(channel="whatsapp")
    assert identity.external_id == bsuid
    last = fake_whatsapp.posted[-1].body
    assert last.get("recipient") == bsuid
    assert "to" not in last


def test_audio_and_stickers_get_a_text_only_reply(client, fake_whatsapp):
    body = text_message(PHONE, "x", wamid())
    message = body["entry"][0]["changes"][0]["value"]["messages"][0]
    message.pop("text")
    message["type"] = "audio"
    message["audio"] = {"id": "1234", "mime_type": "audio/ogg; codecs=opus", "voice": True}
    say(client, fake_whatsapp, text_message(PHONE, "Hola", wamid()))
    say(
        client,
        fake_whatsapp,
        interactive_message(PHONE, "button_reply", "ok:yes", "Acepto", wamid()),
    )
    sent = say(client, fake_whatsapp, body)
    assert "solo entiendo texto" in json.dumps(sent, ensure_ascii=False)
