"""The demo's plan: who takes part, in which organisations and councils, which ideas they send
and support, and where each idea stands.

:func:`build_plan` is pure (a seeded ``random.Random``, no database): the same seed always gives
the same people, organisations, dialogues, ideas, supports and statuses. :mod:`.load` writes it.
"""

from __future__ import annotations

import random

from . import content, prose
from .ideas import assign_supports, build_ideas
from .people import build_memberships, build_organisations, build_people
from .spec import DEFAULT_SEED, IdeaPlan, Plan, S

# The ``participante`` account's own ideas: one in each of these statuses.
PARTICIPANT_STATUSES = (S.ANSWERED_PARTLY, S.ON_AGENDA, S.IN_REVIEW, S.NOT_ADMITTED, S.RECEIVED)
PARTICIPANT_DIALOGUE = "dialogo-metropolitana-2026"


def build_plan(seed: int = DEFAULT_SEED, region_names: dict[str, str] | None = None) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - demo content, reproducible on purpose
    if region_names is None:
        region_names = {slug: slug for slug in content.REGIONS}
    people = build_people(rng)
    organisations = build_organisations(rng, people, region_names)
    memberships = build_memberships(rng, people)
    ideas = build_ideas(rng, people, region_names)
    # The demo participant: someone from the last Santiago dialogue with varied ideas.
    santiago = [p.index for p in people if p.dialogue == PARTICIPANT_DIALOGUE and not p.role]
    participant = santiago[0]
    _give_ideas(participant, ideas)
    prose.make_distinct(ideas)
    assign_supports(rng, people, ideas)
    # … and some supports of her own, on ideas still open.
    open_ideas = [
        i
        for i in ideas
        if i.status in (S.RECEIVED, S.IN_REVIEW, S.ROUTED)
        and i.author != participant
        and participant not in i.supporters
    ]
    for idea in rng.sample(open_ideas, 8):
        idea.supporters = sorted([*idea.supporters, participant])
    return Plan(seed, people, organisations, ideas, memberships, participant)


def _give_ideas(participant: int, ideas: list[IdeaPlan]) -> None:
    """Make ``participant`` the author of one idea of her dialogue in each wanted status."""
    mine = [i for i in ideas if i.dialogue == PARTICIPANT_DIALOGUE and i.duplicate_of is None]
    for status in PARTICIPANT_STATUSES:
        pick = next((i for i in mine if i.status == status and i.author != participant), None)
        if pick is None:
            pick = next(i for i in mine if i.author != participant)
            pick.status = status
        pick.author = participant
