"""What the bot takes a typed message for, without a slash (issue 18, item 2): a table of what
people actually write, in Spanish and English."""

from __future__ import annotations

import pytest

from forum.bots.engine.intents import Intent, classify

TABLE = [
    # greetings, thanks, help
    ("hola", Intent("greeting")),
    ("Hola!", Intent("greeting")),
    ("Buenos días", Intent("greeting")),
    ("hi", Intent("greeting")),
    ("Hello", Intent("greeting")),
    ("gracias", Intent("thanks")),
    ("¡Muchas gracias!", Intent("thanks")),
    ("thank you", Intent("thanks")),
    ("ayuda", Intent("help")),
    ("Ayuda por favor", Intent("help")),
    ("help", Intent("help")),
    ("?", Intent("help")),
    ("¿?", Intent("help")),
    ("¿Qué puedo hacer?", Intent("help")),
    ("what can you do?", Intent("help")),
    # plain requests
    ("cancelar", Intent("cancel")),
    ("Cancel", Intent("cancel")),
    ("olvídalo", Intent("cancel")),
    ("¿cómo va mi idea ABCD-1234?", Intent("status", "ABCD-1234")),
    ("estado abcd 1234", Intent("status", "ABCD 1234")),
    ("ABCD-1234", Intent("status", "ABCD-1234")),
    ("how is my idea ABCD-1234 doing?", Intent("status", "ABCD-1234")),
    ("¿Cómo va mi idea?", Intent("my_ideas")),
    ("mis ideas", Intent("my_ideas")),
    ("my ideas", Intent("my_ideas")),
    ("quiero apoyar ABCD-1234", Intent("support", "ABCD-1234")),
    ("Quiero apoyar una idea", Intent("support")),
    ("I want to support ABCD-1234", Intent("support", "ABCD-1234")),
    ("support an idea", Intent("support")),
    ("mis datos", Intent("my_data")),
    ("borrar mis datos", Intent("erase")),
    ("English please", Intent("language")),
    ("cambiar idioma", Intent("language")),
    ("sí", Intent("yes")),
    ("no", Intent("no")),
    # short texts are asked about; questions the bot cannot answer are said to be so
    ("talleres", Intent("short")),
    ("más buses Temuco", Intent("short")),
    ("¿quién eres tú?", Intent("question")),
    # ideas
    ("Más talleres de oficios en Chillán", Intent("idea")),
    ("Quiero apoyar a los jóvenes de Chillán con cursos de oficios", Intent("idea")),
    ("Hola, propongo cursos de inglés para guías de turismo en Pucón", Intent("idea")),
    ("Fiscalizar la calidad de las OTEC en el Biobío", Intent("idea")),
    ("Job fair for young people in Chillán", Intent("idea")),
    ("¿Por qué no hay cursos de soldadura para mujeres en Antofagasta?", Intent("idea")),
    # an eight-letter word is not a tracking code
    ("programa", Intent("short")),
]


@pytest.mark.parametrize(("text", "expected"), TABLE)
def test_classify(text, expected):
    assert classify(text) == expected
