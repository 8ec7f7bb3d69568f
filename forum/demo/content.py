"""The demo's prose and places, read from ``data/*.json`` (UTF-8) once, at import.

``themes.json``: the seed report's themes, each with concrete proposals (motifs, one subject
each) and what a council agrees when it answers them. ``phrases.json``: who proposes, how an
idea opens and closes by channel, and what moderators and councils write along an idea's
history. ``places.json``: regions' communes and sectors, the sixteen dialogues, neighbouring
regions. ``names.json``: fictitious Chilean names and invented organisations by actor category.
Each file's ``about`` says where its text comes from.

The generator draws from these lists with a seeded random generator, so their order is part of
the demo's output: reordering an entry changes the demo's codes, titles and bodies.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from typing import Any, NamedTuple


@dataclass(frozen=True)
class Motif:
    """One concrete proposal: ways to title it, problems that lead to it, ways to say it.

    The generator draws a title and a proposal separately, so every title must name what every
    proposal of its motif proposes, sharing a content word with it (tests/demo/test_titles.py):
    a different proposal is a motif of its own.
    """

    titles: list[str]
    problems: list[str]
    proposals: list[str]


@dataclass(frozen=True)
class Theme:
    slug: str
    name: str
    name_en: str
    description: str
    description_en: str
    motifs: list[Motif]
    details: list[str] = field(default_factory=list)
    # What a council typically agrees when it accepts / partly accepts / rejects.
    accept: list[str] = field(default_factory=list)
    partly: list[str] = field(default_factory=list)
    reject: list[str] = field(default_factory=list)


class DialogueSpec(NamedTuple):
    """One Diálogo de Innovación Ciudadana of the seed report."""

    slug: str
    region: str  # region slug
    date: str  # ISO date
    place: str
    facilitators: str
    attendance: int  # the people it plans: checked in when held, seated when still to come
    phase: str
    active: bool
    topics: list[str]  # theme slugs


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (resources.files("forum.demo") / "data" / name).read_text(encoding="utf-8")
    )
    return data


def _theme(raw: dict[str, Any]) -> Theme:
    return Theme(**{**raw, "motifs": [Motif(**m) for m in raw["motifs"]]})


_themes, _phrases, _places, _names = (
    _read(f"{kind}.json") for kind in ("themes", "phrases", "places", "names")
)

THEMES: list[Theme] = [_theme(t) for t in _themes["themes"]]

GRUPOS: list[str] = _phrases["grupos"]
OFICIOS: list[str] = _phrases["oficios"]
ROLES: list[str] = _phrases["roles"]
# How an idea opens and closes depends on how it arrived (keys: channel values).
OPENERS: dict[str, list[str]] = _phrases["openers"]
CLOSERS: dict[str, list[str]] = _phrases["closers"]
IN_REVIEW: list[str] = _phrases["in_review"]
NOT_ADMITTED: list[str] = _phrases["not_admitted"]
OTROS: list[str] = _phrases["otros"]  # what a not-admitted idea was about instead
ROUTED: list[str] = _phrases["routed"]
IMPLEMENTED: list[str] = _phrases["implemented"]
ANSWER_INTRO: list[str] = _phrases["answer_intro"]
ANSWER_OUTRO: dict[str, list[str]] = _phrases["answer_outro"]  # keys: answered statuses
MONTHS: list[str] = _phrases["months"]

# Communes and the region's priority value chains (Estrategias Regionales de Desarrollo).
REGIONS: dict[str, dict[str, list[str]]] = _places["regions"]
DIALOGUES: list[DialogueSpec] = [DialogueSpec(**d) for d in _places["dialogues"]]
# People of a neighbouring region without its own dialogue join this one.
NEIGHBOURS: dict[str, str] = _places["neighbours"]

FIRST_NAMES: list[str] = _names["first_names"]
SURNAMES: list[str] = _names["surnames"]
# Organisation names by actor category; {comuna} and {sector} are filled per region.
ORGANISATIONS: dict[str, list[str]] = _names["organisations"]
SENCE_OFFICE: str = _names["sence_office"]
