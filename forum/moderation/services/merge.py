"""Merging duplicate ideas and undoing a merge.

Merge bookkeeping (see docs/moderation.md): supports are never deleted. When an idea is
merged, each of its supports moves to the canonical idea unless that person already supports
the canonical idea; then it stays on the merged idea, "shadowed" (the person is counted once,
on the canonical idea). The merge record lists exactly the Support ids it moved and the
IdeaCoauthor rows it created, so unmerge moves/deletes exactly those.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.notifications.kinds import Merged
from forum.notifications.services import notification_create_many
from forum.participation import selectors as participation_selectors
from forum.participation import services as participation
from forum.participation.lifecycle import (
    IdeaStatus,
    IllegalTransition,
    SystemMessage,
    check_transition,
)
from forum.participation.models import Idea, IdeaCoauthor, Person, Support

from .. import events, index
from ..models import Merge
from .audit import audit_record
from .common import Actor, ModerationError, after_commit, idea_state, user_of
from .groups import group_leave, group_refresh


def lock_ideas(ids: Iterable[int]) -> dict[int, Idea]:
    """Lock rows in id order (every merge locks in the same order: no deadlock)."""
    wanted = sorted(set(ids))
    rows = Idea.objects.select_for_update().filter(pk__in=wanted).order_by("pk")
    locked = {i.pk: i for i in rows}
    missing = [i for i in wanted if i not in locked]
    if missing:
        raise ModerationError(_("Una de las ideas ya no existe."), code="missing")
    return locked


def _check_versions(locked: Mapping[int, Idea], expected: Mapping[int, Any] | None) -> None:
    if not expected:
        return
    for pk, version in expected.items():
        idea = locked.get(int(pk))
        if idea is None:
            continue
        current = idea.updated_at.isoformat()
        if str(version) != current:
            raise ModerationError(
                _(
                    "La idea %(code)s cambió mientras la revisabas (otra persona la modificó). "
                    "Vuelve a cargar la página y revisa de nuevo."
                )
                % {"code": idea.formatted_code},
                code="stale",
            )


def _idea_people(idea: Idea) -> set[int]:
    """Author and co-authors of an idea (person ids)."""
    ids = set(IdeaCoauthor.objects.filter(idea=idea).values_list("person_id", flat=True))
    if idea.author_id:
        ids.add(idea.author_id)
    return ids


def absorb(*, canonical: Idea, merged: Idea) -> tuple[list[int], list[int]]:
    """Move what ``merged`` brings into ``canonical``; return (moved support ids, coauthor ids).

    Supports of people who already support the canonical idea stay where they are.
    """
    on_canonical = set(Support.objects.filter(idea=canonical).values_list("person_id", flat=True))
    movable = list(
        Support.objects.filter(idea=merged)
        .exclude(person_id__in=on_canonical)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if movable:
        Support.objects.filter(pk__in=movable).update(idea=canonical)
    present = _idea_people(canonical)
    added: list[int] = []
    for person_id in sorted(_idea_people(merged) - present):
        co = IdeaCoauthor.objects.create(idea=canonical, person_id=person_id, via_idea=merged)
        added.append(co.pk)
    return movable, added


def recount(ideas: Iterable[Idea]) -> None:
    ideas = list(ideas)
    participation.ideas_recount_supports(ideas=ideas)
    counts = dict(
        Idea.objects.filter(pk__in=[i.pk for i in ideas]).values_list("pk", "support_count")
    )
    for idea in ideas:
        idea.support_count = counts.get(idea.pk, idea.support_count)


def _transition_error(exc: IllegalTransition, idea: Idea) -> ModerationError:
    return ModerationError(
        _("No se puede fusionar %(code)s: %(why)s") % {"code": idea.formatted_code, "why": exc},
        code="illegal_status",
    )


# ---------------------------------------------------------------- the rule


def merge_refusal(idea: Idea, *, as_canonical: bool = False) -> ModerationError | None:
    """The one rule of who may take part in a merge: why ``idea`` cannot now be merged into
    another idea (or, ``as_canonical``, be the idea others are merged into); None when it can.

    ``idea_merge_check`` raises it; the merge form shows its message (``.messages[0]``) beside
    the idea before anything is tried. The code says which refusal: ``already_merged``,
    ``canonical_merged`` or ``illegal_status``."""
    if idea.merged_into_id is not None or idea.status == IdeaStatus.MERGED:
        if as_canonical:
            return ModerationError(
                _(
                    "%(code)s ya está fusionada en otra idea; elige como canónica la idea "
                    "en la que quedó."
                )
                % {"code": idea.formatted_code},
                code="canonical_merged",
            )
        return ModerationError(
            _("%(code)s ya está fusionada en otra idea.") % {"code": idea.formatted_code},
            code="already_merged",
        )
    if as_canonical:
        return None
    try:
        check_transition(idea.status, IdeaStatus.MERGED)
    except IllegalTransition as exc:
        return _transition_error(exc, idea)
    return None


# ---------------------------------------------------------------- check


@dataclass(frozen=True)
class MergePlan:
    """A merge ``idea_merge_check`` found valid: the ideas (as read, locked by the caller),
    the canonical idea's public text after it and whether that differs from its text now."""

    canonical: Idea
    merged: list[Idea]
    title: str
    body: str
    text_changed: bool


def _check_request(canonical: Idea, merged_ids: list[int]) -> None:
    if not merged_ids:
        raise ModerationError(_("Elige al menos una idea para fusionar."), code="empty")
    if canonical.pk in merged_ids:
        raise ModerationError(_("Una idea no puede fusionarse consigo misma."), code="self")
    if len(set(merged_ids)) != len(merged_ids):
        raise ModerationError(_("Hay ideas repetidas en la fusión."), code="repeated")


def _check_no_cycle(canonical: Idea, merged_ids: list[int]) -> None:
    """The canonical idea must not already (transitively) live inside one being merged."""
    try:
        chain = participation_selectors.merge_chain(canonical)
    except participation_selectors.MergeChainError as exc:
        raise ModerationError(exc.messages[0], code=exc.code) from exc
    if any(hop.pk in merged_ids for hop in chain[1:]):
        raise ModerationError(
            _(
                "Esa fusión formaría un ciclo: %(code)s ya está fusionada dentro de una de "
                "las ideas elegidas."
            )
            % {"code": canonical.formatted_code},
            code="cycle",
        )


def _checked_text(
    canonical: Idea, public_title: str | None, public_text: str | None
) -> tuple[str, str]:
    title = clean_plain_text(public_title or "").replace("\n", " ") or canonical.title
    body = canonical.body if public_text is None else clean_plain_text(public_text)
    if (title, body) != (canonical.title, canonical.body):
        edited = copy.copy(canonical)
        edited.title, edited.body = title, body
        try:
            full_clean(edited, validate_unique=False)
        except ValidationError as exc:
            raise ModerationError(exc.messages, code="bad_text") from exc
    return title, body


def idea_merge_check(
    *,
    canonical: Idea,
    merged: Sequence[Idea],
    public_title: str | None = None,
    public_text: str | None = None,
) -> MergePlan:
    """``idea_merge``'s check step: raises the ModerationError the merge would raise for these
    ideas as given (a self-merge, repeats, a cycle, ``merge_refusal``, an invalid new text), or
    returns the plan. Writes nothing; reads the canonical idea's merge chain."""
    merged_ids = [m.pk for m in merged]
    _check_request(canonical, merged_ids)
    _check_no_cycle(canonical, merged_ids)
    refusals = [merge_refusal(canonical, as_canonical=True), *map(merge_refusal, merged)]
    for refusal in refusals:
        if refusal is not None:
            raise refusal
    title, body = _checked_text(canonical, public_title, public_text)
    return MergePlan(
        canonical=canonical,
        merged=list(merged),
        title=title,
        body=body,
        text_changed=(title, body) != (canonical.title, canonical.body),
    )


# ---------------------------------------------------------------- write


def idea_merge(
    *,
    canonical: Idea,
    merged: Iterable[Idea],
    actor: Actor,
    public_text: str | None = None,
    public_title: str | None = None,
    reason: str = "",
    expected_versions: Mapping[int, Any] | None = None,
    auto: bool = False,
) -> list[Merge]:
    """Merge ``merged`` ideas into ``canonical``. ``auto``: the system's merge of an identical
    repost on arrival (``actor`` None; recorded in the merge record and the audit entry; the
    intake tells the author itself, so no MERGED notice).

    Refuses (ModerationError, nothing changed) what ``idea_merge_check`` refuses, or ideas
    changed since ``expected_versions`` (``{idea_id: updated_at.isoformat()}``). Side effects:
    MERGED notifications to every author and supporter of each merged idea (outbox),
    ``idea.merged`` on the moderators' group after commit, the duplicate index updated after
    commit.
    """
    merged = list(merged)
    merged_ids = [m.pk for m in merged]
    _check_request(canonical, merged_ids)
    reason = clean_plain_text(reason)
    with transaction.atomic():
        locked = lock_ideas([canonical.pk, *merged_ids])
        _check_versions(locked, expected_versions)
        plan = idea_merge_check(
            canonical=locked[canonical.pk],
            merged=[locked[pk] for pk in merged_ids],
            public_title=public_title,
            public_text=public_text,
        )
        records = _do_merge(plan, actor=actor, reason=reason, auto=auto)
    canonical.refresh_from_db()
    for m in merged:
        m.refresh_from_db()
    return records


def _do_merge(plan: MergePlan, *, actor: Actor, reason: str, auto: bool = False) -> list[Merge]:
    """``idea_merge``'s write step, inside its transaction, on the locked ideas of ``plan``."""
    target = plan.canonical
    text_before = {"title": target.title, "body": target.body}
    count_before = target.support_count
    text_changed = plan.text_changed
    if text_changed:
        target.title, target.body = plan.title, plan.body
        Idea.objects.filter(pk=target.pk).update(
            title=plan.title, body=plan.body, updated_at=timezone.now()
        )
    # Everyone who must hear about each merged idea, before anything moves.
    audiences = {idea.pk: participation.idea_recipients(idea) for idea in plan.merged}
    records = [
        _merge_one(
            target,
            idea,
            actor=actor,
            reason=reason,
            text_before=text_before if text_changed and position == 0 else None,
            auto=auto,
        )
        for position, idea in enumerate(plan.merged)
    ]
    recount([target, *plan.merged])
    for idea in plan.merged:
        if not auto:
            _notify_merged(idea, target, people=audiences[idea.pk], reason=reason)
        group_leave(idea=idea)
    if text_changed:
        group_refresh(idea=target)
    _audit_merge(
        plan,
        records,
        before=text_before | {"support_count": count_before},
        actor=actor,
        reason=reason,
        auto=auto,
    )
    merged_ids = [idea.pk for idea in plan.merged]
    publish_on_commit(
        events.MODERATION_GROUP,
        events.idea_merged(canonical_id=target.pk, merged_ids=merged_ids),
    )
    for pk in merged_ids:
        after_commit(index.index_remove, pk)
    if text_changed:
        after_commit(index.index_add, target.pk, target.title, target.body)
    return records


def _merge_one(
    target: Idea,
    idea: Idea,
    *,
    actor: Actor,
    reason: str,
    text_before: dict | None,
    auto: bool = False,
) -> Merge:
    """Merge one idea into ``target``: status, link, supports and co-authors, and its record.
    ``text_before``: the canonical text this merge replaced (only the first record of a
    multi-merge owns the text edit)."""
    status_before = idea.status
    try:
        participation.idea_transition_reserved(
            by="idea_merge",
            idea=idea,
            to_status=IdeaStatus.MERGED,
            actor=actor,
            system_message=SystemMessage.MERGED,
            system_params={"code": target.formatted_code},
            related_idea=target,
            notify=False,
        )
    except IllegalTransition as exc:
        raise _transition_error(exc, idea) from exc
    Idea.objects.filter(pk=idea.pk).update(merged_into=target)
    idea.merged_into = target
    participation.idea_history_note(
        idea=target,
        actor=actor,
        system_message=SystemMessage.ABSORBED,
        system_params={"code": idea.formatted_code},
        related_idea=idea,
    )
    moved, coauthors = absorb(canonical=target, merged=idea)
    record = Merge(
        canonical=target,
        merged=idea,
        actor=user_of(actor),
        reason=reason,
        snapshot={
            "status_before": status_before,
            "moved_supports": moved,
            "coauthors_added": coauthors,
            "canonical_text_before": text_before,
            "canonical_text_after": {"title": target.title, "body": target.body}
            if text_before
            else None,
            "auto": auto,
        },
    )
    full_clean(record)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:  # a concurrent merge of the same idea won
        raise ModerationError(
            _("%(code)s acaba de ser fusionada por otra persona.") % {"code": idea.formatted_code},
            code="already_merged",
        ) from exc
    return record


def _notify_merged(idea: Idea, target: Idea, *, people: list[Person], reason: str) -> None:
    notification_create_many(
        people=people,
        idea=idea,
        notice=Merged(
            code=idea.tracking_code,
            canonical_code=target.tracking_code,
            title=idea.title[:200],
            canonical_title=target.title[:200],
            reason=reason[:1000],
        ),
    )


def _audit_merge(
    plan: MergePlan,
    records: list[Merge],
    *,
    before: dict,
    actor: Actor,
    reason: str,
    auto: bool = False,
) -> None:
    target = plan.canonical
    audit_record(
        actor=actor,
        action="idea.merge",
        target=target,
        before={
            "canonical": before,
            "merged": {
                str(idea.pk): {
                    "status": record.snapshot["status_before"],
                    "code": idea.tracking_code,
                }
                for idea, record in zip(plan.merged, records, strict=True)
            },
        },
        after={
            "canonical": {
                "title": target.title,
                "body": target.body,
                "support_count": target.support_count,
            },
            "merged": {str(idea.pk): idea_state(idea) for idea in plan.merged},
            "merge_ids": [r.pk for r in records],
            **({"auto": True} if auto else {}),
        },
        reason=reason,
    )
