"""A dialogue's attendance is one fact, counted from its check-ins: the projector, the list of
dialogues, the results, the public API and the report's figures all say the same number, and
the typed-in figure of a session held before check-ins survives the migration as check-ins."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from forum.dialogues import selectors
from forum.dialogues.selectors import live
from forum.dialogues.services import live as session
from forum.insights import selectors as insights
from forum.participation.models import Dialogue as Current
from tests import factories
from tests.dialogues.session_helpers import room


@pytest.mark.django_db
def test_every_page_and_the_api_count_the_same_check_ins(client):
    r = room()
    factories.dialogue(title="Diálogo que aún no se realiza", slug="dialogo-por-venir")
    for _n in range(3):
        session.checkin_record(dialogue=r.dialogue, person=factories.person(), method="code")

    assert selectors.dialogue_attendance(r.dialogue) == 3
    snapshot = live.session_snapshot(r.dialogue.pk)
    assert snapshot is not None
    assert snapshot["attendance"] == 3
    assert selectors.dialogue_results(r.dialogue).people == 3
    assert insights.headline(insights.Scope(dialogue=r.dialogue)).attendance == 3
    assert insights.headline().attendance == 3
    api = {d["slug"]: d["attendance"] for d in client.get("/api/dialogues").json()}
    assert api[r.dialogue.slug] == 3
    assert api["dialogo-por-venir"] == 0
    listing = client.get("/dialogos/").content.decode()
    assert "3 asistentes" in listing


BEFORE = [("dialogues", "0001_initial"), ("participation", "0014_merge_routed_message_article")]
AFTER = [
    ("dialogues", "0002_attendance_as_checkins"),
    ("participation", "0015_remove_dialogue_attendance"),
]


@pytest.fixture
def back_to_the_latest_schema():
    """Whatever happens in the test, the next tests of this process find every migration
    applied (a later migration left unapplied broke them: a missing column)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_the_latest_schema")
def test_the_typed_attendance_stays_only_where_no_check_in_counts_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Dialogue = old.get_model("participation", "Dialogue")
    CheckIn = old.get_model("dialogues", "CheckIn")
    Council = old.get_model("participation", "Council")
    council = Council.objects.get(region__slug="biobio")

    def dialogue(slug: str, phase: str, typed: int):
        return Dialogue.objects.create(
            title=slug, slug=slug, council=council, date="2025-05-01", phase=phase,
            attendance=typed,
        )  # fmt: skip

    on_paper = dialogue("en-papel", "celebration", 37)
    counted = dialogue("con-registros", "celebration", 40)
    CheckIn.objects.create(dialogue=counted, method="code")
    planned = dialogue("por-venir", "planning", 25)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    # AFTER, and every later migration: the assertions read through today's models.
    assert set(AFTER) <= {
        node for leaf in executor.loader.graph.leaf_nodes()
        for node in executor.loader.graph.forwards_plan(leaf)
    }  # fmt: skip
    executor.migrate(executor.loader.graph.leaf_nodes())

    count = {d.slug: selectors.dialogue_attendance(d) for d in Current.objects.all()}
    assert count[on_paper.slug] == 37  # held before check-ins: kept, as anonymous check-ins
    assert count[counted.slug] == 1  # the check-ins are the attendance; the typed 40 goes
    assert count[planned.slug] == 0  # a planned number was never an attendance
