"""Dialogue writes: guidelines, agenda, tables, the phase machine, survey and results.

Every service is keyword-only, takes the ``actor`` (a staff user; None for the system), runs in
``transaction.atomic``, writes an audit row through moderation's ``audit_record`` when staff act,
and puts notices in the outbox (notifications) in the same transaction; nothing leaves before
commit. The live session's own writes (check-in, facilitator ideas, live votes, closing words)
belong to the session services built on these models.

One module per area; callers import this package (``from forum.dialogues import services``):

- ``common``: ``DialogueError``, the dialogue's space (session code, time, address) and phase dates
- ``planning``: guiding questions, the agenda (propose, edit, publish), the tables (seat, publish)
- ``advance``: ``dialogue_advance`` and ``advance_refusal``, the phase machine
- ``session``: ``session_import`` (a held session's paper records), ``person_erase_dialogues``
- ``celebration``: the survey (send, answer, its signed link) and ``results_publish``
"""

from .advance import advance_refusal, dialogue_advance
from .celebration import (
    results_publish,
    survey_answer_submit,
    survey_send,
    survey_token,
    survey_token_read,
)
from .common import (
    DialogueError,
    dialogue_space_ensure,
    dialogue_space_update,
    phase_plan_set,
)
from .planning import (
    agenda_point_add,
    agenda_point_delete,
    agenda_point_update,
    agenda_propose,
    agenda_publish,
    guiding_question_add,
    guiding_question_delete,
    tables_publish,
    tables_seat,
)
from .session import normalise_word, person_erase_dialogues, session_import

__all__ = [
    "DialogueError",
    "advance_refusal",
    "agenda_point_add",
    "agenda_point_delete",
    "agenda_point_update",
    "agenda_propose",
    "agenda_publish",
    "dialogue_advance",
    "dialogue_space_ensure",
    "dialogue_space_update",
    "guiding_question_add",
    "guiding_question_delete",
    "normalise_word",
    "person_erase_dialogues",
    "phase_plan_set",
    "results_publish",
    "session_import",
    "survey_answer_submit",
    "survey_send",
    "survey_token",
    "survey_token_read",
    "tables_publish",
    "tables_seat",
]
