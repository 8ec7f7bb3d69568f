"""A dialogue's attendance: one fact, counted from its check-ins.

Nobody types attendance in: a person present at the session is a :class:`CheckIn` row (from the
session code, the projector's QR, or the team's manual record), a session held on paper is
recorded through ``services.session_import``, and an erased person's check-in stays as an
anonymous row, so the figure never moves. Every page, the projector, the results, the public
API and the open data read the figure through these three functions, which count the same rows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from forum.participation.models import Dialogue

from ..models import CheckIn
from .common import _count


def dialogue_attendance(dialogue: Dialogue) -> int:
    """The people present at ``dialogue``'s session: its check-ins."""
    return CheckIn.objects.filter(dialogue=dialogue).count()


def with_attendance(dialogues: QuerySet[Dialogue]) -> QuerySet[Dialogue]:
    """``dialogues`` annotated with ``attendance``, each one's check-ins (one subquery)."""
    return dialogues.annotate(attendance=_count(CheckIn))


def attendance_total(dialogues: QuerySet[Dialogue] | Any) -> int:
    """The check-ins of all ``dialogues`` together."""
    return CheckIn.objects.filter(dialogue__in=dialogues).count()
