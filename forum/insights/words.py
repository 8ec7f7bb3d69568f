"""The word cloud's counting: pure Python, no Django (tested and benchmarked without a
database). Words are lower-cased, kept with their accents for display, and counted without
Spanish stop-words, numbers or words under three letters."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

# Any run of three word characters; those with digits or underscores are dropped afterwards, once
# per distinct word (cheaper than a stricter pattern on every character).
WORD = re.compile(r"\w{3,}")
LETTERS = re.compile(r"[^\W\d_]+")
# What facilitators add when they transcribe a paper sheet from an in-person dialogue («Papelógrafo
# mesa 2.», «(transcrito por el equipo facilitador)»): not what people wrote.
# Matched on lower-cased text (faster than IGNORECASE), as two patterns that each begin with
# literal text, so the regular expression engine skips ahead to them (one pattern with an
# alternation and a leading \b tried every position: 0.8 s of 2 s at 100,000 ideas). The
# look-behind after "papel" is the \b before it.
TRANSCRIPTION_NOTES = (
    re.compile(r"\(\s*transcrit[oa]s? por [^)]*\)"),
    re.compile(r"papel(?<!\wpapel)[oó]grafo,? mesa \d+\.?"),
)

# Spanish function words and the forum's own filler ("idea", "propuesta"...), which would
# otherwise top every cloud. Compared without accents, so "más" and "mas" both go.
STOP_WORDS = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bajo bien
    cada casi como con contra cual cuales cuando cuanto de del desde donde dos el ella ellas
    ello ellos en entre era eran es esa esas ese eso esos esta estaba estan estar estas este
    esto estos fue fueron gran ha hace hacen hacer hacia han hasta hay la las le les lo los
    mas me mi mis mismo mucho muchos muy nada ni no nos nosotros nuestra nuestras nuestro
    nuestros o os otra otras otro otros para pero poco por porque puede pueden que quien se
    sea ser si sido sin sobre son su sus tal tambien tan tanto te tener tiene tienen todo
    todos todas toda tras tu tus un una uno unos unas usted ustedes y ya yo sus les cual
    debe deben deberia seria serian haber habia han sean tengan tenga cosas cosa
    idea ideas propuesta propuestas propongo proponemos creo creemos seria etc favor
    vez veces sino segun mediante dentro fuera cuyo cuya asimismo demas
    haya hayan haga hagan pueda puedan hola gracias solo sola solamente mucha muchas despues
    nadie siempre cuantos cuantas ahora aca alla entonces igual harto luego
    """.split()  # noqa: SIM905 - a word list reads better as text
)


def fold(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", word) if unicodedata.category(c) != "Mn")


def count_words(texts: Iterable[str]) -> Counter[str]:
    """How often each lower-cased word appears, stop-words left out.

    Texts are joined a thousand at a time so the regular expression and the counting run in C;
    stop-words are dropped once per distinct word at the end (100,000 ideas: seconds, not tens
    of seconds)."""
    counts: Counter[str] = Counter()
    batch: list[str] = []

    def flush() -> None:
        joined = "\n".join(batch).lower()
        for notes in TRANSCRIPTION_NOTES:
            joined = notes.sub(" ", joined)
        counts.update(WORD.findall(joined))
        batch.clear()

    for text in texts:
        batch.append(text)
        if len(batch) >= 1000:
            flush()
    flush()
    for word in [w for w in counts if fold(w) in STOP_WORDS or not LETTERS.fullmatch(w)]:
        del counts[word]
    return counts


def top_words(texts: Iterable[str], limit: int = 60) -> list[tuple[str, int]]:
    """The ``limit`` most frequent words, most frequent first (ties alphabetically)."""
    counts = count_words(texts)
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
