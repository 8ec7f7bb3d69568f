"""Participation services: what they store, what they refuse, and what they announce."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings

from forum.notifications.models import Notification
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus, IllegalTransition
from forum.participation.models import (
    Channel,
    ChannelIdentity,
    Idea,
    IdeaCoauthor,
    StatusChange,
)
from tests import factories

pytestmark = pytest.mark.django_db


def _published(callbacks_mock) -> list[tuple[str, dict]]:
    return [call.args for call in callbacks_mock.call_args_list]


# ---------------------------------------------------------------- people


def test_person_for_user_is_created_once_with_web_identity():
    user = factories.user("pedro", email="pedro@example.cl")
    first = services.person_for_user(user=user)
    second = services.person_for_user(user=user)
    assert first.pk == second.pk
    assert first.email == "pedro@example.cl"
    assert first.consent_at is not None
    assert ChannelIdentity.objects.filter(
        person=first, channel=Channel.WEB, external_id=str(user.pk)
    ).exists()


def test_person_update_preferences():
    person = factories.person()
    services.person_update_preferences(
        person=person, language="en", region=factories.region("maule"), email_notifications=False
    )
    person.refresh_from_db()
    assert person.region is not None
    assert (person.language, person.region.slug, person.email_notifications) == (
        "en",
        "maule",
        False,
    )


def test_person_update_preferences_rejects_unknown_language():
    person = factories.person()
    with pytest.raises(Exception):  # noqa: B017 - full_clean's ValidationError
        services.person_update_preferences(person=person, language="klingon")


# ---------------------------------------------------------------- submit


def test_idea_submit_stores_received_idea_with_history_and_event():
    author = factories.person()
    with mock.patch("forum.core.events._send") as send:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            idea = services.idea_submit(
                author=author,
                title="  Más cursos\nen Chillán ",
                body="Texto\r\n\r\n\r\n\r\ncon  espacios",
                channel=Channel.WHATSAPP,
            )
    assert idea.status == IdeaStatus.RECEIVED
    assert idea.title == "Más cursos en Chillán"
    assert idea.body == "Texto\n\ncon espacios"
    assert idea.channel == Channel.WHATSAPP
    history = list(StatusChange.objects.filter(idea=idea))
    assert [(h.from_status, h.to_status) for h in history] == [("", IdeaStatus.RECEIVED)]
    assert ("moderation.queue", {"type": "idea.created", "idea_id": idea.pk}) in _published(send)


def test_idea_submit_nothing_published_when_transaction_rolls_back():
    from django.db import transaction

    def submit_then_fail() -> None:
        with transaction.atomic():
            services.idea_submit(author=None, title="Una idea", channel=Channel.WEB)
            raise RuntimeError("boom")

    with mock.patch("forum.core.events._send") as send, pytest.raises(RuntimeError):
        submit_then_fail()
    assert send.call_count == 0
    assert Idea.objects.count() == 0


def test_idea_submit_too_long_stores_nothing():
    body = "a" * (settings.IDEA_MAX_LENGTH + 1)
    with pytest.raises(services.ParticipationError) as excinfo:
        services.idea_submit(
            author=factories.person(), title="Larga", body=body, channel=Channel.WEB
        )
    assert excinfo.value.code == "too_long"
    assert str(settings.IDEA_MAX_LENGTH) in excinfo.value.messages[0]
    assert Idea.objects.count() == 0


def test_idea_submit_title_too_long_and_empty():
    with pytest.raises(services.ParticipationError) as excinfo:
        services.idea_submit(author=None, title="t" * 201, channel=Channel.WEB)
    assert excinfo.value.code == "title_too_long"
    with pytest.raises(services.ParticipationError) as excinfo:
        services.idea_submit(author=None, title=" \n\t ", channel=Channel.WEB)
    assert excinfo.value.code == "empty"
    assert Idea.objects.count() == 0


def test_idea_submit_region_comes_from_dialogue_then_author():
    maule = factories.region("maule")
    dialogue = factories.dialogue(council=factories.council("maule"))
    idea = services.idea_submit(
        author=None, title="Desde el diálogo", channel=Channel.IN_PERSON, dialogue=dialogue
    )
    assert idea.region == maule
    author = factories.person(region=factories.region("araucania"))
    idea = services.idea_submit(author=author, title="Desde la persona", channel=Channel.WEB)
    assert idea.region is not None
    assert idea.region.slug == "araucania"


def test_idea_submit_keeps_created_at_for_imports():
    when = dt.datetime(2016, 5, 4, 12, 0, tzinfo=dt.UTC)
    idea = services.idea_submit(
        author=None,
        title="Importada",
        channel=Channel.IMPORT,
        external_source="madrid",
        external_id="42",
        created_at=when,
    )
    idea.refresh_from_db()
    assert idea.created_at == when


def test_split_title_uses_first_sentence():
    title, body = services.split_title("Quiero cursos de inglés. Para guías de turismo en Pucón.")
    assert title == "Quiero cursos de inglés."
    assert body == "Para guías de turismo en Pucón."  # the title's words are not repeated


# ---------------------------------------------------------------- transitions


def test_transition_notifies_author_coauthors_and_supporters_once():
    author, coauthor, supporter = factories.person(), factories.person(), factories.person()
    idea = factories.idea(author=author)
    IdeaCoauthor.objects.create(idea=idea, person=coauthor)
    services.support_add(idea=idea, person=supporter)
    services.support_add(idea=idea, person=author)  # the author also supports: one notice
    admin = factories.user(is_staff=True)
    with mock.patch("forum.core.events._send") as send:
        from django.test import TestCase

        with TestCase.captureOnCommitCallbacks(execute=True):
            services.idea_set_status(
                idea=idea,
                to_status=IdeaStatus.IN_REVIEW,
                actor=admin,
                public_message="Revisión en curso",
            )
    notes = Notification.objects.filter(idea=idea)
    assert sorted(n.person_id for n in notes) == sorted([author.pk, coauthor.pk, supporter.pk])
    note = notes.first()
    assert note is not None
    payload = note.payload
    assert payload["code"] == idea.tracking_code
    assert (payload["from"], payload["to"]) == (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW)
    assert payload["message"] == "Revisión en curso"
    groups = [group for group, _event in _published(send)]
    # The moderators' queue hears of it; no event goes to a group nobody joins.
    assert groups == ["moderation.queue"]


def test_illegal_transition_changes_nothing_and_notifies_nobody():
    idea = factories.idea()
    with pytest.raises(IllegalTransition) as excinfo:
        services.idea_set_status(idea=idea, to_status=IdeaStatus.IMPLEMENTED, actor=None)
    assert "Recibida" in str(excinfo.value)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.RECEIVED
    assert Notification.objects.count() == 0
    assert StatusChange.objects.filter(idea=idea).count() == 1


def test_reserved_statuses_need_their_service():
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.IN_REVIEW)
    idea.refresh_from_db()
    with pytest.raises(IllegalTransition):
        services.idea_set_status(idea=idea, to_status=IdeaStatus.ROUTED, actor=None)
    with pytest.raises(IllegalTransition):
        services.idea_set_status(idea=idea, to_status=IdeaStatus.MERGED, actor=None)


def test_route_sets_council_due_date_and_agenda():
    idea = factories.idea()
    services.idea_set_status(idea=idea, to_status=IdeaStatus.IN_REVIEW, actor=None)
    council = factories.council("maule")
    dialogue = factories.dialogue(council=council, title="Diálogo de Curicó")
    services.idea_route(
        idea=idea,
        council=council,
        actor=None,
        answer_due=dt.date(2027, 1, 31),
        agenda_dialogue=dialogue,
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ON_AGENDA
    assert idea.council == council
    assert idea.agenda_dialogue == dialogue
    assert idea.answer_due == dt.date(2027, 1, 31)
    steps = list(StatusChange.objects.filter(idea=idea).values_list("to_status", flat=True))
    assert steps[-2:] == [IdeaStatus.ROUTED, IdeaStatus.ON_AGENDA]
    last = StatusChange.objects.filter(idea=idea).last()
    assert last is not None
    assert "Curicó" in last.public_message


def test_answer_records_public_answer_and_rejects_unknown_outcome():
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(status=IdeaStatus.ROUTED)
    with pytest.raises(services.ParticipationError):
        services.idea_answer(idea=idea, outcome=IdeaStatus.IMPLEMENTED, answer="x", actor=None)
    with pytest.raises(services.ParticipationError):
        services.idea_answer(idea=idea, outcome=IdeaStatus.ANSWERED_REJECTED, answer="", actor=None)
    services.idea_answer(
        idea=idea,
        outcome=IdeaStatus.ANSWERED_REJECTED,
        answer="No corresponde a SENCE.",
        actor=None,
    )
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ANSWERED_REJECTED
    assert idea.public_answer == "No corresponde a SENCE."


def test_recipients_of_an_anonymous_transcription_are_its_supporters():
    idea = services.idea_submit(
        author=None, title="Transcrita en el diálogo", channel=Channel.IN_PERSON
    )
    supporter = factories.person()
    services.support_add(idea=idea, person=supporter)
    assert services.idea_recipients(idea) == [supporter]
