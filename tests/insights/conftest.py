"""A small forum whose figures were computed by hand (see each test's comments)."""

from __future__ import annotations

import datetime as dt

import pytest

from forum.insights import cache
from forum.moderation import services as moderation
from forum.participation import services
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import ActorCategory, Channel, Idea, StatusChange
from tests import factories
from tests.moderation.moderation_helpers import moderator, secretary

S = IdeaStatus
UTC = dt.UTC


def _at(day: dt.date) -> dt.datetime:
    # Noon UTC: the same calendar day in Santiago.
    return dt.datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


@pytest.fixture
def forum_site(db):
    """Council A (Biobío) and B (Metropolitana):

    - idea 1: routed to A on 1 Jan 2026, accepted 10 days later, due 20 Jan (on time);
      received in December 2025 (its author's second month).
    - idea 2: routed to A, rejected 30 days later, due 20 Jan (late).
    - idea 3: routed to A, no answer, due 1 Jan 2020 (overdue now).
    - idea 4: routed to B, answered in part after 20 days, no due date.
    - idea 5: received only, from Telegram, in the Metropolitana.
    - idea 6: hidden by a moderator: counts nowhere.
    People: p1 (employers) wrote ideas 1-4 and 6; p2 (employers) wrote idea 5 and supports
    idea 1; p3 (public sector) supports ideas 1 and 4.
    """
    mod = moderator("mod-insights")
    a, b = factories.council("biobio"), factories.council("metropolitana")
    sec_a, sec_b = secretary(a, "sec-a"), secretary(b, "sec-b")
    p1 = factories.person(name="Ana Pérez Secreta", actor_category=ActorCategory.EMPLOYERS,
                          email="ana@example.cl")  # fmt: skip
    p2 = factories.person(name="Berta Soto Secreta", actor_category=ActorCategory.EMPLOYERS)
    p3 = factories.person(name="Carla Díaz Secreta", actor_category=ActorCategory.PUBLIC_SECTOR)
    factories.identity(p2, Channel.TELEGRAM, external_id="987654321")
    biobio, rm = factories.region("biobio"), factories.region("metropolitana")
    i1 = factories.idea(author=p1, title="Cursos de soldadura para jóvenes", region=biobio)
    i2 = factories.idea(author=p1, title="Cursos de inglés", region=biobio)
    i3 = factories.idea(author=p1, title="Becas de transporte", region=biobio)
    i4 = factories.idea(author=p1, title="Cursos nocturnos de soldadura", region=biobio)
    i5 = factories.idea(author=p2, title="Más cursos en la región", region=rm,
                        channel=Channel.TELEGRAM)  # fmt: skip
    i6 = factories.idea(author=p1, title="Cursos ocultos secretos", region=biobio)
    services.support_add(idea=i1, person=p2)
    services.support_add(idea=i1, person=p3)
    services.support_add(idea=i4, person=p3)
    due = dt.date(2026, 1, 20)
    for idea in (i1, i2):
        moderation.idea_route_cluster(idea=idea, council=a, actor=mod, answer_due=due)
    moderation.idea_route_cluster(idea=i3, council=a, actor=mod, answer_due=dt.date(2020, 1, 1))
    moderation.idea_route_cluster(idea=i4, council=b, actor=mod)
    moderation.council_answer(idea=i1, outcome=S.ANSWERED_ACCEPTED, answer="Sí.", actor=sec_a)
    moderation.council_answer(idea=i2, outcome=S.ANSWERED_REJECTED, answer="No.", actor=sec_a)
    moderation.council_answer(idea=i4, outcome=S.ANSWERED_PARTLY, answer="En parte.", actor=sec_b)
    moderation.content_hide(target=i6, actor=mod, reason="Prueba")
    start = dt.date(2026, 1, 1)
    StatusChange.objects.filter(to_status=S.ROUTED).update(created_at=_at(start))
    for idea, days in ((i1, 10), (i2, 30), (i4, 20)):
        StatusChange.objects.filter(idea=idea, to_status__startswith="answered").update(
            created_at=_at(start + dt.timedelta(days=days))
        )
    Idea.objects.filter(pk=i1.pk).update(created_at=_at(dt.date(2025, 12, 15)))
    cache.bump()  # the updates above bypass the services
    return {"ideas": [i1, i2, i3, i4, i5, i6], "people": [p1, p2, p3], "a": a, "b": b}


@pytest.fixture(autouse=True)
def _exact_figures(settings):
    # Figures change with the very next request after a write (production waits up to 30 s
    # under a stream of writes; test_cache.py checks that).
    settings.INSIGHTS_MIN_REFRESH_SECONDS = 0
