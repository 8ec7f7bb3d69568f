"""Permission table: who reaches which moderation page or action.

anonymous → login redirect; participant → 403; moderator → allowed; a council secretary only
reaches the answer pages of their own council.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse

from forum.moderation import permissions, services
from forum.moderation.models import AuditEntry, DuplicateGroup, Merge
from forum.participation.lifecycle import IdeaStatus
from tests import factories
from tests.moderation.moderation_helpers import (  # noqa: F401
    _fresh_index,
    admin_user,
    moderator,
    secretary,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def objs():
    mod = moderator("mod")
    council = factories.council("biobio")
    other_council = factories.council("maule")
    idea = factories.idea(title="Cursos de grúa horquilla en Coronel")
    dup = factories.idea(title="Cursos de grúa horquilla para Coronel")
    merged = factories.idea(title="Grúa horquilla Coronel cursos")
    services.idea_merge(canonical=idea, merged=[merged], actor=mod)
    routed = factories.idea(title="Idea derivada al consejo del Biobío")
    services.idea_route_cluster(idea=routed, council=council, actor=mod)
    garden = factories.idea(
        title="Huertos comunitarios en la plaza de Lota", body="Huertos en la plaza de Lota"
    )
    factories.idea(title="Huerto comunitario en plaza de Lota", body="Un huerto en la plaza Lota")
    group = DuplicateGroup.objects.get(members__idea=garden)
    routed_other = factories.idea(title="Idea derivada al consejo del Maule")
    services.idea_route_cluster(idea=routed_other, council=other_council, actor=mod)
    return {
        "mod": mod,
        "council": council,
        "other": other_council,
        "idea": idea,
        "dup": dup,
        "merged": merged,
        "routed": routed,
        "routed_other": routed_other,
        "group": group,
        "garden": garden,
    }


def moderation_requests(o):
    """(method, url, data) for every moderation page and action."""
    i, d, m = o["idea"].pk, o["dup"].pk, o["merged"].pk
    return [
        ("get", reverse("moderation:queue"), None),
        ("get", reverse("moderation:queue_json"), None),
        ("get", reverse("moderation:idea", args=[i]), None),
        ("get", reverse("moderation:merge", args=[d]), None),
        (
            "post",
            reverse("moderation:merge", args=[d]),
            {"canonical": d, "merged": [d], "reason": "x", "versions": "{}"},
        ),
        ("post", reverse("moderation:unmerge", args=[m]), {"reason": "x"}),
        ("get", reverse("moderation:route", args=[d]), None),
        ("post", reverse("moderation:route", args=[d]), {"council": o["council"].pk}),
        ("get", reverse("moderation:overdue"), None),
        ("get", reverse("moderation:reports"), None),
        ("post", reverse("moderation:hide", args=["idea", d]), {"reason": "x"}),
        ("post", reverse("moderation:restore", args=["idea", d]), {"reason": "x"}),
        ("post", reverse("moderation:dismiss", args=["idea", d]), {}),
        ("get", reverse("moderation:audit"), None),
        ("get", reverse("moderation:groups"), None),
        ("get", reverse("moderation:groups") + "?region=biobio&canal=web", None),
        ("get", reverse("moderation:queue") + "?region=biobio&estado=received", None),
        *(
            ("post", reverse("moderation:group_decide", args=[o["group"].pk]), {"action": a})
            for a in (
                f"canonical:{o['garden'].pk}",
                "split",
                "merge",  # without the members the page showed: refused as stale
                f"drop:{o['garden'].pk}",
            )
        ),
    ]


def secretary_requests(o):
    c, r = o["council"], o["routed"]
    return [
        ("get", reverse("moderation:council", args=[c.slug]), None),
        ("get", reverse("moderation:answer", args=[c.slug, r.pk]), None),
        (
            "post",
            reverse("moderation:answer", args=[c.slug, r.pk]),
            {"outcome": IdeaStatus.ANSWERED_ACCEPTED, "answer": "Sí."},
        ),
    ]


def _call(client, method, url, data):
    return getattr(client, method)(url, data or {})


def _snapshot():
    return (
        AuditEntry.objects.count(),
        Merge.objects.count(),
        sorted(
            __import__("forum.participation.models", fromlist=["Idea"]).Idea.objects.values_list(
                "pk", "status", "hidden_at"
            )
        ),
    )


def test_anonymous_is_sent_to_login(client, objs):
    for method, url, data in (
        moderation_requests(objs)
        + secretary_requests(objs)
        + [
            ("get", reverse("moderation:report", args=["idea", objs["dup"].pk]), None),
            ("get", reverse("moderation:councils"), None),
        ]
    ):
        response = _call(client, method, url, data)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL)), url
        assert "next=" in response["Location"], url


def test_participant_gets_403_everywhere_and_changes_nothing(client, objs):
    participant = factories.user("participante")
    factories.person(user_obj=participant)
    client.force_login(participant)
    before = _snapshot()
    for method, url, data in (
        moderation_requests(objs)
        + secretary_requests(objs)
        + [
            ("get", reverse("moderation:councils"), None),
        ]
    ):
        assert _call(client, method, url, data).status_code == 403, (method, url)
    assert _snapshot() == before


def test_moderator_reaches_every_moderation_page(client, objs):
    client.force_login(objs["mod"])
    for method, url, data in moderation_requests(objs):
        response = _call(client, method, url, data)
        # Pages render (200); actions redirect back (302) or re-show their form (200).
        if method == "get":
            assert response.status_code == 200, url
        else:
            assert response.status_code in (200, 302), (method, url)
        if response.status_code == 302:
            assert not response["Location"].startswith(resolve_url(settings.LOGIN_URL))


def test_moderator_is_not_a_council_secretary(client, objs):
    """A moderator reads a council's inbox (and the councils' list) but does not answer."""
    client.force_login(objs["mod"])
    for method, url, data in secretary_requests(objs):
        inbox = reverse("moderation:council", args=[objs["council"].slug])
        expected = 200 if (method, url) == ("get", inbox) else 403
        assert _call(client, method, url, data).status_code == expected, (method, url)
    assert client.get(reverse("moderation:councils")).status_code == 200


def test_secretary_reaches_only_their_council(client, objs):
    sec = secretary(objs["council"], "secre")
    client.force_login(sec)
    for method, url, data in moderation_requests(objs):
        assert _call(client, method, url, data).status_code == 403, (method, url)
    assert client.get(reverse("moderation:councils")).status_code == 302
    assert client.get(reverse("moderation:council", args=[objs["council"].slug])).status_code == 200
    other = objs["other"]
    assert client.get(reverse("moderation:council", args=[other.slug])).status_code == 403
    response = client.post(
        reverse("moderation:answer", args=[other.slug, objs["routed_other"].pk]),
        {"outcome": IdeaStatus.ANSWERED_ACCEPTED, "answer": "No me toca."},
    )
    assert response.status_code == 403
    objs["routed_other"].refresh_from_db()
    assert objs["routed_other"].status == IdeaStatus.ROUTED
    response = client.post(
        reverse("moderation:answer", args=[objs["council"].slug, objs["routed"].pk]),
        {"outcome": IdeaStatus.ANSWERED_PARTLY, "answer": "En parte."},
    )
    assert response.status_code == 302
    objs["routed"].refresh_from_db()
    assert objs["routed"].status == IdeaStatus.ANSWERED_PARTLY


def test_administrator_answers_for_any_council_and_moderates(objs):
    boss = admin_user("jefa")
    assert permissions.can_moderate(boss)
    assert permissions.can_answer_for(boss, objs["other"])


def test_participant_may_report(client, objs):
    participant = factories.user("vecina")
    client.force_login(participant)
    url = reverse("moderation:report", args=["idea", objs["dup"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "Publicidad"})
    assert response.status_code == 302
    assert objs["dup"].pk in set(
        __import__("forum.moderation.models", fromlist=["Report"]).Report.objects.values_list(
            "object_id", flat=True
        )
    )


def test_inactive_or_plain_staff_is_not_a_moderator():
    staff = factories.user("staff", is_staff=True)
    assert not permissions.can_moderate(staff)
    mod = moderator("inactivo")
    mod.is_active = False
    mod.save()
    assert not permissions.can_moderate(mod)


def test_council_membership_as_secretary_also_counts(objs):
    import datetime as dt

    from forum.moderation.roles import SECRETARY
    from forum.participation.models import ActorCategory, Membership

    u = factories.user("secretaria-miembro", groups=(SECRETARY,))
    person = factories.person(user_obj=u)
    Membership.objects.create(
        council=objs["council"],
        person=person,
        actor_category=ActorCategory.PUBLIC_SECTOR,
        role=Membership.Role.SECRETARY,
        term_start=dt.date(2020, 1, 1),
    )
    Membership.objects.create(
        council=objs["other"],
        person=person,
        actor_category=ActorCategory.PUBLIC_SECTOR,
        role=Membership.Role.SECRETARY,
        term_start=dt.date(2020, 1, 1),
        term_end=dt.date(2021, 1, 1),
    )  # term over
    assert permissions.can_answer_for(u, objs["council"])
    assert not permissions.can_answer_for(u, objs["other"])
    assert permissions.answerable_councils(u) == [objs["council"]]
    member = factories.user("solo-miembro")  # a secretary membership without the role group
    Membership.objects.create(
        council=objs["council"],
        person=factories.person(user_obj=member),
        actor_category=ActorCategory.PUBLIC_SECTOR,
        role=Membership.Role.SECRETARY,
        term_start=dt.date(2020, 1, 1),
    )
    assert not permissions.can_answer_for(member, objs["council"])
