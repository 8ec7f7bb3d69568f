"""The demo: the seed report's dialogues, people, organisations and ideas, deterministic for a
seed, loaded through the real services by ``manage.py load_demo``.

The top layer: it imports whichever app it needs and nothing imports it. Its modules, in the
order a load uses them: :mod:`.content` (the phrase banks and places in ``data/*.json``),
:mod:`.spec` (figures and shapes), :mod:`.people`, :mod:`.prose` and :mod:`.ideas` (drawn by
:mod:`.plan`, pure), then :mod:`.load` and :mod:`.histories` (the database).
"""
