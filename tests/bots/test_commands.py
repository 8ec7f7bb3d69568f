"""Management commands of the bots: set_telegram_webhook and process_updates."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forum.bots.models import InboundUpdate

from .conftest import SECRET, tg_message

pytestmark = pytest.mark.django_db


def test_set_telegram_webhook_sends_the_secret_token(fake_telegram, settings):
    settings.SITE_URL = "https://foro.example.cl"
    out = io.StringIO()
    call_command("set_telegram_webhook", stdout=out)
    [call] = [c for c in fake_telegram.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://foro.example.cl/bots/telegram/webhook/"
    assert call.params["secret_token"] == SECRET
    assert "callback_query" in call.params["allowed_updates"]
    call_command("set_telegram_webhook", "--delete", stdout=out)
    assert any(c.method == "deleteWebhook" for c in fake_telegram.calls)


def test_set_telegram_webhook_refuses_without_configuration(settings):
    settings.TELEGRAM_BOT_TOKEN = ""
    with pytest.raises(CommandError):
        call_command("set_telegram_webhook")


def test_process_updates_answers_a_stored_update_once(fake_telegram):
    update = tg_message(555001, "/start")
    stored = InboundUpdate.objects.create(
        platform="telegram", update_id=str(update["update_id"]), payload=update
    )
    call_command("process_updates", "--once", stdout=io.StringIO())
    stored.refresh_from_db()
    assert stored.status == "processed"
    assert len(fake_telegram.sent(555001)) == 2
    call_command("process_updates", "--once", stdout=io.StringIO())
    assert len(fake_telegram.sent(555001)) == 2


def test_the_web_only_stores_and_manage_py_work_answers(client, fake_telegram):
    from .conftest import post_update

    update = tg_message(555002, "/start")
    assert post_update(client, update, work=False).status_code == 200
    stored = InboundUpdate.objects.get(update_id=str(update["update_id"]))
    assert stored.status == "pending"
    assert fake_telegram.sent() == []
    call_command("work", "--kind", "updates", "--kind", "replies", "--once", stdout=io.StringIO())
    stored.refresh_from_db()
    assert stored.status == "processed"
    assert len(fake_telegram.sent(555002)) == 2


@pytest.mark.django_db(transaction=True)
async def test_polling_mode_feeds_updates_into_the_same_store_and_engine(fake_telegram):
    from channels.db import database_sync_to_async
    from telegram import Update
    from telegram.ext import Application, CallbackContext

    from forum.bots.management.commands.runbot import _on_update

    # The handler gets what PTB's TypeHandler hands it: the update and a context built for it.
    app = Application.builder().token("123456:TEST-token").build()
    update = tg_message(555003, "/start")
    for _ in range(2):  # the same update again: handled once
        received = Update.de_json(update, app.bot)
        await _on_update(received, CallbackContext.from_update(received, app))
    count = database_sync_to_async(
        InboundUpdate.objects.filter(update_id=str(update["update_id"])).count
    )
    assert await count() == 1
    assert len(fake_telegram.sent(555003)) == 2


def test_whatsapp_push_template_is_submitted_once_per_language_and_then_used(
    fake_whatsapp, settings
):
    from forum.bots import senders
    from forum.bots.models import Conversation
    from forum.notifications.models import Delivery
    from forum.notifications.worker import deliver_due
    from forum.participation import services
    from forum.participation.lifecycle import IdeaStatus
    from tests import factories

    settings.WHATSAPP_PUSH_TEMPLATE = "foro_novedades_idea"
    settings.WHATSAPP_PUSH_TEMPLATE_LANGUAGES = "es:es,en:en_US"
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = "102290129340398"
    out = io.StringIO()
    call_command("whatsapp_push_template", stdout=out)
    created = [p for p in fake_whatsapp.posted if p.path.endswith("/message_templates")]
    assert [p.path for p in created] == ["/v21.0/102290129340398/message_templates"] * 2
    assert {p.body["language"] for p in created} == {"es", "en_US"}
    assert all(p.authorization == "Bearer wa-token" for p in created)
    assert out.getvalue().count("PENDING") == 2
    # Again: Meta says it exists; the command says so and does not fail.
    out = io.StringIO()
    call_command("whatsapp_push_template", stdout=out)
    assert out.getvalue().count("ya existe") == 2

    # The submitted template is what a late push uses (the fake checks its variables).
    person = factories.person(name="Rosa")
    factories.identity(person, "whatsapp", "56933334444")
    Conversation.objects.create(
        channel="whatsapp",
        external_id="56933334444",
        person=person,
        last_inbound_at=timezone.now() - senders.WHATSAPP_WINDOW * 3,
    )
    idea = factories.idea(author=person)
    services.idea_transition(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)
    deliver_due()
    assert Delivery.objects.get(channel="whatsapp").status == "sent"
    [template] = fake_whatsapp.templates_sent("56933334444")
    assert template["name"] == "foro_novedades_idea"


def test_whatsapp_push_template_says_what_is_missing(settings):
    settings.WHATSAPP_PUSH_TEMPLATE = ""
    with pytest.raises(CommandError, match="WHATSAPP_PUSH_TEMPLATE"):
        call_command("whatsapp_push_template")
    settings.WHATSAPP_PUSH_TEMPLATE = "foro_novedades_idea"
    settings.WHATSAPP_BUSINESS_ACCOUNT_ID = ""
    with pytest.raises(CommandError, match="WHATSAPP_BUSINESS_ACCOUNT_ID"):
        call_command("whatsapp_push_template")
    out = io.StringIO()
    call_command("whatsapp_push_template", "--print", stdout=out)
    assert "{{1}}" in out.getvalue()
    assert "{{2}}" in out.getvalue()
