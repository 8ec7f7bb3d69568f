"""A dialogue in session (Realización) with a space, a table and a few ideas."""

from __future__ import annotations

from dataclasses import dataclass

from forum.dialogues.models import DialogueSpace, Table
from forum.participation.models import Dialogue, Idea, Person
from tests import factories


@dataclass
class Room:
    dialogue: Dialogue
    code: str
    table: Table
    facilitator: Person
    ideas: list[Idea]


def room(*, code: str = "ABC123", dots: int | None = 2, ideas: int = 4) -> Room:
    d = factories.dialogue(phase=Dialogue.Phase.REALISATION, dot_budget=dots)
    DialogueSpace.objects.create(dialogue=d, session_code=code)
    facilitator = factories.person(name="Facilitadora")
    table = Table.objects.create(dialogue=d, number=1, facilitator=facilitator)
    made = [factories.idea(title=f"Idea de la sesión número {i}", dialogue=d) for i in range(ideas)]
    return Room(dialogue=d, code=code, table=table, facilitator=facilitator, ideas=made)
