"""The process-wide duplicate index follows the database: new, edited, merged, hidden ideas."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from forum.moderation import selectors, services
from forum.moderation.index import shared_index
from forum.participation.models import Idea
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = pytest.mark.django_db

QUERY = "Cursos de inglés para guías de turismo en Pucón"


def _found():
    return [i.pk for i, _score in selectors.similar_ideas(QUERY, "", limit=5)]


def test_index_catches_up_with_changes_made_elsewhere():
    assert _found() == []  # built (empty) on first use
    idea = factories.idea(title="Curso de inglés para guías de turismo de Pucón")
    assert _found() == [idea.pk]  # created after the build: caught up by the next query
    # Another process edits the text (every write bumps updated_at).
    Idea.objects.filter(pk=idea.pk).update(
        title="Reparar el puente de Lonquimay", updated_at=timezone.now()
    )
    assert _found() == []
    Idea.objects.filter(pk=idea.pk).update(
        title="Cursos de inglés para guías en Pucón", updated_at=timezone.now()
    )
    assert _found() == [idea.pk]


def test_a_burst_of_new_ideas_reads_each_row_once_not_the_whole_window():
    """While ideas arrive one after another (an import, the demo, a busy evening), each
    arrival's duplicate check reads only what is new since the last one: before the cursor,
    every check re-read the last two minutes, so the 500th arrival read 500 rows."""
    index = shared_index()
    index.get()
    reads = []
    for n in range(60):
        factories.idea(title=f"Taller de oficios número {n} para vecinos de Tomé")
        reads.append(index.catch_up())
    # Each look reads the idea just created (and at most a few rows written at the same
    # instant); the last look reads no more than the first.
    assert max(reads[10:]) <= 3
    assert sum(reads) < 3 * 60
    # And every one of them is findable.
    found = [
        i.pk
        for i, _s in selectors.similar_ideas("Taller de oficios número 59 para vecinos de Tomé", "")
    ]
    assert Idea.objects.get(title__endswith="59 para vecinos de Tomé").pk in found


def test_a_late_commit_older_than_the_cursor_is_found_by_the_window_rescan(monkeypatch):
    """Another process's transaction stamped its idea before ours looked, but committed after:
    its time is behind the cursor. The periodic re-read of the window still finds it."""
    from forum.moderation import index as index_module

    monkeypatch.setattr(index_module, "CATCH_UP_RESCAN_SECONDS", 3600.0)
    assert _found() == []  # built: the cursor is now
    late = factories.idea(title="Curso de inglés para guías de turismo de Pucón")
    # Stamped as the slow transaction did, before the cursor, and visible only now.
    stamped = timezone.now() - dt.timedelta(seconds=30)
    Idea.objects.filter(pk=late.pk).update(created_at=stamped, updated_at=stamped)
    # (Its arrival check ran in this process and indexed it; the other process's did not.)
    shared_index().remove(late.pk)
    assert _found() == []  # behind the cursor: the quick look does not see it
    monkeypatch.setattr(index_module, "CATCH_UP_RESCAN_SECONDS", 0.0)
    assert _found() == [late.pk]  # the window's re-read does


def test_merged_ideas_leave_the_index_and_return_on_unmerge():
    mod = moderator()
    a = factories.idea(title="Curso de inglés para guías de turismo de Pucón")
    b = factories.idea(title="Cursos de inglés para los guías de turismo de Pucón")
    assert set(_found()) == {a.pk, b.pk}
    services.idea_merge(canonical=a, merged=[b], actor=mod)
    assert _found() == [a.pk]
    assert str(b.pk) not in shared_index().get()
    services.idea_unmerge(merged_idea=b, actor=mod, reason="distintas")
    assert set(_found()) == {a.pk, b.pk}


def test_stale_entries_are_never_shown():
    idea = factories.idea(title="Curso de inglés para guías de turismo de Pucón")
    assert _found() == [idea.pk]
    # Hidden without bumping updated_at (a raw write): the index still has it, the result
    # is filtered against the database anyway.
    Idea.objects.filter(pk=idea.pk).update(hidden_at=timezone.now())
    assert _found() == []


# A real pair from Madrid's portal (ids 37022 / 37063), labelled a duplicate in tests/data:
# the same request reworded, which scores between the suggestion and the clustering thresholds.
NOISE_WALLS = (
    "Paneles acústicos A-42",
    "<p>Me gustaría solicitar al ayuntamiento, en nombre de todas las personas que viven en "
    "viviendas colindantes con la A-42 en su salida de la ciudad, la instalación de paneles "
    "acústicos que limiten el impacto del trasiego contínuo de vehículos en la vida diaria y en "
    "la salud de los residentes de la zona.</p>",
)


def test_reworded_duplicates_below_the_clustering_threshold_are_still_suggested(settings):
    from forum.moderation.matcher import DEFAULT_THRESHOLD, SUGGEST_THRESHOLD

    idea = factories.idea(title=NOISE_WALLS[0], body=NOISE_WALLS[1])
    unrelated = factories.idea(title="Cursos de soldadura para jóvenes de Lota")
    # Other ideas, as in any real forum: word rarity (IDF) means something only in a corpus.
    for trade in ("gasfitería", "electricidad", "carpintería", "repostería", "mecánica"):
        for place in ("Lota", "Coronel", "Tomé", "Penco"):
            factories.idea(title=f"Curso de {trade} en {place}", body=f"Talleres de {trade}.")
    [(found, score)] = selectors.similar_ideas("Pantallas acústicas en la A-42", "", limit=5)
    assert found.pk == idea.pk
    assert SUGGEST_THRESHOLD <= score < DEFAULT_THRESHOLD
    assert unrelated.pk not in [i.pk for i, _s in selectors.similar_ideas(NOISE_WALLS[0])]
    # Deployments can ask for surer suggestions only.
    settings.MATCHER_SUGGEST_MIN_SCORE = DEFAULT_THRESHOLD
    assert selectors.similar_ideas("Pantallas acústicas en la A-42", "", limit=5) == []
