"""The two figures that come from the dialogues' sessions: the share rating the method excellent
or good (per scope, as the report's 93 %), and the closing words in the word cloud."""

from __future__ import annotations

import pytest

from forum.dialogues.models import DialogueSpace, SurveyAnswer
from forum.dialogues.services import live as session_services
from forum.dialogues.services import survey_answer_submit
from forum.insights import selectors
from forum.participation.models import Dialogue
from tests import factories

pytestmark = pytest.mark.django_db


def _attended(dialogue, n):
    people = [factories.person() for _ in range(n)]
    for p in people:
        session_services.checkin_record(dialogue=dialogue, person=p, method="code")
    return people


def test_method_rating_share_and_closing_words_per_dialogue_and_overall():
    biobio = factories.dialogue(council=factories.council("biobio"), phase="realisation")
    nuble = factories.dialogue(council=factories.council("nuble"), phase="realisation")
    DialogueSpace.objects.create(dialogue=biobio, session_code="BIO111")
    DialogueSpace.objects.create(dialogue=nuble, session_code="NUB222")
    here, there = _attended(biobio, 4), _attended(nuble, 2)
    for person, word in zip(here, ["Confianza", "confianza", "Redes", "Confianza"], strict=True):
        session_services.closing_word_send(dialogue=biobio, person=person, word=word)
    Dialogue.objects.filter(pk__in=[biobio.pk, nuble.pk]).update(phase="celebration")
    biobio.refresh_from_db()
    nuble.refresh_from_db()
    R = SurveyAnswer.Rating
    for person, rating in zip(here, [R.EXCELLENT, R.GOOD, R.GOOD, R.FAIR], strict=True):
        survey_answer_submit(dialogue=biobio, person=person, rating=rating)
    for person, rating in zip(there, [R.POOR, R.POOR], strict=True):
        survey_answer_submit(dialogue=nuble, person=person, rating=rating)

    one = selectors.Scope(dialogue=biobio)
    assert selectors.headline(one).method_rating_share == pytest.approx(0.75)
    assert selectors.headline().method_rating_share == pytest.approx(3 / 6)
    cloud = dict(selectors.word_cloud(one))
    assert cloud["confianza"] == 3
    assert cloud["redes"] == 1
