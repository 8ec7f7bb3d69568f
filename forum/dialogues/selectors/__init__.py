"""Reads of dialogues and councils: lists, pages, counts by actor category, results.

Counts of people are always by actor category (and organisation counts), never names: the public
pages show who came, not who is who. Every page's queries are a fixed number whatever the rows.

One module per area: ``attendance`` (a dialogue's check-ins, the one attendance figure),
``dialogues`` (one dialogue's page and its people), ``results`` (what a session produced, and
all dialogues together), ``councils``; callers import this package.
"""

from .attendance import attendance_total, dialogue_attendance, with_attendance
from .common import (
    AGENDA_PROPOSAL_SIZE,
    AGENDA_STATUSES,
    TOP_IDEAS,
)
from .councils import (
    CouncilAnswers,
    council_answers,
    council_by_slug,
    council_dialogues,
    council_list,
    council_meetings,
    council_members,
)
from .dialogues import (
    IdeaOrigins,
    TimelineStep,
    agenda_candidates,
    agenda_points,
    dialogue_attendees,
    dialogue_by_slug,
    dialogue_concerned,
    dialogue_convened_people,
    dialogue_idea_origins,
    dialogue_ideas,
    dialogue_list,
    dialogue_timeline,
    guiding_questions,
    results_recipients,
    table_for_print,
    tables_with_seats,
)
from .results import (
    Results,
    Totals,
    dialogue_results,
    dialogues_totals,
)

__all__ = [
    "AGENDA_PROPOSAL_SIZE",
    "AGENDA_STATUSES",
    "TOP_IDEAS",
    "CouncilAnswers",
    "IdeaOrigins",
    "Results",
    "TimelineStep",
    "Totals",
    "agenda_candidates",
    "agenda_points",
    "attendance_total",
    "council_answers",
    "council_by_slug",
    "council_dialogues",
    "council_list",
    "council_meetings",
    "council_members",
    "dialogue_attendance",
    "dialogue_attendees",
    "dialogue_by_slug",
    "dialogue_concerned",
    "dialogue_convened_people",
    "dialogue_idea_origins",
    "dialogue_ideas",
    "dialogue_list",
    "dialogue_results",
    "dialogue_timeline",
    "dialogues_totals",
    "guiding_questions",
    "results_recipients",
    "table_for_print",
    "tables_with_seats",
    "with_attendance",
]
