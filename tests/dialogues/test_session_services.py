"""The session's rules as an attendee meets them: check in once, vote with the dialogue's dots,
one closing word, and the facilitator's table ideas."""

from __future__ import annotations

import pytest
from django.utils import timezone

from forum.dialogues.models import CheckIn, ClosingWord, Vote
from forum.dialogues.selectors import live as sel
from forum.dialogues.services import live as s
from forum.participation.models import Channel, Dialogue, Idea
from tests import factories
from tests.dialogues.session_helpers import room


def _snap(dialogue) -> dict:
    snap = sel.session_snapshot(dialogue.pk)
    assert snap is not None
    return snap


pytestmark = pytest.mark.django_db


def _in(r, person=None):
    person = person or factories.person()
    s.checkin_record(dialogue=r.dialogue, person=person, method=CheckIn.Method.CODE)
    return person


def test_the_session_code_finds_its_dialogue_whatever_the_case_and_spaces():
    r = room(code="XY7Q2Z")
    assert s.dialogue_by_session_code(" xy7 q2z ") == r.dialogue
    assert s.dialogue_by_session_code("NOPE00") is None
    assert s.dialogue_by_session_code("\x00") is None


def test_checking_in_twice_counts_the_person_once_with_their_seat_category():
    r = room()
    org = factories.organisation(actor_category="employers")
    p = factories.person(organisation=org, actor_category="employers")
    first, created = s.checkin_record(dialogue=r.dialogue, person=p, method="qr")
    again, created_again = s.checkin_record(dialogue=r.dialogue, person=p, method="code")
    assert created
    assert not created_again
    assert first.pk == again.pk
    assert first.actor_category == "employers"
    assert first.organisation == org
    assert _snap(r.dialogue)["attendance"] == 1


@pytest.mark.parametrize("phase", ["guidelines", "planning", "celebration"])
def test_outside_the_session_nobody_checks_in_or_votes(phase):
    r = room()
    p = _in(r)
    Dialogue.objects.filter(pk=r.dialogue.pk).update(phase=phase)
    r.dialogue.refresh_from_db()
    with pytest.raises(s.SessionError, match="no está en curso"):
        s.checkin_record(dialogue=r.dialogue, person=factories.person(), method="code")
    with pytest.raises(s.SessionError, match="no está en curso"):
        s.vote_cast(dialogue=r.dialogue, idea=r.ideas[0], person=p)
    assert not Vote.objects.exists()


def test_only_people_who_checked_in_vote():
    r = room()
    with pytest.raises(s.SessionError, match="registra tu asistencia"):
        s.vote_cast(dialogue=r.dialogue, idea=r.ideas[0], person=factories.person())


def test_each_person_has_the_dialogues_dots_one_per_idea_and_can_move_one():
    r = room(dots=2)
    p = _in(r)
    assert s.vote_cast(dialogue=r.dialogue, idea=r.ideas[0], person=p) == 1
    with pytest.raises(s.SessionError, match="Ya votaste"):
        s.vote_cast(dialogue=r.dialogue, idea=r.ideas[0], person=p)
    assert s.vote_cast(dialogue=r.dialogue, idea=r.ideas[1], person=p) == 0
    with pytest.raises(s.SessionError, match="tus 2 votos"):
        s.vote_cast(dialogue=r.dialogue, idea=r.ideas[2], person=p)
    assert s.vote_withdraw(dialogue=r.dialogue, idea=r.ideas[0], person=p) == 1
    assert s.vote_cast(dialogue=r.dialogue, idea=r.ideas[2], person=p) == 0
    voted = set(Vote.objects.filter(person=p).values_list("idea_id", flat=True))
    assert voted == {r.ideas[1].pk, r.ideas[2].pk}


def test_a_dialogue_without_a_budget_uses_the_default(settings):
    settings.DIALOGUE_DEFAULT_DOTS = 3
    r = room(dots=None)
    assert sel.attendee_state(r.dialogue, _in(r)).dots_left == 3


def test_ideas_of_another_dialogue_hidden_or_merged_away_are_not_on_the_ballot():
    r = room()
    p = _in(r)
    elsewhere = factories.idea(dialogue=factories.dialogue())
    hidden, merged_away = r.ideas[2], r.ideas[3]
    Idea.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    Idea.objects.filter(pk=merged_away.pk).update(merged_into=r.ideas[0])
    for idea in (elsewhere, hidden, merged_away):
        with pytest.raises(s.SessionError, match="no está en votación"):
            s.vote_cast(dialogue=r.dialogue, idea=idea, person=p)
    assert elsewhere not in list(sel.ballot(r.dialogue))
    assert list(sel.ballot(r.dialogue)) == r.ideas[:2]


def test_the_ranking_orders_ideas_by_votes():
    r = room(dots=3)
    for voters, idea in ((3, r.ideas[2]), (1, r.ideas[0])):
        for _ in range(voters):
            s.vote_cast(dialogue=r.dialogue, idea=idea, person=_in(r))
    snap = _snap(r.dialogue)
    assert [(row["title"], row["votes"]) for row in snap["ranking"]] == [
        (r.ideas[2].title, 3),
        (r.ideas[0].title, 1),
    ]
    assert snap["votes"] == 4
    assert snap["voters"] == 4
    assert snap["attendance"] == 4


def test_one_closing_word_per_person_counted_without_case_or_accents():
    r = room()
    a, b, c = _in(r), _in(r), _in(r)
    s.closing_word_send(dialogue=r.dialogue, person=a, word="Confianza")
    s.closing_word_send(dialogue=r.dialogue, person=b, word="confianza!")
    s.closing_word_send(dialogue=r.dialogue, person=c, word="Esperanza")
    s.closing_word_send(dialogue=r.dialogue, person=c, word="  colaboración en red")
    assert ClosingWord.objects.filter(person=c).get().word == "colaboración"
    words = {w["word"]: (w["count"], w["size"]) for w in _snap(r.dialogue)["words"]}
    assert words == {"confianza": (2, 6), "colaboración": (1, 1)}
    with pytest.raises(s.SessionError, match="una palabra"):
        s.closing_word_send(dialogue=r.dialogue, person=a, word=" ¡! ")


def test_only_the_facilitator_enters_the_tables_ideas_as_in_person_ideas():
    r = room()
    with pytest.raises(s.SessionError, match="Solo quien facilita"):
        s.table_idea_enter(table=r.table, actor=factories.person(), title="Algo")
    idea = s.table_idea_enter(
        table=r.table, actor=r.facilitator, title="Ferias laborales en cada comuna"
    )
    assert idea.dialogue == r.dialogue
    assert idea.channel == Channel.IN_PERSON
    assert idea in list(sel.ballot(r.dialogue))
