"""Proposed duplicate groups follow ideas as they arrive, change and leave; identical reposts are
merged on arrival by the system, and the author can undo it."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forum.moderation import index, services
from forum.moderation.models import AuditEntry, DuplicateGroup, GroupMember, Merge, NotDuplicate
from forum.moderation.services import ModerationError, arrival, groups
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus, IllegalTransition
from forum.participation.models import Idea
from forum.participation.services.common import ParticipationError
from tests import factories
from tests.moderation.moderation_helpers import _fresh_index, moderator  # noqa: F401

pytestmark = pytest.mark.django_db

OTEC = [
    (
        "Fiscalizar la calidad de las OTEC en el Biobío",
        "Los cursos de capacitación de las OTEC son de mala calidad y nadie los fiscaliza.",
    ),
    (
        "Fiscalizar de verdad la calidad de las OTEC del Biobío",
        "Nadie fiscaliza la calidad de los cursos de capacitación de las OTEC.",
    ),
    (
        "Más fiscalización a las OTEC en Biobío",
        "La calidad de los cursos de las OTEC es mala; hay que fiscalizar.",
    ),
]
BIKE = [
    (
        "Ciclovía segura en avenida Pedro de Valdivia",
        "Pedimos una ciclovía protegida en Pedro de Valdivia en Concepción.",
    ),
    (
        "Ciclovía protegida en Pedro de Valdivia",
        "Una ciclovía segura y protegida en avenida Pedro de Valdivia, Concepción.",
    ),
]
OTHER = (
    "Más horas de atención en el consultorio de Lota",
    "El consultorio de Lota cierra temprano.",
)
TEXTS = [*OTEC, *BIKE, OTHER]


def _idea(text, **kw):
    title, body = text
    return factories.idea(title=title, body=body, **kw)


def _members(idea) -> set[int]:
    m = GroupMember.objects.filter(idea=idea).first()
    if m is None:
        return set()
    return set(GroupMember.objects.filter(group_id=m.group_id).values_list("idea_id", flat=True))


def test_similar_ideas_form_one_group_and_different_ones_stay_apart():
    a, b = _idea(OTEC[0]), _idea(OTEC[1])
    bike = _idea(BIKE[0])
    c = _idea(OTEC[2])
    lone = _idea(OTHER)
    assert _members(a) == {a.pk, b.pk, c.pk}
    assert _members(bike) == set()
    assert _members(lone) == set()
    group = DuplicateGroup.objects.get()
    assert group.canonical_id == a.pk  # same supports: the earliest


def test_the_proposed_canonical_is_the_most_supported():
    mod = moderator()
    a = _idea(OTEC[0])
    services.content_hide(target=a, actor=mod, reason="revisar")
    b = _idea(OTEC[1])
    participation.support_add(idea=b, person=factories.person())
    services.content_restore(target=a, actor=mod, reason="ok")  # a arrives back: pairs with b
    assert DuplicateGroup.objects.get().canonical_id == b.pk


def test_hidden_and_merged_ideas_leave_and_unmerged_come_back():
    mod = moderator()
    a, b, c = (_idea(t) for t in OTEC)
    services.content_hide(target=c, actor=mod, reason="spam")
    assert _members(a) == {a.pk, b.pk}
    services.content_restore(target=c, actor=mod, reason="ok")
    assert _members(a) == {a.pk, b.pk, c.pk}
    services.idea_merge(canonical=a, merged=[b, c], actor=mod)
    assert not GroupMember.objects.exists()
    services.idea_unmerge(merged_idea=b, actor=mod, reason="no eran iguales")
    assert _members(a) == {a.pk, b.pk}


def test_the_canonical_leaving_dissolves_and_the_others_regroup():
    mod = moderator()
    a, b, c = (_idea(t) for t in OTEC)
    services.content_hide(target=a, actor=mod, reason="spam")
    assert _members(b) == {b.pk, c.pk}
    assert DuplicateGroup.objects.get().canonical_id == b.pk


def test_a_dropped_member_is_not_proposed_with_that_group_again():
    mod = moderator()
    a, b, c = (_idea(t) for t in OTEC)
    services.group_drop_member(group=DuplicateGroup.objects.get(), idea=c, actor=mod)
    assert _members(a) == {a.pk, b.pk}
    assert NotDuplicate.objects.count() == 2
    services.group_place(idea=c)
    assert _members(c) == set()


def test_probes_are_never_grouped_with_real_ideas():
    _idea(OTEC[0])
    probe = factories.idea(title="test", body="prueba prueba")
    assert _members(probe) == set()


# ---------------------------------------------------------------- merged on arrival


def test_an_identical_repost_is_merged_by_the_system_and_audited():
    first = _idea(OTEC[0])
    supporter = factories.person()
    repost = factories.idea(
        title=OTEC[0][0].upper() + "!", body="  " + OTEC[0][1].replace("Los", "los")
    )
    assert repost.merged_into_id == first.pk
    assert repost.status == IdeaStatus.MERGED
    record = Merge.objects.get(merged=repost)
    assert record.actor is None
    assert record.snapshot["auto"] is True
    entry = AuditEntry.objects.get(action="idea.merge")
    assert entry.actor is None
    assert entry.after["auto"] is True
    # Supports made afterwards through the merged idea land on the canonical one.
    participation.support_add(idea=repost, person=supporter)
    first.refresh_from_db()
    assert first.support_count == 1


def test_auto_merge_can_be_switched_off_and_refused_by_the_person(settings):
    first = _idea(OTEC[0])
    kept = factories.idea(title=OTEC[0][0], body=OTEC[0][1], auto_merge=False)
    assert kept.merged_into_id is None
    assert _members(first) == {first.pk, kept.pk}
    settings.AUTO_MERGE_IDENTICAL = False
    again = _idea(OTEC[0])
    assert again.merged_into_id is None


def test_the_author_declares_their_idea_distinct():
    first = _idea(OTEC[0])
    author = factories.person()
    repost = _idea(OTEC[0], author=author)
    assert repost.merged_into_id == first.pk
    with pytest.raises(ModerationError):
        arrival.idea_declare_distinct(idea=repost, person=factories.person())
    arrival.idea_declare_distinct(idea=repost, person=author)
    repost.refresh_from_db()
    assert repost.merged_into_id is None
    assert repost.status == IdeaStatus.RECEIVED
    assert _members(first) == {first.pk, repost.pk}  # a moderator decides
    with pytest.raises(ModerationError):
        arrival.idea_declare_distinct(idea=repost, person=author)


def test_a_moderator_undoes_a_system_merge_like_any_other():
    first = _idea(OTEC[0])
    repost = _idea(OTEC[0])
    services.idea_unmerge(merged_idea=repost, actor=moderator(), reason="no")
    repost.refresh_from_db()
    assert repost.merged_into_id is None
    assert first.pk in _members(repost)


# ---------------------------------------------------------------- any sequence

# Where a status move may take an idea (routing goes through its own service).
MOVES = [
    IdeaStatus.IN_REVIEW,
    IdeaStatus.NOT_ADMITTED,
    IdeaStatus.ROUTED,
    IdeaStatus.ON_AGENDA,
    IdeaStatus.ANSWERED_ACCEPTED,
]


def _move(idea: Idea, to_status: str, actor) -> None:
    if to_status == IdeaStatus.ROUTED:
        participation.idea_route(idea=idea, council=factories.council(), actor=actor)
    else:
        participation.idea_transition(
            idea=idea, to_status=to_status, actor=actor, public_message="Respuesta del consejo."
        )


ops = st.lists(
    st.one_of(
        st.tuples(st.just("arrive"), st.integers(0, len(TEXTS) - 1), st.integers(0, 7)),
        st.tuples(st.sampled_from(["hide", "restore", "unmerge", "drop"]), st.integers(0, 7)),
        st.tuples(st.just("merge"), st.integers(0, 7), st.integers(0, 7)),
        st.tuples(st.just("edit"), st.integers(0, 7), st.integers(0, len(TEXTS) - 1)),
        st.tuples(st.just("move"), st.integers(0, 7), st.integers(0, len(MOVES) - 1)),
    ),
    max_size=14,
)


def _check_invariants() -> None:
    for g in DuplicateGroup.objects.all():
        members = list(Idea.objects.filter(duplicate_group__group=g))
        assert len(members) >= 2, "a group of one is no group"
        assert g.canonical_id in {m.pk for m in members}
        for m in members:
            assert m.hidden_at is None
            assert m.merged_into_id is None
            assert m.status not in (IdeaStatus.MERGED, IdeaStatus.NOT_ADMITTED)
            assert groups.groupable(m)
            if m.pk != g.canonical_id:
                assert m.status in groups.MERGEABLE
    for member in GroupMember.objects.all():
        assert member.score >= 52
    # A pair a moderator separated is never in one group.
    for nd in NotDuplicate.objects.all():
        a = GroupMember.objects.filter(idea_id=nd.idea_a_id).first()
        b = GroupMember.objects.filter(idea_id=nd.idea_b_id).first()
        assert not (a and b and a.group_id == b.group_id)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=ops)
def test_any_sequence_keeps_every_idea_in_at_most_one_clean_group(operations):
    index.shared_index().reset()
    with transaction.atomic():
        mod = moderator()
        ideas: list[Idea] = []
        for op in operations:
            kind = op[0]
            try:
                if kind == "arrive":
                    title, body = TEXTS[op[1]]
                    ideas.append(factories.idea(title=title, body=body, auto_merge=op[2] % 2 == 0))
                    continue
                if not ideas:
                    continue
                idea = ideas[op[1] % len(ideas)]
                idea.refresh_from_db()
                if kind == "hide":
                    services.content_hide(target=idea, actor=mod, reason="x")
                elif kind == "restore":
                    services.content_restore(target=idea, actor=mod, reason="x")
                elif kind == "unmerge":
                    services.idea_unmerge(merged_idea=idea, actor=mod, reason="x")
                elif kind == "drop":
                    member = GroupMember.objects.filter(idea=idea).first()
                    if member:
                        services.group_drop_member(group=member.group, idea=idea, actor=mod)
                elif kind == "merge":
                    other = ideas[op[2] % len(ideas)]
                    services.idea_merge(canonical=other, merged=[idea], actor=mod)
                elif kind == "edit":
                    idea.title, idea.body = TEXTS[op[2]]
                    services.idea_edit(idea=idea, fields=["title", "body"], actor=mod)
                elif kind == "move":
                    _move(idea, MOVES[op[2]], mod)
            except (ModerationError, IllegalTransition, ParticipationError):
                pass
            _check_invariants()
        _check_invariants()
        transaction.set_rollback(True)
    index.shared_index().reset()


def test_a_status_move_that_keeps_the_idea_mergeable_or_not_leaves_its_group_alone(monkeypatch):
    """Routed → on the agenda → answered: the canonical idea keeps its group, and nothing is
    looked up again for a move that cannot change where the idea belongs."""
    mod = moderator()
    a, b = _idea(OTEC[0]), _idea(OTEC[1])
    lone = _idea(OTHER)
    looked_up = []
    real_query = index.shared_index().query

    def counted(*args, **kwargs):
        looked_up.append(args)
        return real_query(*args, **kwargs)

    monkeypatch.setattr(index.shared_index(), "query", counted)
    _move(a, IdeaStatus.IN_REVIEW, mod)
    _move(a, IdeaStatus.ROUTED, mod)
    assert _members(a) == {a.pk, b.pk}  # the routed canonical keeps its mergeable member
    _move(lone, IdeaStatus.IN_REVIEW, mod)
    _move(lone, IdeaStatus.ROUTED, mod)  # in no group, and now less mergeable than before
    assert _members(lone) == set()
    _move(a, IdeaStatus.ON_AGENDA, mod)
    _move(a, IdeaStatus.ANSWERED_ACCEPTED, mod)
    assert _members(a) == {a.pk, b.pk}
    assert looked_up == []
    # A member that may no longer be merged leaves its group (refused, or routed on its own).
    c = _idea(OTEC[2])
    assert _members(a) == {a.pk, b.pk, c.pk}
    _move(b, IdeaStatus.NOT_ADMITTED, mod)
    assert _members(a) == {a.pk, c.pk}
    _move(c, IdeaStatus.IN_REVIEW, mod)
    _move(c, IdeaStatus.ROUTED, mod)
    assert _members(a) == set()


def test_imports_are_grouped_afterwards_by_regroup():
    a = factories.idea(title=OTEC[0][0], body=OTEC[0][1], channel="import")
    b = factories.idea(title=OTEC[1][0], body=OTEC[1][1], channel="import")
    assert not GroupMember.objects.exists()
    out = io.StringIO()
    call_command("regroup", stdout=out)
    assert _members(a) == {a.pk, b.pk}
    assert "1 grupos en total" in out.getvalue()


def test_a_batch_is_merged_and_grouped_afterwards_not_on_arrival():
    """The demo's load (and any batch) submits with ``batch=True``: no merge, no group on
    arrival; ``groups_place_ungrouped`` then proposes the groups once every idea stands where it
    ends, an idea already routed included when a waiting idea resembles it."""
    mod = moderator()
    routed = _idea(OTEC[0], batch=True)
    same = _idea(OTEC[0], batch=True)  # word for word: not merged on arrival in a batch
    later = _idea(OTEC[1], batch=True)
    bike_a, bike_b = _idea(BIKE[0], batch=True), _idea(BIKE[1], batch=True)
    assert not GroupMember.objects.exists()
    same.refresh_from_db()
    assert same.merged_into_id is None
    _move(routed, IdeaStatus.IN_REVIEW, mod)
    _move(routed, IdeaStatus.ROUTED, mod)
    _move(bike_a, IdeaStatus.NOT_ADMITTED, mod)
    assert groups.groups_place_ungrouped() == 2  # the two waiting ideas found their place
    # The routed idea is proposed as canonical of the waiting ones that resemble it.
    assert _members(routed) == {routed.pk, same.pk, later.pk}
    assert DuplicateGroup.objects.get(canonical=routed)
    # A refused idea is grouped with nothing; its look-alike waits alone.
    assert _members(bike_a) == set()
    assert _members(bike_b) == set()
