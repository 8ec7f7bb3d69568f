"""A real identical Madrid repost sent through Telegram and WhatsApp joins the existing idea at
once; the author's one-tap «Mi idea es distinta» undoes it and sends it to the moderators."""

from __future__ import annotations

import csv
import json

import pytest

from forum.bots.models import Conversation
from forum.moderation.matcher.normalize import plain_text
from forum.moderation.models import AuditEntry, DuplicateGroup, Merge
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index  # noqa: F401
from tests.shared_data import MADRID, require

from .conftest import buttons_of, post_update, post_whatsapp, tg_callback, tg_message
from .fake_whatsapp import interactive_message, text_message

pytestmark = pytest.mark.django_db

CHAT = 778002
PHONE = "56911112222"
# Madrid proposals 35717 and 35718: the same text posted twice (there are more copies).
ORIGINAL, REPOST = "35717", "35718"


def _madrid(ids):
    with require(MADRID).open(encoding="utf-8", newline="") as f:
        rows = {r["id"]: r for r in csv.DictReader(f, delimiter=";") if r["id"] in ids}
    return {k: (r["title"].strip(), plain_text(r["description"])) for k, r in rows.items()}


@pytest.fixture
def madrid_pair():
    texts = _madrid({ORIGINAL, REPOST})
    title, body = texts[ORIGINAL]
    original = factories.idea(title=title, body=body)
    repost_title, repost_body = texts[REPOST]
    return original, f"{repost_title}. {repost_body}"


def _send(client, fake, update) -> list[dict]:
    before = len(fake.sent())
    assert post_update(client, update).status_code == 200
    return fake.sent()[before:]


def test_telegram_repost_joins_and_the_button_undoes_it(client, fake_telegram, madrid_pair):
    original, message = madrid_pair
    for update in (
        tg_message(CHAT, "/start"),
        tg_callback(CHAT, "ok:yes"),
        tg_callback(CHAT, "lang:es"),
        tg_callback(CHAT, "reg:biobio"),
    ):
        _send(client, fake_telegram, update)
    sent = _send(client, fake_telegram, tg_message(CHAT, message))
    repost = Idea.objects.exclude(pk=original.pk).get()
    assert repost.merged_into_id == original.pk
    assert repost.status == IdeaStatus.MERGED
    reply = sent[-1]
    assert original.formatted_code in reply["text"]
    assert "mismo texto" in reply["text"]
    assert ("Mi idea es distinta", f"dif:{repost.pk}") in buttons_of(reply)
    record = Merge.objects.get(merged=repost)
    assert record.actor is None
    assert record.snapshot["auto"] is True
    # A forged payload (someone else's idea, junk) does nothing.
    _send(client, fake_telegram, tg_callback(CHAT, f"dif:{original.pk}"))
    _send(client, fake_telegram, tg_callback(CHAT, "dif:\uff11\uff12"))  # fullwidth digits
    repost.refresh_from_db()
    assert repost.merged_into_id == original.pk

    sent = _send(client, fake_telegram, tg_callback(CHAT, f"dif:{repost.pk}"))
    assert "quedó separada" in sent[-1]["text"]
    repost.refresh_from_db()
    assert repost.merged_into_id is None
    assert repost.status == IdeaStatus.RECEIVED
    assert (
        DuplicateGroup.objects.filter(members__idea=repost).filter(members__idea=original).exists()
    )
    assert AuditEntry.objects.filter(action="idea.unmerge", actor__isnull=True).exists()


def _wa(client, fake, body) -> list[dict]:
    before = len(fake.delivered())
    response = post_whatsapp(client, json.dumps(body).encode())
    assert response.status_code == 200
    return fake.delivered()[before:]


def test_whatsapp_repost_joins_and_the_button_undoes_it(client, fake_whatsapp, madrid_pair):
    original, message = madrid_pair
    person = factories.person(name="Rosa")
    person.consent_at = person.created_at
    person.save()
    factories.identity(person, "whatsapp", PHONE)
    Conversation.objects.create(channel="whatsapp", external_id=PHONE, person=person, state="idle")
    sent = _wa(client, fake_whatsapp, text_message(PHONE, message, "wamid.auto1"))
    repost = Idea.objects.exclude(pk=original.pk).get()
    assert repost.merged_into_id == original.pk
    offer = sent[-1]["interactive"]
    assert original.formatted_code in offer["body"]["text"]
    ids = [b["reply"]["id"] for b in offer["action"]["buttons"]]
    assert ids == [f"dif:{repost.pk}"]
    sent = _wa(
        client,
        fake_whatsapp,
        interactive_message(
            PHONE, "button_reply", f"dif:{repost.pk}", "Mi idea es distinta", "wamid.auto2"
        ),
    )
    repost.refresh_from_db()
    assert repost.merged_into_id is None
    assert "quedó separada" in sent[-1]["text"]["body"]
