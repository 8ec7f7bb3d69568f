"""Figures that come from the dialogues app: attendance, the satisfaction survey and the
closing words.

The pages, the API and the open data call these functions; they read the dialogues app's
rows for the scope's dialogues (``Scope.dialogues()``: overall, a region, a council or one
dialogue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q

from forum.dialogues import selectors as dialogues
from forum.dialogues.models import ClosingWord, SurveyAnswer

if TYPE_CHECKING:
    from .selectors import Scope

GOOD = (SurveyAnswer.Rating.EXCELLENT, SurveyAnswer.Rating.GOOD)


def attendance(scope: Scope) -> int:
    """The people present at the scope's dialogues: their check-ins (the dialogues app's one
    attendance figure)."""
    return dialogues.attendance_total(scope.dialogues())


def method_rating_share(scope: Scope) -> float | None:
    """Share (0..1) of the survey's answers rating the method excellent or good, over all
    answers in the scope; None: no survey answers (yet)."""
    totals = SurveyAnswer.objects.filter(dialogue__in=scope.dialogues()).aggregate(
        n=Count("id"), good=Count("id", filter=Q(rating__in=GOOD))
    )
    if not totals["n"]:
        return None
    return totals["good"] / totals["n"]


def closing_words(scope: Scope) -> list[str]:
    """Words sent at the close of the scope's dialogues («¿Qué palabra te llevas?»), one per
    answer; empty: none (yet)."""
    return list(
        ClosingWord.objects.filter(dialogue__in=scope.dialogues()).values_list("word", flat=True)
    )
