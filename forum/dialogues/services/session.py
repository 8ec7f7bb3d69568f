"""A session's rows written from its paper records, and a person's erasure."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from django.db import transaction

from forum.core.text import clean_plain_text
from forum.moderation.services import Actor, audit_record
from forum.participation.models import Channel, Dialogue, Idea, Person

from ..models import (
    CheckIn,
    ClosingWord,
    Seat,
    SurveyAnswer,
    Table,
    TableIdea,
    Vote,
)

# ---------------------------------------------------------------- a past session's records


def session_import(
    *,
    actor: Actor,
    dialogue: Dialogue,
    attendees: Sequence[Person],
    votes: Sequence[tuple[Person, Idea]] = (),
    words: Sequence[tuple[Person, str]] = (),
    answers: Sequence[tuple[Person, str, str]] = (),
    method: str = CheckIn.Method.MANUAL,
) -> int:
    """Record a session already held from its paper records (attendance sheet, dot votes,
    closing words, survey forms): the demo, or a dialogue run before the platform. The live
    session writes these rows one by one through its own services. Returns the attendees
    recorded; rows already there are left alone."""
    with transaction.atomic():
        CheckIn.objects.bulk_create(
            [
                CheckIn(
                    dialogue=dialogue,
                    person=p,
                    organisation_id=p.organisation_id,
                    actor_category=p.actor_category or "",
                    method=method,
                    channel=Channel.IN_PERSON,
                )
                for p in attendees
            ],
            ignore_conflicts=True,
        )
        Vote.objects.bulk_create(
            [
                Vote(dialogue=dialogue, person=p, idea=i, channel=Channel.IN_PERSON)
                for p, i in votes
            ],
            ignore_conflicts=True,
        )
        ClosingWord.objects.bulk_create(
            [
                ClosingWord(dialogue=dialogue, person=p, word=w[:40], normalised=normalise_word(w))
                for p, w in words
                if normalise_word(w)
            ],
            ignore_conflicts=True,
        )
        SurveyAnswer.objects.bulk_create(
            [
                SurveyAnswer(
                    dialogue=dialogue, person=p, rating=r, comment=c, channel=Channel.IN_PERSON
                )
                for p, r, c in answers
            ],
            ignore_conflicts=True,
        )
        audit_record(
            actor=actor,
            action="session_import",
            target=dialogue,
            after={"attendees": len(attendees), "votes": len(votes), "words": len(words)},
        )
    return len(attendees)


def normalise_word(word: str) -> str:
    """«¡Confianza!», «confianza» and «Confiánza» count as one word in the cloud: the first word,
    its punctuation stripped, lower case, without accents (the shown form keeps them)."""
    cleaned = clean_plain_text(word).strip().split()
    first = cleaned[0].strip("¡!¿?.,;:«»\"'()") if cleaned else ""
    decomposed = unicodedata.normalize("NFKD", first.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))[:40]


# ---------------------------------------------------------------- Ley 21.719


def person_erase_dialogues(*, person: Person) -> None:
    """Erasure (``participation.privacy``): seats go; check-ins, votes, words and survey answers
    stay without the person (the dialogue's figures do not change), survey comments go. Runs
    inside the erasure's transaction."""
    Seat.objects.filter(person=person).delete()
    Table.objects.filter(facilitator=person).update(facilitator=None)
    TableIdea.objects.filter(entered_by=person).update(entered_by=None)
    CheckIn.objects.filter(person=person).update(person=None)
    Vote.objects.filter(person=person).update(person=None)
    ClosingWord.objects.filter(person=person).update(person=None)
    SurveyAnswer.objects.filter(person=person).update(person=None, comment="")
