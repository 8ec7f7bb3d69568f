"""Which words name places, learnt from how the corpus writes them.

Two proposals that ask for the same thing in different places ("Pumptrack Valdebebas" /
"PumpTruck Valdezarza", "Parking público" in Nueva Numancia / in Las Águilas) are the
matcher's commonest false alarm, and two that name the same barrio are often the same
request in other words. No fixed list of streets can follow every deployment (Madrid's
barrios, a Chilean region's comunas), so the index learns the names from its own ideas: a
word that people write capitalised in the middle of a sentence at least twice as often as
in lower case is a name ("vecinos de Zofío", "la calle Mérida", "barrio Bilbao"), which in
these proposals is nearly always a place. Text written all in capitals, or by someone who
never capitalises, says nothing either way and is skipped; once a word is known to be a
name, it is recognised in such text too, because names are compared lower-cased and
without accents.

The counts only grow: an idea that is merged, hidden or edited leaves its evidence, which
is about how the word is written, not about that idea. Pure Python, like the rest of the
matcher.
"""

from __future__ import annotations

import re
from collections import Counter

from .normalize import _stem_cached, fold, strip_html

# Letters (any alphabet, no digits or underscore), or a sentence-ending mark.
_WORD_OR_STOP = re.compile(r"[^\W\d_]+|[.!?:;¡¿\n]")
_SENTENCE_MARKS = frozenset(".!?:;¡¿\n")
# Only the opening of a long description is read, as for scoring (normalize_idea).
MAX_WORDS = 150
# A name is written capitalised mid-sentence at least this many times as in lower case.
CAPITALISED_RATIO = 2


class NameStats:
    """Counts, per word, mid-sentence capitalised vs lower-case spellings."""

    __slots__ = ("_capitalised", "_lower")

    def __init__(self) -> None:
        self._capitalised: Counter[str] = Counter()
        self._lower: Counter[str] = Counter()

    def observe(self, *texts: str) -> None:
        """Read the spellings in ``texts`` (HTML allowed); mixed-case text only."""
        for raw in texts:
            if not raw:
                continue
            text = strip_html(raw) if ("<" in raw or "&" in raw) else raw
            # Words, or None for a mark that ends a sentence, up to MAX_WORDS words.
            items: list[str | None] = []
            words = shouted = lowered = 0
            for match in _WORD_OR_STOP.finditer(text):
                token = match.group()
                if token in _SENTENCE_MARKS:
                    items.append(None)
                    continue
                words += 1
                if words > MAX_WORDS:
                    break
                items.append(token)
                if token.islower():
                    lowered += 1
                elif len(token) > 1 and token.isupper():
                    shouted += 1
            if not lowered or shouted > lowered:  # shouting: no evidence
                continue
            seen: list[tuple[str, bool]] = []
            sentence_start = True
            for word in items:
                if word is None:
                    sentence_start = True
                    continue
                if sentence_start:
                    sentence_start = False
                    continue
                folded = fold(word)
                if _stem_cached(folded):  # not a stop-word
                    seen.append((folded, word[0].isupper()))
            if not any(capitalised for _, capitalised in seen):
                continue  # a writer who never capitalises says nothing about names
            for folded, capitalised in seen:
                (self._capitalised if capitalised else self._lower)[folded] += 1

    def is_name(self, word: str) -> bool:
        """Whether ``word`` (folded, unstemmed: ``normalize.fold``) is written as a name."""
        cap = self._capitalised.get(word, 0)
        return cap > 0 and cap >= CAPITALISED_RATIO * self._lower.get(word, 0)
