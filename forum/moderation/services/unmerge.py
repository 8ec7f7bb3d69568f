"""Undoing a merge: supports, co-authors, status and text go back exactly (see ``merge``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.text import clean_plain_text
from forum.notifications.kinds import Unmerged
from forum.notifications.services import notification_create_many
from forum.participation import services as participation
from forum.participation.lifecycle import IdeaStatus, SystemMessage
from forum.participation.models import Idea, IdeaCoauthor, Support

from .. import events, index
from ..models import Merge
from .audit import audit_record
from .common import Actor, ModerationError, after_commit, idea_state, user_of
from .groups import group_place, group_refresh
from .merge import absorb, lock_ideas, recount


def _reconcile(canonical: Idea) -> None:
    """After an unmerge, let the ideas still merged into ``canonical`` fill what left.

    A person whose support stayed shadowed on a merged idea (because the canonical idea had
    it from the idea just unmerged) now moves to the canonical idea, and missing co-authors
    come back; each merge record notes what it moved, so its own unmerge stays exact.
    """
    for record in Merge.objects.filter(canonical=canonical, undone_at__isnull=True).order_by("pk"):
        moved, coauthors = absorb(canonical=canonical, merged=record.merged)
        if moved or coauthors:
            snap = dict(record.snapshot)
            snap["moved_supports"] = [*snap.get("moved_supports", []), *moved]
            snap["coauthors_added"] = [*snap.get("coauthors_added", []), *coauthors]
            Merge.objects.filter(pk=record.pk).update(snapshot=snap)


@dataclass(frozen=True)
class UnmergePlan:
    """The live merge ``idea_unmerge_check`` found undoable, with its two ideas locked."""

    record: Merge
    idea: Idea
    canonical: Idea


def _not_merged(idea: Idea) -> ModerationError:
    return ModerationError(
        _("%(code)s no está fusionada.") % {"code": idea.formatted_code}, code="not_merged"
    )


def idea_unmerge_check(*, merged_idea: Idea) -> UnmergePlan:
    """``idea_unmerge``'s check step, inside its transaction: locks the merge record and both
    ideas, and raises ModerationError for an idea that is not merged, or whose canonical idea
    is itself merged (undo that first). Writes nothing."""
    record = (
        Merge.objects.filter(merged_id=merged_idea.pk, undone_at__isnull=True)
        .order_by("-pk")
        .first()
    )
    if record is None:
        raise _not_merged(merged_idea)
    locked = lock_ideas([record.canonical_id, record.merged_id])
    idea, canonical = locked[record.merged_id], locked[record.canonical_id]
    record = Merge.objects.select_for_update().get(pk=record.pk)
    if record.undone_at is not None or idea.merged_into_id != canonical.pk:
        raise _not_merged(idea)
    if canonical.merged_into_id is not None:
        raise ModerationError(
            _(
                "La idea canónica %(code)s está a su vez fusionada en otra; deshaz primero esa "
                "fusión."
            )
            % {"code": canonical.formatted_code},
            code="canonical_merged",
        )
    return UnmergePlan(record=record, idea=idea, canonical=canonical)


def idea_unmerge(*, merged_idea: Idea, actor: Actor, reason: str) -> Idea:
    """Undo the live merge of ``merged_idea``: supports, co-authors, status and (if that merge
    edited it and nobody changed it since) the canonical text go back exactly.

    Refuses what ``idea_unmerge_check`` refuses, and an empty reason. Side effects: UNMERGED
    notifications, ``idea.unmerged`` after commit, index.
    """
    reason = clean_plain_text(reason)
    if not reason:
        raise ModerationError(_("Indica el motivo para deshacer la fusión."), code="reason")
    with transaction.atomic():
        plan = idea_unmerge_check(merged_idea=merged_idea)
        _do_unmerge(plan, actor=actor, reason=reason)
    merged_idea.refresh_from_db()
    return merged_idea


def _restore_canonical_text(canonical: Idea, snap: dict) -> bool:
    """Put back the canonical text the merge replaced, unless someone edited it since."""
    text_after = snap.get("canonical_text_after")
    text_before = snap.get("canonical_text_before")
    if not (text_after and text_before):
        return False
    if {"title": canonical.title, "body": canonical.body} != text_after:
        return False
    Idea.objects.filter(pk=canonical.pk).update(
        title=text_before["title"], body=text_before["body"], updated_at=timezone.now()
    )
    canonical.title, canonical.body = text_before["title"], text_before["body"]
    return True


def _do_unmerge(plan: UnmergePlan, *, actor: Actor, reason: str) -> None:
    """``idea_unmerge``'s write step, inside its transaction."""
    record, idea, canonical = plan.record, plan.idea, plan.canonical
    snap = record.snapshot
    before = {"merged": idea_state(idea), "canonical": idea_state(canonical)}
    Support.objects.filter(pk__in=snap.get("moved_supports", []), idea=canonical).update(idea=idea)
    IdeaCoauthor.objects.filter(pk__in=snap.get("coauthors_added", []), idea=canonical).delete()
    text_restored = _restore_canonical_text(canonical, snap)
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
    participation.idea_history_note(
        idea=canonical,
        actor=actor,
        system_message=SystemMessage.ABSORBED_UNDONE,
        system_params={"code": idea.formatted_code},
        related_idea=idea,
    )
    Merge.objects.filter(pk=record.pk).update(undone_at=timezone.now(), undone_by=user_of(actor))
    _reconcile(canonical)
    recount([canonical, idea])
    if text_restored:
        group_refresh(idea=canonical)
    group_place(idea=idea)
    notification_create_many(
        people=participation.idea_recipients(idea),
        idea=idea,
        notice=Unmerged(
            code=idea.tracking_code,
            canonical_code=canonical.tracking_code,
            title=idea.title[:200],
            to_status=status_before,
            reason=reason[:1000],
        ),
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
