"""Idea text search that ignores case and accents and matches each word on its own.

``Idea.search_text`` is a column the database computes from the title and the text (a stored
generated column), so every writer — services, the moderators' merge, bulk imports, the admin —
keeps it current without knowing about it. The same folding is applied here to the words typed,
so «Ñuble», «nuble» and «NUBLE» meet in the middle as ``nuble``.

The folding is a fixed table of replacements rather than Unicode decomposition because the
database must compute it too, and SQLite has neither ``unaccent`` nor a Unicode-aware
``lower()``: the accented capitals are replaced explicitly, before the (ASCII) lowering.
"""

from __future__ import annotations

import re
import unicodedata

from django.db.models import (
    BooleanField,
    Case,
    F,
    FloatField,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import Expression, RawSQL
from django.db.models.functions import Lower, Replace
from django.db.models.lookups import Contains

# Spanish only: SQLite's parser gives up past about 28 nested REPLACE calls (its stack, not a
# setting), so the table holds the letters of this platform's language rather than every
# Latin accent. Anything else is kept as typed, on both sides, and still matches itself.
_FOLDS = {
    "a": "áÁ",
    "e": "éÉ",
    "i": "íÍ",
    "o": "óÓ",
    "u": "úÚüÜ",
    "n": "ñÑ",
    # Combining acute, tilde and diaeresis, for text pasted in decomposed form ("a" + U+0301).
    "": "\u0301\u0303\u0308",
}
FOLD_TABLE: dict[str, str] = {
    accented: plain for plain, chars in _FOLDS.items() for accented in chars
}
_TRANSLATE = str.maketrans(FOLD_TABLE)
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """What the database stores in ``search_text`` for ``text``: «Capacitación» → «capacitacion»."""
    return unicodedata.normalize("NFC", text).translate(_TRANSLATE).lower()


def folded_expression(expression: Expression | F) -> Expression:
    """The same folding as :func:`fold`, as a database expression (nested ``REPLACE``)."""
    for accented, plain in FOLD_TABLE.items():
        expression = Replace(expression, Value(accented), Value(plain), output_field=TextField())
    return Lower(expression, output_field=TextField())


def search_words(q: str) -> list[str]:
    """The folded words of a query, without repeats or words contained in another word
    (``oficio oficios`` needs only ``oficios``). A query of punctuation only is one word."""
    folded = fold(q)
    words = list(dict.fromkeys(_WORD.findall(folded)))
    if not words:
        stripped = folded.strip()
        return [stripped] if stripped else []
    return [w for w in words if not any(w != other and w in other for other in words)]


# Endings a crude Spanish stemmer drops so that «sordos», «sordas», «sorda» and «sordo» meet in
# «sord»; PostgreSQL's Snowball stemmer (the ``spanish`` configuration) does it properly.
_PLURALS = ("es", "s")
_GENDER = ("a", "o", "e")
_MIN_STEM = 4


def stem(word: str) -> str:
    """A folded word's stem for a substring search: plural, then gender ending dropped, never
    shorter than four letters («jovenes» → «joven», «sordas» → «sord», «otec» → «otec»)."""
    for ending in _PLURALS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM + 1:
            word = word[: -len(ending)]
            break
    if word.endswith(_GENDER) and len(word) - 1 >= _MIN_STEM:
        word = word[:-1]
    return word


def search_stems(q: str) -> list[str]:
    """The stems of the query's words, without repeats or stems contained in another."""
    stems = list(dict.fromkeys(stem(w) for w in search_words(q)))
    return [s for s in stems if not any(s != other and s in other for other in stems)]


def text_condition(q: str) -> Q:
    """Every word of ``q`` (stemmed) somewhere in the idea's title or text."""
    condition = Q()
    for word in search_stems(q):
        condition &= Q(search_text__contains=word)
    return condition


# Region and topic names are matched by a query word's stem only from this length on, so that
# «de» or «la» do not select every region named «… de la …».
MIN_NAME_STEM = 3

# PostgreSQL: the text search configuration migration 0011 creates (``spanish`` with
# ``unaccent`` before the Snowball stemmer) and the stored, GIN-indexed tsvector column it adds
# (title weighted A, text B). Not model fields: SQLite has neither.
TS_CONFIG = "foro_spanish"
_VECTOR = '"participation_idea"."search_vector"'
# A word the configuration ignores (a stop word: «de», «los») gives an empty query, which
# matches nothing: such a word does not count, as in a search engine.
_MATCH_SQL = (
    f"({_VECTOR} @@ plainto_tsquery(%s::regconfig, %s) "
    "OR numnode(plainto_tsquery(%s::regconfig, %s)) = 0)"
)


def fulltext_match(word: str) -> RawSQL:
    """PostgreSQL: the idea's title or text has ``word`` (stemmed, accents ignored)."""
    # The words go in as parameters only.
    return RawSQL(_MATCH_SQL, [TS_CONFIG, word, TS_CONFIG, word], output_field=BooleanField())  # noqa: S611


def fulltext_rank(words: list[str]) -> Expression:
    """PostgreSQL: ``ts_rank`` of the idea against any of ``words``."""
    if not words:
        return Value(0.0, output_field=FloatField())
    query = " || ".join(["plainto_tsquery(%s::regconfig, %s)"] * len(words))
    params: list[str] = []
    for word in words:
        params += [TS_CONFIG, word]
    return RawSQL(f"ts_rank({_VECTOR}, {query})", params, output_field=FloatField())  # noqa: S611


def title_hits(words: list[str]) -> Expression:
    """SQLite's crude relevance: how many of ``words`` (stemmed) the title has."""
    title = folded_expression(F("title"))
    total: Expression = Value(0, output_field=IntegerField())
    for word in words:
        total = total + Case(
            When(Contains(title, stem(word)), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return total
