"""Reads of the live session: what the projector shows and what one attendee's phone shows.

Every function here costs a fixed number of queries, whatever the size of the room.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Count, Min

from forum.participation.models import Dialogue, Idea, Person

from ..models import CheckIn, ClosingWord, Vote
from .attendance import dialogue_attendance

RANKING_SIZE = 15
CLOUD_SIZE = 40


def dot_budget(dialogue: Dialogue) -> int:
    """How many dots each attendee has in ``dialogue``."""
    return dialogue.dot_budget or int(getattr(settings, "DIALOGUE_DEFAULT_DOTS", 3))


def votable_ideas(dialogue: Dialogue):  # -> QuerySet[Idea]
    """The ideas of ``dialogue`` people can vote for: visible and not merged away."""
    return Idea.objects.filter(dialogue=dialogue, hidden_at__isnull=True, merged_into__isnull=True)


def ranking(dialogue: Dialogue, *, limit: int = RANKING_SIZE) -> list[dict[str, Any]]:
    """The most voted ideas of the session, most votes first (ties: the earlier idea first)."""
    rows = (
        Vote.objects.filter(dialogue=dialogue, idea__hidden_at__isnull=True)
        .values("idea_id")
        .annotate(n=Count("id"))
        .order_by("-n", "idea_id")[:limit]
    )
    counts = {r["idea_id"]: r["n"] for r in rows}
    ideas = Idea.objects.in_bulk(list(counts), field_name="pk")
    return [
        {"code": ideas[pk].tracking_code, "title": ideas[pk].title, "votes": n}
        for pk, n in counts.items()
        if pk in ideas
    ]


def closing_words(dialogue: Dialogue, *, limit: int = CLOUD_SIZE) -> list[dict[str, Any]]:
    """The words people take away, most sent first; each shown in one of the forms sent."""
    rows = (
        ClosingWord.objects.filter(dialogue=dialogue)
        .values("normalised")
        .annotate(n=Count("id"), shown=Min("word"))
        .order_by("-n", "normalised")[:limit]
    )
    return [{"word": r["shown"].lower(), "count": r["n"]} for r in rows]


def cloud_sizes(
    words: list[dict[str, Any]], *, smallest: int = 1, largest: int = 6
) -> list[dict[str, Any]]:
    """The words with a size step from ``smallest`` to ``largest`` by how often they were sent
    (for the page's CSS classes: the CSP allows no inline styles)."""
    if not words:
        return []
    top = max(w["count"] for w in words)
    low = min(w["count"] for w in words)
    span = max(top - low, 1)
    return [
        {**w, "size": smallest + round((w["count"] - low) * (largest - smallest) / span)}
        for w in sorted(words, key=lambda w: w["word"])
    ]


def session_snapshot(dialogue_id: int) -> dict[str, Any] | None:
    """Everything the projector shows, as plain data (sent as JSON over the socket)."""
    dialogue = Dialogue.objects.filter(pk=dialogue_id).first()
    if dialogue is None:
        return None
    votes = Vote.objects.filter(dialogue=dialogue)
    return {
        "dialogue_id": dialogue.pk,
        "phase": dialogue.phase,
        "attendance": dialogue_attendance(dialogue),
        "votes": votes.count(),
        "voters": votes.values("person_id").distinct().count(),
        "ranking": ranking(dialogue),
        "words": cloud_sizes(closing_words(dialogue)),
    }


@dataclass
class AttendeeState:
    """One person's view of the session on their phone."""

    checked_in: bool = False
    budget: int = 0
    voted: set[int] = field(default_factory=set)
    word: str = ""

    @property
    def dots_left(self) -> int:
        return max(self.budget - len(self.voted), 0)


def attendee_state(dialogue: Dialogue, person: Person | None) -> AttendeeState:
    state = AttendeeState(budget=dot_budget(dialogue))
    if person is None:
        return state
    state.checked_in = CheckIn.objects.filter(dialogue=dialogue, person=person).exists()
    if not state.checked_in:
        return state
    state.voted = set(
        Vote.objects.filter(dialogue=dialogue, person=person).values_list("idea_id", flat=True)
    )
    word = ClosingWord.objects.filter(dialogue=dialogue, person=person).first()
    state.word = word.word if word else ""
    return state


def ballot(dialogue: Dialogue):  # -> QuerySet[Idea]
    """The ideas on the phones' ballot, with their vote counts, in a stable order."""
    return (
        votable_ideas(dialogue)
        .select_related("topic")
        .annotate(session_votes=Count("dialogue_votes"))
        .order_by("topic__name", "created_at", "pk")
    )


def current_session(person: Person) -> Dialogue | None:
    """The dialogue in session that ``person`` checked in to most recently, if any."""
    checkin = (
        CheckIn.objects.filter(person=person, dialogue__phase=Dialogue.Phase.REALISATION)
        .select_related("dialogue")
        .order_by("-created_at", "-id")
        .first()
    )
    return checkin.dialogue if checkin is not None else None
