"""Issue 18 item 15: a demo idea's title names what its own body proposes.

Titles were drawn from a motif's list independently of the proposal drawn for the body, and
some motifs gathered different proposals under one list of titles: «Cursos de programación
para jóvenes de Mejillones» came with a body asking for simulators to practise cooking (251
of the plan's 1,820 ideas shared no content word between title and body). Words are read as
the duplicate matcher reads them: Spanish stop-words dropped, accents folded, light stems.
"""

from __future__ import annotations

import re
from typing import Any

from forum.demo import content, plan
from forum.moderation.matcher.normalize import tokens

# A place says where, not what: a title sharing only its commune with the body does not match.
PLACE_SLOTS = ("comuna", "region")
_SLOT = re.compile(r"\{\w+\}")


def _words(text: str) -> set[str]:
    return set(tokens(text, html_input=False))


def test_every_demo_ideas_title_shares_its_subject_with_its_body():
    ideas = plan.build_plan().ideas
    mismatched = []
    for idea in ideas:
        places = {w for slot in PLACE_SLOTS for w in _words(idea.slots.get(slot, ""))}
        subject = _words(idea.title) - places
        assert subject, idea.title
        if not subject & _words(idea.body):
            mismatched.append(f"{idea.title!r} / {idea.body!r}")
    assert len(ideas) == 1820
    assert not mismatched, f"{len(mismatched)} titles not about their body, e.g. {mismatched[:3]}"


def test_every_title_of_a_proposal_names_each_way_of_saying_it():
    """The bank's rule the generator relies on: any title of a motif fits any of its
    proposals (slots aside), so drawing them separately still pairs a title with its body."""
    strays = [
        (theme.slug, title, proposal)
        for theme in content.THEMES
        for motif in theme.motifs
        for title in motif.titles
        for proposal in motif.proposals
        if not _words(_SLOT.sub(" ", title)) & _words(_SLOT.sub(" ", proposal))
    ]
    assert not strays


def test_identical_texts_in_the_plan_are_only_reposts_the_load_merges():
    """Issue 18 item 15: the walk-through found 128 groups of ideas word for word the same,
    routed or answered one by one (two «Cursos de español laboral» at one dialogue). On the
    site an identical repost is merged on arrival, so the plan keeps an exact repeat only when
    it still waits in review and its original was not turned down; any other repeat says
    where it comes from."""
    from forum.moderation.matcher.groups import identity_key
    from forum.moderation.services.groups import MERGEABLE
    from forum.participation.lifecycle import IdeaStatus

    ideas = sorted(plan.build_plan().ideas, key=lambda i: (i.created_at, i.index))
    first: dict[str, Any] = {}
    repeats = []
    for idea in ideas:
        key = identity_key(idea.title, idea.body)
        original = first.setdefault(key, idea)
        if original is idea:
            continue
        repeats.append(idea)
        assert idea.status in (*MERGEABLE, IdeaStatus.MERGED), (idea.title, idea.status)
        assert original.status != IdeaStatus.NOT_ADMITTED, idea.title
    # Reposts still exist (the system's merge on arrival has something to show)…
    assert len(repeats) >= 30
    # … and the repeats that were made distinct read as their commune's, not as a code.
    noted = [i for i in ideas if "Lo planteamos desde" in i.body or "Lo pide la gente" in i.body]
    assert noted
    assert all(i.slots["comuna"] in i.body for i in noted)
