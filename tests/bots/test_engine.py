"""The engine on its own: locale formatting, splitting, command parsing."""

from __future__ import annotations

import pytest

from forum.bots import engine
from forum.bots.messages import Incoming, split_text
from forum.participation.models import Idea
from tests import factories

pytestmark = pytest.mark.django_db


def test_status_numbers_and_dates_follow_the_persons_locale():
    idea = factories.idea(title="Feria de empleo en Coyhaique")
    Idea.objects.filter(pk=idea.pk).update(support_count=12345)
    for language, number in (("es", "12.345"), ("en", "12,345")):
        person = factories.person(language=language)
        factories.identity(person, "webchat", f"chat-{language}")
        from forum.bots.models import Conversation

        Conversation.objects.create(
            channel="webchat", external_id=f"chat-{language}", person=person, state="idle"
        )
        [reply] = engine.handle(
            Incoming(
                channel="webchat",
                external_id=f"chat-{language}",
                text=f"/estado {idea.tracking_code}",
            )
        )
        assert number in reply.text, (language, reply.text)


def test_commands_are_parsed_with_bot_suffix_case_and_accents():
    assert engine.parse_command("/Estado@ForoAbiertoBot abcd-efgh") == ("status", "abcd-efgh")
    assert engine.parse_command("/región") == ("region", "")
    assert engine.parse_command("hola /estado") is None
    unknown = engine.parse_command("/nada")
    assert unknown is not None
    assert unknown[0].startswith("unknown")


def test_split_text_keeps_every_character_within_the_limit():
    text = ("palabra " * 1200).strip() + " " + "x" * 5000
    parts = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in parts)
    assert "".join(parts).replace(" ", "") == text.replace(" ", "")
