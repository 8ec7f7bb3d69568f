"""What a typed message (without a slash) asks for: a small rule table, not an NLU service.

``classify(text) -> Intent`` is pure (no Django, no database) so it is tested table-driven in
``tests/bots/test_intents.py``. People write to the bot as they write to anyone: «hola»,
«gracias», «?», «¿cómo va mi idea ABCD-1234?», «quiero apoyar ABCD-1234», «cancelar», in
Spanish or English. Only a message that is none of those and long enough (``IDEA_MIN_WORDS``)
is taken for an idea at once; a shorter one is asked about first.

Kinds: ``greeting``, ``thanks``, ``help``, ``cancel``, ``yes``, ``no``, ``status`` (arg: the
code typed, maybe ""), ``my_ideas``, ``support`` (arg: the code, maybe ""), ``language``,
``my_data``, ``erase``, ``question`` (a short question the bot has no answer for), ``short``
(too short to tell) and ``idea``.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

IDEA_MIN_WORDS = 4

# A tracking code as people type it: ABCD-1234 or ABCD-EFGH (a dash: always a code), ABCD1234
# or «abcd 1234» (then it must mix letters and digits, so «programa» or «idea abcd» is not one).
_DASHED = re.compile(r"^[a-z0-9]{4}[\-_.·][a-z0-9]{4}$")
_MIXED = re.compile(r"^(?=.*\d)(?=.*[a-z])[a-z0-9]{8}$")


def _code_in(words: list[str]) -> str:
    for i, word in enumerate(words):
        if _DASHED.match(word) or _MIXED.match(word):
            return word.upper()
        pair = "".join(words[i : i + 2])
        if i + 1 < len(words) and len(word) == 4 and _MIXED.match(pair):
            return f"{word} {words[i + 1]}".upper()
    return ""


class Intent(NamedTuple):
    kind: str
    arg: str = ""


def fold(text: str) -> str:
    """Lower case, no accents, no punctuation but ``?``, single spaces."""
    text = unicodedata.normalize("NFKD", (text or "").lower())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^\w\s?\-]", " ", text).replace("_", " ")
    return " ".join(text.split())


def _words(*phrases: str) -> frozenset[str]:
    return frozenset(fold(p) for p in phrases)


# Whole messages (folded, without «?» and without the polite words in _FILLER).
_GREETINGS = _words(
    "hola",
    "holi",
    "holaa",
    "hola hola",
    "buenas",
    "buen dia",
    "buenos dias",
    "buenas tardes",
    "buenas noches",
    "saludos",
    "alo",
    "aló",
    "que tal",
    "hello",
    "hi",
    "hey",
    "hi there",
    "good morning",
    "good afternoon",
    "good evening",
    "start",
    "inicio",
    "empezar",
)
_THANKS = _words(
    "gracias",
    "muchas gracias",
    "mil gracias",
    "gracias!",
    "thanks",
    "thank you",
    "thank you very much",
    "thx",
    "ty",
    "genial gracias",
    "perfecto gracias",
    "ok gracias",
    "vale gracias",
    "great thanks",
    "ok thanks",
    "excelente",
)
_HELP = _words(
    "ayuda",
    "help",
    "ayudame",
    "necesito ayuda",
    "menu",
    "opciones",
    "comandos",
    "que puedo hacer",
    "que puedes hacer",
    "que haces",
    "como funciona",
    "como funciona esto",
    "instrucciones",
    "what can you do",
    "how does this work",
    "what do you do",
    "commands",
    "i need help",
    "options",
    "info",
    "informacion",
)
_CANCEL = _words(
    "cancelar",
    "cancela",
    "cancel",
    "olvidalo",
    "olvida",
    "descartar",
    "descarta",
    "no importa",
    "dejalo",
    "never mind",
    "nevermind",
    "forget it",
    "discard",
    "stop",
    "salir",
)
_YES = _words(
    "si",
    "sí",
    "sip",
    "claro",
    "dale",
    "ok",
    "okay",
    "vale",
    "yes",
    "yep",
    "sure",
    "correcto",
    "si es una idea",
    "si es mi idea",
    "es una idea",
    "yes it is",
    "it is an idea",
)
_NO = _words("no", "nop", "nope", "no gracias", "no thanks", "para nada")
_MY_IDEAS = _words(
    "mis ideas",
    "mis propuestas",
    "ver mis ideas",
    "my ideas",
    "show my ideas",
    "como van mis ideas",
    "how are my ideas",
    "ideas que apoyo",
)
_MY_DATA = _words("mis datos", "ver mis datos", "my data", "show my data", "que datos tienen")
_ERASE = _words(
    "borrar mis datos",
    "borra mis datos",
    "eliminar mis datos",
    "delete my data",
    "erase my data",
    "borrar mi cuenta",
    "delete my account",
)
_LANGUAGE = _words(
    "idioma",
    "cambiar idioma",
    "cambiar de idioma",
    "language",
    "change language",
    "english",
    "in english",
    "english please",
    "ingles",
    "en ingles",
    "espanol",
    "en espanol",
    "spanish",
    "in spanish",
)
_FILLER = ("por favor", "porfa", "please", "pls", "plz")

_STATUS_WORDS = re.compile(
    r"\b(estado|status|como va|como van|como esta|en que va|que paso|que ha pasado|"
    r"seguimiento|novedades|how is|how s|what happened|track|tracking|update on)\b"
)
_SUPPORT_WORDS = re.compile(
    r"\b(apoyar|apoyo|apoya|apoyemos|sumarme|sumar mi apoyo|support|back|upvote|vote for)\b"
)
# «quiero apoyar», «quiero apoyar una idea», «I want to support an idea»: a request without its
# code (the bot asks for it). «Quiero apoyar a los jóvenes de Chillán…» is an idea, not this.
_SUPPORT_ALONE = re.compile(
    r"^(quiero |quisiera |me gustaria |deseo |i want to |i d like to |i would like to )?"
    r"(apoyar|support|back|sumar mi apoyo a)( una| an| a| otra| another)?( idea| propuesta)?"
    r"( existente| que ya existe| que ya esta| that exists| already there)?$"
)


def _strip(folded: str) -> str:
    text = folded.replace("?", " ")
    for filler in _FILLER:
        text = re.sub(rf"\b{filler}\b", " ", text)
    return " ".join(text.split())


def classify(text: str) -> Intent:
    """The intent of one typed message (see the module docstring)."""
    raw = (text or "").strip()
    folded = fold(raw)
    bare = _strip(folded)
    is_question = raw.endswith("?") or raw.startswith("¿")
    words = bare.split()

    if not bare:
        # «?», «??», «¿?», an emoji alone: the person does not know what to do.
        return Intent("help")
    for table, kind in (
        (_GREETINGS, "greeting"),
        (_THANKS, "thanks"),
        (_HELP, "help"),
        (_CANCEL, "cancel"),
        (_YES, "yes"),
        (_NO, "no"),
        (_MY_IDEAS, "my_ideas"),
        (_MY_DATA, "my_data"),
        (_ERASE, "erase"),
        (_LANGUAGE, "language"),
    ):
        if bare in table:
            return Intent(kind)

    code = _code_in(words)
    short_request = len(words) <= 12
    if (code and short_request and _SUPPORT_WORDS.search(bare)) or _SUPPORT_ALONE.match(bare):
        return Intent("support", code)
    if code and short_request and (_STATUS_WORDS.search(bare) or len(words) <= 3 or is_question):
        return Intent("status", code)
    if short_request and _STATUS_WORDS.search(bare) and re.search(r"\b(mi|my) idea\b", bare):
        # «¿cómo va mi idea?» without its code: the list of their ideas answers it.
        return Intent("my_ideas")
    if len(words) < IDEA_MIN_WORDS:
        return Intent("question" if is_question else "short")
    # A greeting or thanks in front of a real message («hola, quiero proponer…») is an idea.
    return Intent("idea")
