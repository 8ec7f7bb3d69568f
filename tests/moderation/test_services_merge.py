"""Merge and unmerge: nobody's support or voice is lost, and unmerge restores exactly."""

from __future__ import annotations

import pytest

from forum.moderation import services
from forum.moderation.models import AuditEntry, Merge
from forum.moderation.services import ModerationError
from forum.notifications.models import Notification
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea, IdeaCoauthor, Support
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator, state, support  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mod = moderator()
    ana, beto, carla, dani = (factories.person(name=n) for n in ("Ana", "Beto", "Carla", "Dani"))
    canonical = factories.idea(author=ana, title="Más cursos de soldadura en Talcahuano")
    dup = factories.idea(author=beto, title="Cursos de soldadura para Talcahuano")
    support(canonical, carla)
    support(dup, carla)  # supports both: must count once
    support(dup, dani)
    return {
        "mod": mod,
        "ana": ana,
        "beto": beto,
        "carla": carla,
        "dani": dani,
        "canonical": canonical,
        "dup": dup,
    }


def test_merge_moves_supports_without_double_counting(world):
    canonical, dup = world["canonical"], world["dup"]
    services.idea_merge(
        canonical=canonical, merged=[dup], actor=world["mod"], reason="Misma propuesta"
    )
    canonical.refresh_from_db()
    dup.refresh_from_db()
    supporters = set(Support.objects.filter(idea=canonical).values_list("person_id", flat=True))
    assert supporters == {world["carla"].pk, world["dani"].pk}
    assert canonical.support_count == 2
    assert dup.status == IdeaStatus.MERGED
    assert dup.merged_into_id == canonical.pk
    assert dup.title == "Cursos de soldadura para Talcahuano"  # original text kept
    assert IdeaCoauthor.objects.filter(idea=canonical, person=world["beto"], via_idea=dup).exists()


def test_merged_people_hear_and_keep_hearing(world):
    canonical, dup = world["canonical"], world["dup"]
    services.idea_merge(canonical=canonical, merged=[dup], actor=world["mod"], reason="igual")
    notified = set(
        Notification.objects.filter(kind=Notification.Kind.MERGED, idea=dup).values_list(
            "person_id", flat=True
        )
    )
    assert notified == {world["beto"].pk, world["carla"].pk, world["dani"].pk}
    note = Notification.objects.filter(kind=Notification.Kind.MERGED).first()
    assert note is not None
    assert note.payload["canonical_code"] == canonical.tracking_code
    assert note.payload["code"] == dup.tracking_code
    recipients = {p.pk for p in participation.idea_recipients(canonical)}
    assert {world["beto"].pk, world["carla"].pk, world["dani"].pk, world["ana"].pk} <= recipients
    # A later status change of the canonical idea reaches the merged idea's people.
    participation.idea_transition(
        idea=canonical, to_status=IdeaStatus.IN_REVIEW, actor=world["mod"]
    )
    changed = set(
        Notification.objects.filter(
            kind=Notification.Kind.STATUS_CHANGED, idea=canonical
        ).values_list("person_id", flat=True)
    )
    assert world["beto"].pk in changed
    assert world["dani"].pk in changed


def test_unmerge_restores_exactly(world):
    canonical, dup = world["canonical"], world["dup"]
    participation.idea_transition(idea=dup, to_status=IdeaStatus.IN_REVIEW, actor=world["mod"])
    before = state([canonical, dup])
    services.idea_merge(
        canonical=canonical,
        merged=[dup],
        actor=world["mod"],
        public_text="Texto público unificado",
        reason="duplicada",
    )
    canonical.refresh_from_db()
    assert canonical.body == "Texto público unificado"
    services.idea_unmerge(merged_idea=dup, actor=world["mod"], reason="no eran iguales")
    assert state([canonical, dup]) == before
    dup.refresh_from_db()
    assert dup.status == IdeaStatus.IN_REVIEW
    unmerged = set(
        Notification.objects.filter(kind=Notification.Kind.UNMERGED).values_list(
            "person_id", flat=True
        )
    )
    assert unmerged == {world["beto"].pk, world["carla"].pk, world["dani"].pk}
    assert list(AuditEntry.objects.values_list("action", flat=True).order_by("pk")) == [
        "idea.merge",
        "idea.unmerge",
    ]


def test_unmerge_of_routed_idea_restores_routed(world):
    canonical, dup = world["canonical"], world["dup"]
    services.idea_route_cluster(idea=dup, council=factories.council(), actor=world["mod"])
    dup.refresh_from_db()
    assert dup.status == IdeaStatus.ROUTED
    services.idea_merge(canonical=canonical, merged=[dup], actor=world["mod"])
    services.idea_unmerge(merged_idea=dup, actor=world["mod"], reason="error")
    dup.refresh_from_db()
    assert dup.status == IdeaStatus.ROUTED


def test_unmerge_out_of_order_keeps_everyone_counted():
    mod = moderator()
    p = factories.person()
    c, a, d = factories.idea(), factories.idea(), factories.idea()
    support(a, p)
    support(d, p)
    initial = state([c, a, d])
    services.idea_merge(canonical=c, merged=[a], actor=mod)
    services.idea_merge(canonical=c, merged=[d], actor=mod)
    c.refresh_from_db()
    assert c.support_count == 1
    services.idea_unmerge(merged_idea=a, actor=mod, reason="x")
    c.refresh_from_db()
    # p still supports the cluster {c, d} through d, so c still counts p.
    assert c.support_count == 1
    services.idea_unmerge(merged_idea=d, actor=mod, reason="x")
    assert state([c, a, d]) == initial


@pytest.mark.parametrize("case", ["self", "already_merged", "into_merged", "cycle"])
def test_refusals_leave_state_untouched(world, case):
    mod, canonical, dup = world["mod"], world["canonical"], world["dup"]
    third = factories.idea(title="Otra idea distinta")
    services.idea_merge(canonical=canonical, merged=[dup], actor=mod)
    before = state([canonical, dup, third])
    audits = AuditEntry.objects.count()
    canon, merged = {
        "self": (third, third),
        "already_merged": (third, dup),
        "into_merged": (dup, third),
        "cycle": (dup, canonical),
    }[case]
    with pytest.raises(ModerationError) as err:
        services.idea_merge(canonical=canon, merged=[merged], actor=mod)
    assert err.value.messages[0]
    assert state([canonical, dup, third]) == before
    assert AuditEntry.objects.count() == audits


def test_stale_version_is_refused(world):
    canonical, dup = world["canonical"], world["dup"]
    seen = {dup.pk: dup.updated_at.isoformat()}
    participation.idea_transition(idea=dup, to_status=IdeaStatus.IN_REVIEW, actor=world["mod"])
    with pytest.raises(ModerationError, match="cambió"):
        services.idea_merge(
            canonical=canonical, merged=[dup], actor=world["mod"], expected_versions=seen
        )
    assert not Merge.objects.exists()


def test_unmerge_requires_a_merged_idea(world):
    with pytest.raises(ModerationError):
        services.idea_unmerge(merged_idea=world["dup"], actor=world["mod"], reason="x")


def test_merge_publishes_after_commit(world, django_capture_on_commit_callbacks):
    from unittest import mock

    with (
        mock.patch("forum.core.events._send") as send,
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.idea_merge(canonical=world["canonical"], merged=[world["dup"]], actor=world["mod"])
    sent = [(c.args[0], c.args[1]["type"]) for c in send.call_args_list]
    assert ("moderation.queue", "idea.merged") in sent


def test_route_cluster_and_answer_reach_merged_people(world):
    mod, canonical, dup = world["mod"], world["canonical"], world["dup"]
    services.idea_merge(canonical=canonical, merged=[dup], actor=mod)
    council = factories.council()
    services.idea_route_cluster(idea=dup, council=council, actor=mod)  # routes the canonical
    canonical.refresh_from_db()
    assert canonical.status == IdeaStatus.ROUTED
    assert canonical.council == council
    services.council_answer(
        idea=canonical,
        outcome=IdeaStatus.ANSWERED_ACCEPTED,
        answer="Se abrirán 2 cursos en 2027.",
        actor=mod,
    )
    canonical.refresh_from_db()
    assert canonical.public_answer == "Se abrirán 2 cursos en 2027."
    told = set(
        Notification.objects.filter(
            idea=canonical, payload__to=IdeaStatus.ANSWERED_ACCEPTED
        ).values_list("person_id", flat=True)
    )
    assert {world["beto"].pk, world["dani"].pk, world["carla"].pk} <= told
    actions = list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    assert actions == ["idea.merge", "idea.route", "idea.answer"]


def test_audit_entries_cannot_be_changed_in_admin(rf):
    from django.contrib.admin.sites import site

    from forum.moderation.models import AuditEntry as Model

    admin = site._registry[Model]
    request = rf.get("/")
    request.user = factories.user(is_staff=True, is_superuser=True)
    assert not admin.has_add_permission(request)
    assert not admin.has_change_permission(request)
    assert not admin.has_delete_permission(request)


def test_merge_several_at_once(world):
    mod, canonical, dup = world["mod"], world["canonical"], world["dup"]
    other = factories.idea(title="Soldadura en Talcahuano ya")
    support(other, world["dani"])
    records = services.idea_merge(canonical=canonical, merged=[dup, other], actor=mod)
    assert len(records) == 2
    canonical.refresh_from_db()
    assert canonical.support_count == 2
    assert set(Idea.objects.filter(merged_into=canonical).values_list("pk", flat=True)) == {
        dup.pk,
        other.pk,
    }
