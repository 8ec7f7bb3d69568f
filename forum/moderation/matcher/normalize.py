"""Spanish-aware text normalisation for the duplicate matcher.

Pure Python: no Django, no third-party imports. Every function is deterministic so the
index, the tests and the benchmarks all see exactly the same tokens.
"""

from __future__ import annotations

import html
import re
import sys
import unicodedata
from dataclasses import dataclass

_TAG = re.compile(r"<[^>]*>")
_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_WORD = re.compile(r"[a-z0-9]+")
_HAS_DIGIT = re.compile(r"\d")
_SPACES = re.compile(r"\s+")

# Spanish function words plus the filler that every proposal repeats ("propongo que el
# ayuntamiento..."). A handful of English ones because probe posts are written in English.
STOP_WORDS: frozenset[str] = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes aqui asi aun aunque bajo bien
    cada casi como con contra cual cuales cuando cuanto de del desde donde dos durante e el
    ella ellas ello ellos en entre era eran es esa esas ese eso esos esta estaba estado estan
    estar estas este esto estos fue fueron ha haber habia han hasta hay hace hacen hacer la
    las le les lo los mas me mi mis mucho muchos muy ni no nos nosotros nuestra nuestras
    nuestro nuestros o os otra otras otro otros para pero poco por porque puede pueden pues
    que quien quienes se sea si sido sin sobre solo son su sus tal tambien tan tanto te
    tener tiene tienen todo todos toda todas tu tus un una unas uno unos usted ustedes y ya
    yo etc vez veces ademas muy mismo misma dicho dicha cual parte forma
    propongo proponemos propuesta propuestas solicito solicitamos pedimos pido ayuntamiento
    madrid vecinos vecino vecinas gracias favor buenas buenos dias tardes hola saludo saludos
    the of and or to in on for with is are be this that it as by an at from
    """.split()  # noqa: SIM905
)

_VOWEL_ENDINGS = ("a", "e", "o")
# Truncating stems to a fixed prefix folds Spanish derivations together
# (ampliar/ampliación, aparcar/aparcamiento, soterrar/soterramiento) and many typos.
STEM_PREFIX = 5


def strip_accents(text: str) -> str:
    """Lowercase-agnostic accent removal: "Peñón Álamo" -> "Penon Alamo"."""
    decomposed = unicodedata.normalize("NFKD", text)
    if decomposed.isascii():
        return decomposed
    # Drops combining marks and any other non-ASCII symbol (emoji, dashes): neither matters
    # for matching, and this is several times faster than filtering by character.
    return decomposed.encode("ascii", "ignore").decode("ascii")


def strip_html(text: str) -> str:
    """Drop tags and entities from rich-text HTML.

    Runs twice around ``html.unescape`` because editors store escaped markup
    (``&lt;a onclick=alert(1)&gt;``) that becomes a tag once unescaped.
    """
    text = _TAG.sub(" ", text or "")
    text = html.unescape(text)
    return _TAG.sub(" ", text)


def stem(word: str) -> str:
    """Light Spanish stemmer: strip plural ``-s`` then one gender/final vowel.

    ``parques``/``parque`` -> ``parqu``, ``calles``/``calle`` -> ``call``,
    ``estaciones``/``estacion`` -> ``estacion``, ``nuevas``/``nuevo`` -> ``nuev``.
    Tokens with digits are kept verbatim: numbers are significant.
    """
    if _HAS_DIGIT.search(word):
        return word
    if len(word) > 3 and word.endswith("s"):
        word = word[:-1]
    if len(word) > 3 and word.endswith(_VOWEL_ENDINGS):
        word = word[:-1]
    return word[:STEM_PREFIX]


_STEMS: dict[str, str] = {}
_STEM_CACHE_MAX = 500_000


def _stem_cached(word: str) -> str:
    # Vocabulary is Zipfian: a bounded dict turns stemming into one lookup per word.
    s = _STEMS.get(word)
    if s is None:
        s = "" if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()) else stem(word)
        if len(_STEMS) < _STEM_CACHE_MAX:
            _STEMS[word] = s
    return s


def _words(text: str, html_input: bool) -> list[str]:
    if html_input and ("<" in text or "&" in text):
        text = strip_html(text)
    text = _URL.sub(" ", text)
    text = text.lower()
    if not text.isascii():
        text = strip_accents(text)
    return _WORD.findall(text)


def tokens(text: str, *, html_input: bool = True) -> list[str]:
    """Normalised, stemmed content tokens of ``text`` in reading order (stop-words dropped)."""
    return [s for s in map(_stem_cached, _words(text, html_input)) if s]


def fold(word: str) -> str:
    """One word as the matcher reads it before stemming: lower case, no accents."""
    word = word.lower()
    return word if word.isascii() else strip_accents(word)


def _content_words(words: list[str], limit: int) -> tuple[str, ...]:
    # The first ``limit`` unique unstemmed content words, one string object per distinct word.
    seen: dict[str, None] = {}
    for w in words:
        if _stem_cached(w):
            seen.setdefault(sys.intern(w), None)
            if len(seen) >= limit:
                break
    return tuple(seen)


def normalize(text: str, *, html_input: bool = True) -> str:
    """Normalised text as one space-separated string (what rapidfuzz compares)."""
    return " ".join(tokens(text, html_input=html_input))


def plain_text(text: str) -> str:
    """HTML-free, whitespace-collapsed, original-case text (for display and heuristics)."""
    return _SPACES.sub(" ", strip_html(text)).strip()


# Unstemmed description words kept per idea (for place names): the opening names the place,
# and 40 of them cost 1M ideas ~0.3 GB less than 120 at the same F1 (docs/matcher.md).
MAX_BODY_WORDS = 40


@dataclass(frozen=True, slots=True)
class Normalized:
    title: str  # normalised title, one string: what rapidfuzz compares
    has_body: bool  # the description has content words (the body itself is only tokens)
    title_tokens: tuple[str, ...]
    body_tokens: tuple[str, ...]
    numbers: frozenset[str]
    # The same content words unstemmed (each once): names are told apart by the whole word,
    # since stems are cut to 5 letters ("Valdebebas" and "Valdezarza" are both "valde").
    title_words: tuple[str, ...] = ()
    body_words: tuple[str, ...] = ()


def normalize_idea(title: str, body: str = "", *, max_body_tokens: int = 120) -> Normalized:
    """Normalise one idea. The body is capped: openings carry the request, tails ramble."""
    tw = _words(title, True)
    bw = _words(body, True)
    t = [s for s in map(_stem_cached, tw) if s]
    b = [s for s in map(_stem_cached, bw) if s][:max_body_tokens]
    numbers = frozenset(tok for tok in t if _HAS_DIGIT.search(tok))
    title_words = _content_words(tw, len(tw))
    body_words = _content_words(bw, MAX_BODY_WORDS)
    return Normalized(" ".join(t), bool(b), tuple(t), tuple(b), numbers, title_words, body_words)
