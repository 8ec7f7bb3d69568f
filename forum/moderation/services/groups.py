"""Proposed duplicate groups kept current as ideas arrive, change and leave (docs/moderation.md).

The rule of who joins which group is the matcher's (``matcher.groups.place``: a star around the
group's canonical idea, never a chain, at most ``MAX_GROUP_SIZE``); this module applies it to
the database. Called inside the transaction of the change that moves an idea:

- ``idea_submit`` (through ``participation.handlers.on_idea_submitted``:
  ``arrival.idea_arrived``, which first merges an identical repost into its twin);
- merge, unmerge, hide, restore, a staff edit and a status change to *not admitted* (the
  moderation services call ``group_place`` / ``group_leave``).

Grouping never fails the change that triggered it: a clash with a concurrent placement (the
unique ``GroupMember.idea``) leaves the idea alone, and ``manage.py regroup`` places whatever
is left.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models import Count, Q

from forum.participation import handlers
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea

from ..index import shared_index
from ..matcher import DEFAULT_THRESHOLD, looks_like_probe
from ..matcher.groups import MAX_GROUP_SIZE, PLACE_LIMIT, identity_key, place
from ..models import DuplicateGroup, GroupMember, NotDuplicate
from .common import Actor, user_of

log = logging.getLogger(__name__)

# Statuses a member other than the canonical idea may have: those the lifecycle lets merge.
MERGEABLE = (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW)
NEVER_GROUPED = (IdeaStatus.MERGED, IdeaStatus.NOT_ADMITTED)


def groupable(idea: Idea) -> bool:
    """Visible, not merged away, not refused, not a probe/spam text."""
    return (
        idea.hidden_at is None
        and idea.merged_into_id is None
        and idea.status not in NEVER_GROUPED
        and not looks_like_probe(idea.title, idea.body)
    )


def canonical_rank(idea: Idea) -> tuple:
    """The proposed canonical idea of a group is the smallest: one that cannot be merged
    (already routed, answered…) first, then the most supported, then the earliest, then the
    most complete text."""
    return (
        idea.status in MERGEABLE,
        -idea.support_count,
        idea.created_at,
        -(len(idea.title) + len(idea.body)),
        idea.pk,
    )


def _partners(idea_id: int) -> set[int]:
    """Ideas a moderator said differ from this one."""
    rows = NotDuplicate.objects.filter(Q(idea_a_id=idea_id) | Q(idea_b_id=idea_id)).values_list(
        "idea_a_id", "idea_b_id"
    )
    return {b if a == idea_id else a for a, b in rows}


def _visible(pks: Iterable[int]) -> dict[int, Idea]:
    return {
        i.pk: i
        for i in Idea.objects.filter(pk__in=list(pks), hidden_at__isnull=True).exclude(
            status__in=NEVER_GROUPED
        )
        if groupable(i)
    }


def group_place(*, idea: Idea) -> DuplicateGroup | None:
    """Put ``idea`` where the rule says (or take it out when it may no longer be grouped);
    return its group. Writes GroupMember/DuplicateGroup rows; inside the caller's transaction."""
    try:
        with transaction.atomic():
            return _place(idea)
    except IntegrityError:  # a concurrent placement took one of the ideas first
        log.info("duplicate group placement of idea %s lost a race; left alone", idea.pk)
        return None


def groups_place_ungrouped(*, progress: Callable[[int, int], None] | None = None) -> int:
    """Place every visible idea that is in no group and may be merged (after a bulk import,
    which is not grouped row by row, or on a database older than the groups): one index query
    per idea, like an arrival; ideas already grouped stay where they are. ``progress(done,
    total)`` is called as it goes. Returns how many joined or started a group."""
    # Only ideas that may still be merged look for a place: a pair needs one, and a group takes
    # only such members, so an idea past review is grouped when one of them finds it (in the
    # demo, 450 placements instead of 1,500).
    ideas = Idea.objects.filter(
        hidden_at__isnull=True,
        merged_into__isnull=True,
        duplicate_group__isnull=True,
        status__in=MERGEABLE,
    ).order_by("pk")
    total = ideas.count()
    placed = 0
    with shared_index().held():
        for n, idea in enumerate(ideas.iterator(chunk_size=500), start=1):
            if group_place(idea=idea) is not None:
                placed += 1
            if progress is not None:
                progress(n, total)
    return placed


def _place(idea: Idea) -> DuplicateGroup | None:
    current = GroupMember.objects.filter(idea=idea).select_related("group").first()
    if not groupable(idea):
        if current:
            _leave(current)
        return None
    index = shared_index()
    if current is not None:
        group = current.group
        if group.canonical_id == idea.pk:
            return group
        if (
            idea.status in MERGEABLE
            and index.score_to(idea.title, idea.body, group.canonical_id) >= DEFAULT_THRESHOLD
        ):
            return group
        # An edit took it away from its canonical idea, or it moved on (routed…) and can no
        # longer be merged into it.
        _leave(current)
    matches = index.query(
        idea.title, idea.body, limit=PLACE_LIMIT, exclude=idea.pk, min_score=DEFAULT_THRESHOLD
    )
    ideas = _visible(int(m.key) for m in matches)
    matches = [m for m in matches if int(m.key) in ideas]
    if not matches:
        return None
    rows = GroupMember.objects.filter(idea_id__in=list(ideas)).values_list(
        "idea_id", "group_id", "group__canonical_id"
    )
    group_of = {str(i): g for i, g, _c in rows}
    canonical = {g: str(c) for _i, g, c in rows}
    members: dict[int, set[int]] = defaultdict(set)
    for g, i in GroupMember.objects.filter(group_id__in=set(canonical)).values_list(
        "group_id", "idea_id"
    ):
        members[g].add(i)
    partners = _partners(idea.pk)
    mergeable = idea.status in MERGEABLE

    def refused(group, key: str) -> bool:
        if group is None:
            # A pair needs one idea that can be merged into the other.
            return int(key) in partners or not (mergeable or ideas[int(key)].status in MERGEABLE)
        return not mergeable or bool(members[group] & partners)

    where = place(
        matches,
        group_of=group_of.get,
        canonical_of=canonical.__getitem__,
        size_of=lambda g: len(members[g]),
        score_to=lambda key: index.score_to(idea.title, idea.body, int(key)),
        refused=refused,
    )
    if where is None:
        return None
    if where.group is not None:
        group = DuplicateGroup.objects.get(pk=where.group)
        GroupMember.objects.create(group=group, idea=idea, score=where.score)
        group.save(update_fields=["updated_at"])
        return group
    partner = ideas[int(where.partner)]
    first = min((idea, partner), key=canonical_rank)
    group = DuplicateGroup.objects.create(canonical=first)
    GroupMember.objects.bulk_create(
        [
            GroupMember(group=group, idea=first, score=100.0),
            GroupMember(group=group, idea=idea if first is partner else partner, score=where.score),
        ]
    )
    return group


def group_leave(*, idea: Idea) -> None:
    """Take ``idea`` out of its group (hidden, merged away, refused). A group left with one
    idea ends; a group whose canonical idea leaves is dissolved and its members placed again."""
    current = GroupMember.objects.filter(idea=idea).select_related("group").first()
    if current is not None:
        with transaction.atomic():
            _leave(current)


def _leave(member: GroupMember) -> None:
    group = member.group
    member.delete()
    rest = list(
        Idea.objects.filter(duplicate_group__group=group).order_by("pk")
    )  # the members still there
    if len(rest) >= 2 and group.canonical_id != member.idea_id:
        group.save(update_fields=["updated_at"])
        return
    group.delete()
    if len(rest) >= 2:
        for other in rest:
            group_place(idea=other)


def group_refresh(*, idea: Idea) -> None:
    """After an edit of ``idea``'s text: it stays only where it still belongs. A canonical
    idea whose text changed dissolves its group, whose members are placed again."""
    current = GroupMember.objects.filter(idea=idea).select_related("group").first()
    if current is not None and current.group.canonical_id == idea.pk:
        with transaction.atomic():
            _leave(current)
    group_place(idea=idea)


def group_follow(target: object) -> None:
    """After an idea was hidden, restored or edited: its group follows (other content: nothing)."""
    if isinstance(target, Idea):
        group_refresh(idea=target)


# ---------------------------------------------------------------- arrival


def identical_twin(idea: Idea) -> Idea | None:
    """The earliest visible idea with the same text as ``idea`` (``identity_key``), that
    ``idea`` may be merged into."""
    if not groupable(idea):
        return None
    key = identity_key(idea.title, idea.body)
    matches = shared_index().query(
        idea.title, idea.body, limit=5, exclude=idea.pk, min_score=DEFAULT_THRESHOLD
    )
    candidates = sorted(_visible(int(m.key) for m in matches).values(), key=lambda i: i.pk)
    for other in candidates:
        if other.pk != idea.pk and identity_key(other.title, other.body) == key:
            return other
    return None


def status_changed(event: handlers.StatusChanged) -> None:
    """``participation.handlers.on_status_changed``: a refused idea leaves its group, one that
    can no longer be merged stays only as a canonical idea, one back in review is placed.

    Placement reads an idea's status through two facts only: whether it may be grouped and
    whether it may be merged. A change that keeps both (received → in review, routed → on
    the agenda → answered…) cannot move it, and is not re-placed: in the demo's history walk
    that was a quarter of the load time. Nor can a move that only takes away the right to be
    merged (in review → routed) give an idea a place it had no right to before: one in no group,
    or the canonical idea of its group, stays where it is."""
    before, after = event.from_status, event.to_status
    if (before in MERGEABLE) == (after in MERGEABLE) and (before in NEVER_GROUPED) == (
        after in NEVER_GROUPED
    ):
        return
    if before in MERGEABLE and after not in MERGEABLE and after not in NEVER_GROUPED:
        current = GroupMember.objects.filter(idea=event.idea).select_related("group").first()
        if current is None or current.group.canonical_id == event.idea.pk:
            return
    group_place(idea=event.idea)


# ---------------------------------------------------------------- moderator decisions


def not_duplicate_record(*, idea: Idea, others: Iterable[int], actor: Actor) -> None:
    """Remember that ``idea`` differs from each of ``others`` (never grouped together again)."""
    user = user_of(actor)
    rows = [
        NotDuplicate(idea_a_id=min(idea.pk, o), idea_b_id=max(idea.pk, o), actor=user)
        for o in set(others)
        if o != idea.pk
    ]
    NotDuplicate.objects.bulk_create(rows, ignore_conflicts=True)


def groups_overview() -> dict[int, int]:
    """Group id -> member count (for checks and the benchmark)."""
    return dict(DuplicateGroup.objects.annotate(n=Count("members")).values_list("pk", "n"))


__all__ = [
    "MAX_GROUP_SIZE",
    "canonical_rank",
    "group_follow",
    "group_leave",
    "group_place",
    "group_refresh",
    "groupable",
    "identical_twin",
    "not_duplicate_record",
]
