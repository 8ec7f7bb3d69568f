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

from django.db.models import Q, TextField, Value
from django.db.models.expressions import Expression
from django.db.models.functions import Lower, Replace

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


def folded_expression(expression: Expression) -> Expression:
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


def text_condition(q: str) -> Q:
    """Every word of ``q`` somewhere in the idea's title or text."""
    condition = Q()
    for word in search_words(q):
        condition &= Q(search_text__contains=word)
    return condition
