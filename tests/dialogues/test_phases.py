"""The phase machine: the allowed transitions, the checks of each step, the audit row and the
notice to everyone concerned."""

from __future__ import annotations

import pytest

from forum.dialogues import phases, services
from forum.dialogues.models import CheckIn, PhaseChange
from forum.moderation.models import AuditEntry
from forum.notifications.models import Notification
from forum.participation.models import Channel, Dialogue
from tests import factories as f

pytestmark = pytest.mark.django_db
P = Dialogue.Phase


def test_the_table_only_goes_forward_one_step():
    assert phases.is_allowed("guidelines", "planning")
    assert phases.is_allowed("planning", "realisation")
    assert phases.is_allowed("realisation", "celebration")
    assert not phases.is_allowed("guidelines", "realisation")
    assert not phases.is_allowed("planning", "guidelines")
    assert not phases.is_allowed("celebration", "guidelines")
    assert phases.next_phase("celebration") is None


def _staff():
    return f.user(is_staff=True)


def _ready_for_planning():
    d = f.dialogue()
    services.guiding_question_add(actor=None, dialogue=d, text="¿Qué falta en las OTEC?")
    return d


def _ready_for_session(d, people):
    f.idea(dialogue=d, title="Más cursos de oficios en Lota")
    services.agenda_propose(actor=None, dialogue=d)
    services.agenda_publish(actor=None, dialogue=d)
    services.tables_seat(actor=None, dialogue=d, people=people)
    services.tables_publish(actor=None, dialogue=d)


def test_a_whole_run_through_the_four_phases():
    staff = _staff()
    d = _ready_for_planning()
    author = f.person()
    f.idea(author=author, dialogue=d, title="Cursos en la tarde para quien trabaja")
    services.dialogue_advance(dialogue=d, actor=staff)
    assert Dialogue.objects.get(pk=d.pk).phase == P.PLANNING

    people = [f.person(actor_category="employers") for _ in range(5)]
    _ready_for_session(d, people)
    services.dialogue_advance(dialogue=d, actor=staff)
    assert Dialogue.objects.get(pk=d.pk).phase == P.REALISATION

    services.session_import(actor=None, dialogue=d, attendees=people[:3])
    services.dialogue_advance(dialogue=d, actor=staff, note="Sesión cerrada")
    assert Dialogue.objects.get(pk=d.pk).phase == P.CELEBRATION

    changes = list(PhaseChange.objects.filter(dialogue=d).values_list("from_phase", "to_phase"))
    assert changes == [
        ("guidelines", "planning"),
        ("planning", "realisation"),
        ("realisation", "celebration"),
    ]
    audits = AuditEntry.objects.filter(action="dialogue_advance", target_id=str(d.pk))
    assert audits.count() == 3
    assert audits.filter(actor=staff).count() == 3
    # The idea's author heard of each of the three steps.
    notes = Notification.objects.filter(person=author, kind=Notification.Kind.DIALOGUE_PHASE)
    assert sorted(n.payload["phase"] for n in notes) == ["celebration", "planning", "realisation"]


def test_planning_needs_topics_or_questions():
    d = f.dialogue()
    with pytest.raises(services.DialogueError, match="temas o las preguntas"):
        services.dialogue_advance(dialogue=d, actor=_staff())
    assert Dialogue.objects.get(pk=d.pk).phase == P.GUIDELINES
    assert not PhaseChange.objects.exists()


def test_no_session_without_agenda_and_tables():
    d = _ready_for_planning()
    services.dialogue_advance(dialogue=d, actor=None)
    with pytest.raises(services.DialogueError, match="agenda"):
        services.dialogue_advance(dialogue=d, actor=None)
    f.idea(dialogue=d)
    services.agenda_propose(actor=None, dialogue=d)
    services.agenda_publish(actor=None, dialogue=d)
    with pytest.raises(services.DialogueError, match="mesas"):
        services.dialogue_advance(dialogue=d, actor=None)
    assert Dialogue.objects.get(pk=d.pk).phase == P.PLANNING


def test_no_celebration_without_attendance():
    d = _ready_for_planning()
    services.dialogue_advance(dialogue=d, actor=None)
    _ready_for_session(d, [f.person()])
    services.dialogue_advance(dialogue=d, actor=None)
    with pytest.raises(services.DialogueError, match="asistencia"):
        services.dialogue_advance(dialogue=d, actor=None)
    assert not CheckIn.objects.exists()


def test_skipping_or_going_back_is_refused():
    d = _ready_for_planning()
    with pytest.raises(services.DialogueError, match="no puede pasar"):
        services.dialogue_advance(dialogue=d, actor=None, to_phase="celebration")
    services.dialogue_advance(dialogue=d, actor=None)
    with pytest.raises(services.DialogueError, match="no puede pasar"):
        services.dialogue_advance(dialogue=d, actor=None, to_phase="guidelines")
    d.phase = P.CELEBRATION
    Dialogue.objects.filter(pk=d.pk).update(phase=P.CELEBRATION)
    with pytest.raises(services.DialogueError, match="no puede pasar"):
        services.dialogue_advance(dialogue=d, actor=None)


def test_the_notice_waits_in_the_outbox_for_each_channel():
    d = _ready_for_planning()
    author = f.person()
    f.identity(author, Channel.TELEGRAM)
    f.idea(author=author, dialogue=d)
    services.dialogue_advance(dialogue=d, actor=None)
    note = Notification.objects.get(person=author, kind=Notification.Kind.DIALOGUE_PHASE)
    telegram = note.deliveries.filter(channel=Channel.TELEGRAM)
    assert [d.status for d in telegram] == ["pending"]
