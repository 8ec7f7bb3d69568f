"""Pushes: status changes reach Telegram/WhatsApp through the notifications outbox worker, with
the platform's errors (429 retry_after, 403 blocked, 5xx) and a worker that dies mid-batch."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from forum.bots import states
from forum.bots.models import Conversation
from forum.notifications.models import Delivery
from forum.notifications.worker import OutboxWorker, deliver_due
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ChannelIdentity, Person
from tests import factories

from .conftest import post_whatsapp
from .fake_telegram import blocked, server_error, too_many_requests
from .fake_whatsapp import rate_limited, text_message, undeliverable

pytestmark = pytest.mark.django_db

CHAT = "990001"


def telegram_author(chat=CHAT, language="es"):
    person = factories.person(name="Camila", language=language)
    factories.identity(person, "telegram", chat)
    return person


def move(idea, to_status=IdeaStatus.IN_REVIEW, message=""):
    return services.idea_transition(
        idea=idea, to_status=to_status, actor=None, public_message=message
    )


def make_due(channel="telegram"):
    Delivery.objects.filter(channel=channel, status="pending").update(
        available_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_a_status_change_is_pushed_to_the_authors_telegram_chat(fake_telegram):
    person = telegram_author()
    idea = factories.idea(author=person, title="Más cursos de inglés técnico en Antofagasta")
    move(idea, message="La revisaremos en la sesión de diciembre.")
    deliver_due()
    [sent] = fake_telegram.sent(CHAT)
    assert idea.formatted_code in sent["text"]
    assert "En revisión" in sent["text"]
    assert "sesión de diciembre" in sent["text"]
    assert Delivery.objects.get(channel="telegram").status == "sent"


def test_pushes_are_in_the_persons_language(fake_telegram):
    person = telegram_author(language="en")
    idea = factories.idea(author=person, title="English speaker idea")
    move(idea)
    deliver_due()
    [sent] = fake_telegram.sent(CHAT)
    assert "/status" in sent["text"]  # the English name of /estado
    assert idea.formatted_code in sent["text"]


def test_supporters_hear_about_changes_too_and_each_push_is_sent_once(fake_telegram):
    author = telegram_author("990002")
    supporter = telegram_author("990003")
    idea = factories.idea(author=author, title="Bolsa de empleo para personas mayores")
    services.support_add(idea=idea, person=supporter, channel="telegram")
    move(idea)
    deliver_due()
    deliver_due()
    assert len(fake_telegram.sent("990002")) == 1
    assert len(fake_telegram.sent("990003")) == 1


# python-telegram-bot 22.2-22.x warns from inside RetryAfter's own constructor (it reads its own
# deprecated int property). Our read of the wait does not warn: test_telegram_retry_after.py.
@pytest.mark.filterwarnings(
    "ignore:Deprecated since version v22.2.*`retry_after`:telegram.warnings.PTBDeprecationWarning"
)
def test_429_retry_after_is_honoured(fake_telegram):
    person = telegram_author()
    idea = factories.idea(author=person)
    move(idea)
    fake_telegram.script = [too_many_requests(retry_after=30)]
    deliver_due()
    delivery = Delivery.objects.get(channel="telegram")
    assert delivery.status == "pending"
    assert delivery.attempts == 1
    assert delivery.available_at >= timezone.now() + dt.timedelta(seconds=25)
    deliver_due()  # too early: nothing is re-sent before retry_after
    assert len(fake_telegram.attempts(CHAT)) == 1
    make_due()
    deliver_due()
    assert len(fake_telegram.sent(CHAT)) == 1
    assert Delivery.objects.get(channel="telegram").status == "sent"


def test_a_user_who_blocked_the_bot_is_marked_unreachable_and_not_sent_to_again(fake_telegram):
    person = telegram_author()
    idea = factories.idea(author=person)
    fake_telegram.script = [blocked()]
    move(idea)
    deliver_due()
    assert Delivery.objects.get(channel="telegram").status == "skipped"
    assert ChannelIdentity.objects.get(external_id=CHAT).unreachable_at is not None
    move(idea, IdeaStatus.NOT_ADMITTED, message="Fuera del ámbito de los consejos.")
    deliver_due()
    assert len(fake_telegram.attempts(CHAT)) == 1
    assert not Delivery.objects.filter(channel="telegram", status="pending").exists()


def test_server_errors_are_retried(fake_telegram):
    person = telegram_author()
    idea = factories.idea(author=person)
    move(idea)
    fake_telegram.script = [server_error(500), server_error(502)]
    deliver_due()
    assert Delivery.objects.get(channel="telegram").status == "pending"
    make_due()
    deliver_due()
    make_due()
    deliver_due()
    assert len(fake_telegram.sent(CHAT)) == 1
    assert len(fake_telegram.attempts(CHAT)) == 3
    assert Delivery.objects.get(channel="telegram").attempts == 2


def test_worker_dying_mid_batch_loses_nothing_and_sends_nothing_twice(fake_telegram):
    people = [telegram_author(str(991000 + n)) for n in range(8)]
    for person in people:
        move(factories.idea(author=person))
    assert Delivery.objects.filter(channel="telegram").count() == 8
    # A worker claims a batch, sends part of it and dies (its lease is left behind).
    dying = OutboxWorker(batch_size=5)
    claimed = [d for d in dying.claim() if d.channel == "telegram"]
    for delivery in claimed[:2]:
        dying.process(delivery)
    Delivery.objects.filter(status="sending").update(
        leased_until=timezone.now() - dt.timedelta(seconds=1)
    )
    # A fresh worker takes over.
    deliver_due()
    for person in people:
        chat = person.identities.get().external_id
        assert len(fake_telegram.sent(chat)) == 1, chat
    assert Delivery.objects.filter(channel="telegram", status="sent").count() == 8


def test_merged_idea_authors_hear_about_the_merge_and_later_changes(fake_telegram):
    from forum.moderation.services import idea_merge

    moderator = factories.user(groups=("Moderación",), is_staff=True)
    author = telegram_author()
    mine = factories.idea(author=author, title="Cursos de soldadura en Lota")
    canonical = factories.idea(title="Cursos de soldadura certificados en la provincia de Arauco")
    idea_merge(canonical=canonical, merged=[mine], actor=moderator, reason="Misma propuesta")
    deliver_due()
    texts = fake_telegram.texts(CHAT)
    assert any(canonical.formatted_code in t for t in texts)
    before = len(texts)
    canonical.refresh_from_db()
    move(canonical)
    deliver_due()
    later = fake_telegram.texts(CHAT)[before:]
    assert len(later) == 1
    assert canonical.formatted_code in later[0]


def whatsapp_participant(phone, *, wrote_ago, name="Rosa", language="es"):
    """A WhatsApp participant whose last message reached the webhook ``wrote_ago`` ago."""
    person = factories.person(name=name, language=language)
    factories.identity(person, "whatsapp", phone)
    Conversation.objects.create(
        channel="whatsapp",
        external_id=phone,
        person=person,
        state=states.IDLE,
        last_inbound_at=timezone.now() - wrote_ago,
    )
    return person


def test_whatsapp_pushes_and_errors(fake_whatsapp):
    whatsapp_participant("56911112222", wrote_ago=dt.timedelta(hours=2))
    person = Person.objects.get(identities__external_id="56911112222")
    idea = factories.idea(author=person)
    fake_whatsapp.script = [rate_limited(retry_after=20)]
    move(idea)
    deliver_due()
    delivery = Delivery.objects.get(channel="whatsapp")
    assert delivery.status == "pending"
    assert delivery.available_at >= timezone.now() + dt.timedelta(seconds=15)
    make_due("whatsapp")
    deliver_due()
    [body] = fake_whatsapp.delivered("56911112222")
    assert idea.formatted_code in body["text"]["body"]
    assert fake_whatsapp.posted[-1].authorization == "Bearer wa-token"
    fake_whatsapp.script = [undeliverable()]
    move(idea, IdeaStatus.NOT_ADMITTED, message="No corresponde.")
    deliver_due()
    assert ChannelIdentity.objects.get(external_id="56911112222").unreachable_at is not None


def test_without_a_token_pushes_wait_and_nothing_is_called(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    person = telegram_author()
    move(factories.idea(author=person))
    deliver_due()
    delivery = Delivery.objects.get(channel="telegram")
    assert delivery.status == "pending"
    assert "not configured" in delivery.last_error


# ---------------------------------------------------------------- WhatsApp's 24-hour window

WA_PHONE = "56922223333"


@pytest.fixture
def push_template(settings, fake_whatsapp):
    settings.WHATSAPP_PUSH_TEMPLATE = "foro_novedades_idea"
    fake_whatsapp.templates[("foro_novedades_idea", "es")] = 2
    fake_whatsapp.templates[("foro_novedades_idea", "en_US")] = 2
    settings.WHATSAPP_PUSH_TEMPLATE_LANGUAGES = "es:es,en:en_US"
    return fake_whatsapp


def test_a_council_answer_days_later_reaches_whatsapp_as_the_approved_template(push_template):
    fake = push_template
    person = whatsapp_participant(WA_PHONE, wrote_ago=dt.timedelta(days=9))
    fake.closed_windows.add(WA_PHONE)
    idea = factories.idea(author=person, title="Cursos de soldadura en Coquimbo")
    move(idea, message="El consejo la revisará\nen la sesión de marzo.    Gracias.")
    deliver_due()
    [template] = fake.templates_sent(WA_PHONE)
    assert template["name"] == "foro_novedades_idea"
    assert template["language"] == {"code": "es"}
    code, news = [p["text"] for p in template["components"][0]["parameters"]]
    assert code == idea.formatted_code
    assert "En revisión" in news
    assert "sesión de marzo. Gracias." in news
    # No free text was even tried: Meta would have refused it.
    assert all(p.body.get("type") == "template" for p in fake.posted)
    assert Delivery.objects.get(channel="whatsapp").status == "sent"


def test_template_language_follows_the_person(push_template):
    fake = push_template
    person = whatsapp_participant(WA_PHONE, wrote_ago=dt.timedelta(days=2), language="en")
    move(factories.idea(author=person))
    deliver_due()
    [template] = fake.templates_sent(WA_PHONE)
    assert template["language"] == {"code": "en_US"}
    assert "Under review" in template["components"][0]["parameters"][1]["text"]


def test_when_meta_says_the_window_closed_the_push_goes_as_template(push_template):
    fake = push_template
    person = whatsapp_participant(WA_PHONE, wrote_ago=dt.timedelta(hours=3))
    fake.closed_windows.add(WA_PHONE)  # e.g. the message was deleted on their side
    move(factories.idea(author=person))
    deliver_due()
    assert [p.status for p in fake.posted] == [400, 200]
    assert len(fake.templates_sent(WA_PHONE)) == 1
    assert Delivery.objects.get(channel="whatsapp").status == "sent"


def test_without_a_template_the_push_waits_until_the_participant_writes(fake_whatsapp, client):
    fake = fake_whatsapp
    person = whatsapp_participant(WA_PHONE, wrote_ago=dt.timedelta(days=3))
    fake.closed_windows.add(WA_PHONE)
    idea = factories.idea(author=person)
    move(idea)
    deliver_due()
    delivery = Delivery.objects.get(channel="whatsapp")
    assert delivery.status == "pending"
    assert "WHATSAPP_PUSH_TEMPLATE" in delivery.last_error
    assert fake.posted == []

    # They write to the bot: the webhook records it and the window is open again.
    fake.closed_windows.discard(WA_PHONE)
    raw = json.dumps(text_message(WA_PHONE, "hola", "wamid.WINDOW0001")).encode()
    response = post_whatsapp(client, raw)
    assert response.status_code == 200
    make_due("whatsapp")
    deliver_due()
    assert Delivery.objects.get(channel="whatsapp").status == "sent"
    texts = [b["text"]["body"] for b in fake.delivered(WA_PHONE) if b.get("type") == "text"]
    assert any(idea.formatted_code in t for t in texts)
