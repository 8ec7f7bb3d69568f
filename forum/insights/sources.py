"""Figures that come from the dialogues app (check-ins, votes, closing words, the satisfaction
survey), which is being built apart from this one.

Until it lands, each selector here returns "no data" (None or an empty list) and the pages say
so. **Wiring after the merge** (only this module changes; the pages, the API and the open data
already call these two functions):

* ``method_rating_share(scope)``: the share of survey answers rating the method excellent or
  good, over all answers in the scope (overall, a region, a council or one dialogue).
* ``closing_words(scope)``: the words people sent at the close of each dialogue in the scope,
  one string per answer; they are tokenised with the ideas for the word cloud.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .selectors import Scope


def method_rating_share(scope: Scope) -> float | None:
    """Share (0..1) rating the method excellent or good; None: no survey answers (yet)."""
    return None


def closing_words(scope: Scope) -> list[str]:
    """Texts sent at the close of the scope's dialogues; empty: none (yet)."""
    return []
