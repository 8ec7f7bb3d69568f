"""Merging duplicate ideas and undoing a merge.

Merge bookkeeping (see docs/moderation.md): supports are never deleted. When an idea is
merged, each of its supports moves to the canonical idea unless that person already supports
the canonical idea; then it stays on the merged idea, "shadowed" (the person is counted once,
on the canonical idea). The merge record lists exactly the Support ids it moved and the
IdeaCoauthor rows it created, so unmerge moves/deletes exactly those.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.text import clean_plain_text
from forum.notifications.models import Notification
from forum.notifications.services import notification_create_many
from forum.participation import selectors as participation_selectors
from forum.participation import services as participation
from forum.participation.lifecycle import (
    IdeaStatus,
    IllegalTransition,
    SystemMessage,
    check_transition,
)
from forum.participation.models import Idea, IdeaCoauthor, Support

from .. import events, index
from ..models import Merge
from .audit import audit_record
from .common import Actor, ModerationError, after_commit, idea_state, user_of


def _lock_ideas(ids: Iterable[int]) -> dict[int, Idea]:
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


def _absorb(*, canonical: Idea, merged: Idea) -> tuple[list[int], list[int]]:
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


def _recount(ideas: Iterable[Idea]) -> None:
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


def _merge_refusal(idea: Idea) -> ModerationError | None:
    if idea.merged_into_id is not None or idea.status == IdeaStatus.MERGED:
        return ModerationError(
            _("%(code)s ya está fusionada en otra idea.") % {"code": idea.formatted_code},
            code="already_merged",
        )
    try:
        check_transition(idea.status, IdeaStatus.MERGED)
    except IllegalTransition as exc:
        return _transition_error(exc, idea)
    return None


def _canonical_refusal(idea: Idea) -> ModerationError | None:
    if idea.merged_into_id is not None or idea.status == IdeaStatus.MERGED:
        return ModerationError(
            _(
                "%(code)s ya está fusionada en otra idea; elige como canónica la idea "
                "en la que quedó."
            )
            % {"code": idea.formatted_code},
            code="canonical_merged",
        )
    return None


def merge_refusal(idea: Idea) -> str | None:
    """Why ``idea`` cannot be merged into another idea now (the rule ``idea_merge`` applies),
    or None when it can. Lets a form say so before anything is tried."""
    exc = _merge_refusal(idea)
    return exc.messages[0] if exc else None


def canonical_refusal(idea: Idea) -> str | None:
    """Why ``idea`` cannot be the canonical idea of a merge, or None when it can."""
    exc = _canonical_refusal(idea)
    return exc.messages[0] if exc else None


def idea_merge_check(*, canonical: Idea, merged: Iterable[Idea]) -> None:
    """Dry run of ``idea_merge``'s status rules on the ideas as given (no lock, nothing
    written): raises the ModerationError the merge would raise."""
    for exc in (_canonical_refusal(canonical), *map(_merge_refusal, merged)):
        if exc is not None:
            raise exc


def idea_merge(
    *,
    canonical: Idea,
    merged: Iterable[Idea],
    actor: Actor,
    public_text: str | None = None,
    public_title: str | None = None,
    reason: str = "",
    expected_versions: Mapping[int, Any] | None = None,
) -> list[Merge]:
    """Merge ``merged`` ideas into ``canonical``.

    Refuses (ModerationError, nothing changed) a self-merge, an already merged idea, a merged
    canonical idea, a cycle, a status that cannot be merged, or ideas changed since
    ``expected_versions`` (``{idea_id: updated_at.isoformat()}``). Side effects: MERGED
    notifications to every author and supporter of each merged idea (outbox), ``idea.merged``
    on the moderators' group after commit, the duplicate index updated after commit.
    """
    merged_ids = [m.pk for m in merged]
    if not merged_ids:
        raise ModerationError(_("Elige al menos una idea para fusionar."), code="empty")
    if canonical.pk in merged_ids:
        raise ModerationError(_("Una idea no puede fusionarse consigo misma."), code="self")
    if len(set(merged_ids)) != len(merged_ids):
        raise ModerationError(_("Hay ideas repetidas en la fusión."), code="repeated")
    reason = clean_plain_text(reason)
    with transaction.atomic():
        locked = _lock_ideas([canonical.pk, *merged_ids])
        _check_versions(locked, expected_versions)
        target = locked[canonical.pk]
        # A cycle: the canonical idea already (transitively) lives inside one being merged.
        try:
            chain = participation_selectors.merge_chain(target)
        except participation_selectors.MergeChainError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        if any(hop.pk in merged_ids for hop in chain[1:]):
            raise ModerationError(
                _(
                    "Esa fusión formaría un ciclo: %(code)s ya está fusionada dentro de una de "
                    "las ideas elegidas."
                )
                % {"code": target.formatted_code},
                code="cycle",
            )
        idea_merge_check(canonical=target, merged=[locked[pk] for pk in merged_ids])
        before_text = {"title": target.title, "body": target.body}
        before_count = target.support_count
        new_title = clean_plain_text(public_title or "").replace("\n", " ") or target.title
        new_body = target.body if public_text is None else clean_plain_text(public_text)
        text_changed = (new_title, new_body) != (target.title, target.body)
        if text_changed:
            target.title, target.body = new_title, new_body
            try:
                target.full_clean(validate_unique=False)
            except ValidationError as exc:
                raise ModerationError(exc.messages, code="bad_text") from exc
            Idea.objects.filter(pk=target.pk).update(
                title=new_title, body=new_body, updated_at=timezone.now()
            )
        # Everyone who must hear about each merged idea, before anything moves.
        audiences = {pk: participation.idea_recipients(locked[pk]) for pk in merged_ids}
        records: list[Merge] = []
        for position, pk in enumerate(merged_ids):
            idea = locked[pk]
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
            Idea.objects.filter(pk=pk).update(merged_into=target)
            idea.merged_into = target
            moved, coauthors = _absorb(canonical=target, merged=idea)
            record = Merge(
                canonical=target,
                merged=idea,
                actor=user_of(actor),
                reason=reason,
                snapshot={
                    "status_before": status_before,
                    "moved_supports": moved,
                    "coauthors_added": coauthors,
                    # Only the first record of a multi-merge owns the text edit.
                    "canonical_text_before": before_text
                    if text_changed and position == 0
                    else None,
                    "canonical_text_after": {"title": new_title, "body": new_body}
                    if text_changed and position == 0
                    else None,
                },
            )
            record.full_clean()
            try:
                with transaction.atomic():
                    record.save()
            except IntegrityError as exc:  # a concurrent merge of the same idea won
                raise ModerationError(
                    _("%(code)s acaba de ser fusionada por otra persona.")
                    % {"code": idea.formatted_code},
                    code="already_merged",
                ) from exc
            records.append(record)
        _recount([target, *(locked[pk] for pk in merged_ids)])
        for pk in merged_ids:
            idea = locked[pk]
            notification_create_many(
                people=audiences[pk],
                kind=Notification.Kind.MERGED,
                idea=idea,
                payload={
                    "code": idea.tracking_code,
                    "canonical_code": target.tracking_code,
                    "title": idea.title[:200],
                    "canonical_title": target.title[:200],
                    "reason": reason[:1000],
                },
            )
        audit_record(
            actor=actor,
            action="idea.merge",
            target=target,
            before={
                "canonical": before_text | {"support_count": before_count},
                "merged": {
                    str(pk): {
                        "status": records[i].snapshot["status_before"],
                        "code": locked[pk].tracking_code,
                    }
                    for i, pk in enumerate(merged_ids)
                },
            },
            after={
                "canonical": {
                    "title": target.title,
                    "body": target.body,
                    "support_count": target.support_count,
                },
                "merged": {str(pk): idea_state(locked[pk]) for pk in merged_ids},
                "merge_ids": [r.pk for r in records],
            },
            reason=reason,
        )
        publish_on_commit(
            events.MODERATION_GROUP,
            events.idea_merged(canonical_id=target.pk, merged_ids=merged_ids),
        )
        for pk in merged_ids:
            after_commit(index.index_remove, pk)
        if text_changed:
            after_commit(index.index_add, target.pk, target.title, target.body)
    canonical.refresh_from_db()
    for m in merged:
        m.refresh_from_db()
    return records


def _reconcile(canonical: Idea) -> None:
    """After an unmerge, let the ideas still merged into ``canonical`` fill what left.

    A person whose support stayed shadowed on a merged idea (because the canonical idea had
    it from the idea just unmerged) now moves to the canonical idea, and missing co-authors
    come back; each merge record notes what it moved, so its own unmerge stays exact.
    """
    for record in Merge.objects.filter(canonical=canonical, undone_at__isnull=True).order_by("pk"):
        moved, coauthors = _absorb(canonical=canonical, merged=record.merged)
        if moved or coauthors:
            snap = dict(record.snapshot)
            snap["moved_supports"] = [*snap.get("moved_supports", []), *moved]
            snap["coauthors_added"] = [*snap.get("coauthors_added", []), *coauthors]
            Merge.objects.filter(pk=record.pk).update(snapshot=snap)


def idea_unmerge(*, merged_idea: Idea, actor: Actor, reason: str) -> Idea:
    """Undo the live merge of ``merged_idea``: supports, co-authors, status and (if that merge
    edited it and nobody changed it since) the canonical text go back exactly.

    Refuses an idea that is not merged, or whose canonical idea is itself merged (undo that
    first). Side effects: UNMERGED notifications, ``idea.unmerged`` after commit, index.
    """
    reason = clean_plain_text(reason)
    if not reason:
        raise ModerationError(_("Indica el motivo para deshacer la fusión."), code="reason")
    with transaction.atomic():
        record = (
            Merge.objects.filter(merged_id=merged_idea.pk, undone_at__isnull=True)
            .order_by("-pk")
            .first()
        )
        if record is None:
            raise ModerationError(
                _("%(code)s no está fusionada.") % {"code": merged_idea.formatted_code},
                code="not_merged",
            )
        locked = _lock_ideas([record.canonical_id, record.merged_id])
        idea, canonical = locked[record.merged_id], locked[record.canonical_id]
        record = Merge.objects.select_for_update().get(pk=record.pk)
        if record.undone_at is not None or idea.merged_into_id != canonical.pk:
            raise ModerationError(
                _("%(code)s no está fusionada.") % {"code": idea.formatted_code},
                code="not_merged",
            )
        if canonical.merged_into_id is not None:
            raise ModerationError(
                _(
                    "La idea canónica %(code)s está a su vez fusionada en otra; deshaz primero esa "
                    "fusión."
                )
                % {"code": canonical.formatted_code},
                code="canonical_merged",
            )
        snap = record.snapshot
        before = {"merged": idea_state(idea), "canonical": idea_state(canonical)}
        Support.objects.filter(pk__in=snap.get("moved_supports", []), idea=canonical).update(
            idea=idea
        )
        IdeaCoauthor.objects.filter(pk__in=snap.get("coauthors_added", []), idea=canonical).delete()
        text_restored = False
        text_after = snap.get("canonical_text_after")
        text_before = snap.get("canonical_text_before")
        if (
            text_after
            and text_before
            and ({"title": canonical.title, "body": canonical.body} == text_after)
        ):
            Idea.objects.filter(pk=canonical.pk).update(
                title=text_before["title"], body=text_before["body"], updated_at=timezone.now()
            )
            canonical.title, canonical.body = text_before["title"], text_before["body"]
            text_restored = True
        Idea.objects.filter(pk=idea.pk).update(merged_into=None)
        idea.merged_into = None
        status_before = snap.get("status_before") or IdeaStatus.RECEIVED
        participation.idea_transition_reserved(
            by="idea_unmerge",
            idea=idea,
            to_status=status_before,
            actor=actor,
            system_message=SystemMessage.MERGE_UNDONE,
            system_params={"code": canonical.formatted_code},
            related_idea=canonical,
            notify=False,
        )
        Merge.objects.filter(pk=record.pk).update(
            undone_at=timezone.now(), undone_by=user_of(actor)
        )
        _reconcile(canonical)
        _recount([canonical, idea])
        notification_create_many(
            people=participation.idea_recipients(idea),
            kind=Notification.Kind.UNMERGED,
            idea=idea,
            payload={
                "code": idea.tracking_code,
                "canonical_code": canonical.tracking_code,
                "title": idea.title[:200],
                "to": status_before,
                "reason": reason[:1000],
            },
        )
        audit_record(
            actor=actor,
            action="idea.unmerge",
            target=idea,
            before=before,
            after={
                "merged": idea_state(idea),
                "canonical": idea_state(canonical),
                "merge_id": record.pk,
                "canonical_text_restored": text_restored,
            },
            reason=reason,
        )
        publish_on_commit(
            events.MODERATION_GROUP,
            events.idea_unmerged(idea_id=idea.pk, canonical_id=canonical.pk),
        )
        if idea.hidden_at is None:
            after_commit(index.index_add, idea.pk, idea.title, idea.body)
        if text_restored:
            after_commit(index.index_add, canonical.pk, canonical.title, canonical.body)
    merged_idea.refresh_from_db()
    return merged_idea
