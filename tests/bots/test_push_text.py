"""The push a bot sends points /estado at the idea the notice is about."""

from __future__ import annotations

import pytest

from forum.bots.senders import render_push
from forum.notifications.kinds import Merged, StatusChanged, Unmerged
from forum.notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


def _push(notice) -> str:
    person = factories.person()
    note = Notification(person=person, kind=notice.kind, payload=notice.to_payload())
    return render_push(note)


def test_an_undone_merge_points_estado_at_the_idea_itself_not_the_one_it_left():
    text = _push(
        Unmerged(code="AAAA1111", canonical_code="BBBB2222", title="T", to_status="in_review")
    )
    assert "/estado AAAA-1111" in text
    assert "/estado BBBB-2222" not in text


def test_a_merge_points_estado_at_the_idea_that_carries_the_supports():
    text = _push(Merged(code="AAAA1111", canonical_code="BBBB2222", title="T", canonical_title="U"))
    assert "/estado BBBB-2222" in text


def test_a_status_notice_prints_its_link_once():
    idea = factories.idea(title="Feria laboral en Coyhaique")
    text = _push(StatusChanged(code=idea.tracking_code, title=idea.title, to_status="in_review"))
    url = f"/ideas/{idea.tracking_code}/"
    assert text.count(url) == 1, text
    assert "Ver más: http" in text
