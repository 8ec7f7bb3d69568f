"""Moderation writes: merge/unmerge, routing, council answers, reports, hide/restore, audit.

Every service is keyword-only, takes the ``actor`` (a staff user; None for the system), runs
in ``transaction.atomic``, writes an :class:`~forum.moderation.models.AuditEntry`, puts
notifications in the outbox in the same transaction and publishes real-time events only
after commit. Permission checks are the caller's (views use :mod:`.permissions`).

Merge bookkeeping (see docs/moderation.md): supports are never deleted. When an idea is
merged, each of its supports moves to the canonical idea unless that person already supports
the canonical idea; then it stays on the merged idea, "shadowed" (the person is counted once,
on the canonical idea). The merge record lists exactly the Support ids it moved and the
IdeaCoauthor rows it created, so unmerge moves/deletes exactly those.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
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
from forum.participation.models import (
    HIDDEN_REASON_MAX_LENGTH,
    Council,
    Dialogue,
    Idea,
    IdeaCoauthor,
    Person,
    StatusChange,
    Support,
)
from forum.threads.events import publish_post_event

from . import events, index
from .models import AuditEntry, CouncilSecretary, Merge, Report
from .roles import SECRETARY

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    from django.contrib.auth.models import User

Actor = AbstractBaseUser | AnonymousUser | None


class ModerationError(ValidationError):
    """A refused moderation action; the message tells the moderator why. Nothing changed."""


def _user(actor: Actor) -> User | None:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return cast("User", actor)


# ---------------------------------------------------------------- audit


def audit_record(
    *,
    actor: Actor,
    action: str,
    target: models.Model | None = None,
    target_type: str = "",
    target_id: Any = "",
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one audit row (never updated or deleted afterwards)."""
    if target is not None:
        target_type = target._meta.label_lower
        target_id = target.pk
    entry = AuditEntry(
        actor=_user(actor),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        before=before or {},
        after=after or {},
        reason=clean_plain_text(reason)[:5000],
    )
    entry.full_clean()
    entry.save()
    return entry


# ---------------------------------------------------------------- council secretaries


def council_secretary_assign(*, user: Any, council: Council, actor: Actor) -> CouncilSecretary:
    """Let ``user`` answer for ``council``: the secretary link and the role's group (without
    the group's permission the link alone would open nothing). Idempotent; audited."""
    with transaction.atomic():
        link, created = CouncilSecretary.objects.get_or_create(user=user, council=council)
        group = Group.objects.filter(name=SECRETARY).first()
        if group is not None:
            user.groups.add(group)
        if created:
            audit_record(
                actor=actor,
                action="council_secretary.assign",
                target=link,
                after={"user": user.get_username(), "council": council.slug},
            )
    return link


def council_secretary_remove(*, link: CouncilSecretary, actor: Actor) -> None:
    """End a secretaryship; the role's group goes too when it was the user's last council."""
    with transaction.atomic():
        user, council = link.user, link.council
        audit_record(
            actor=actor,
            action="council_secretary.remove",
            target=link,
            before={"user": user.get_username(), "council": council.slug},
        )
        link.delete()
        if not CouncilSecretary.objects.filter(user=user).exists():
            user.groups.remove(*Group.objects.filter(name=SECRETARY))


def _idea_state(idea: Idea) -> dict[str, Any]:
    return {
        "code": idea.tracking_code,
        "status": idea.status,
        "merged_into": idea.merged_into_id,
        "support_count": idea.support_count,
        "hidden": idea.hidden_at is not None,
    }


def _after_commit(fn, *args, **kwargs) -> None:
    transaction.on_commit(functools.partial(fn, *args, **kwargs))


# ---------------------------------------------------------------- merge


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
                actor=_user(actor),
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
                "merged": {str(pk): _idea_state(locked[pk]) for pk in merged_ids},
                "merge_ids": [r.pk for r in records],
            },
            reason=reason,
        )
        publish_on_commit(
            events.MODERATION_GROUP,
            events.idea_merged(canonical_id=target.pk, merged_ids=merged_ids),
        )
        for pk in merged_ids:
            _after_commit(index.index_remove, pk)
        if text_changed:
            _after_commit(index.index_add, target.pk, target.title, target.body)
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
        before = {"merged": _idea_state(idea), "canonical": _idea_state(canonical)}
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
        Merge.objects.filter(pk=record.pk).update(undone_at=timezone.now(), undone_by=_user(actor))
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
                "merged": _idea_state(idea),
                "canonical": _idea_state(canonical),
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
            _after_commit(index.index_add, idea.pk, idea.title, idea.body)
        if text_restored:
            _after_commit(index.index_add, canonical.pk, canonical.title, canonical.body)
    merged_idea.refresh_from_db()
    return merged_idea


# ---------------------------------------------------------------- routing and answers


def idea_route_cluster(
    *,
    idea: Idea,
    council: Council,
    actor: Actor,
    answer_due: dt.date | None = None,
    agenda_dialogue: Dialogue | None = None,
    public_message: str = "",
    reason: str = "",
) -> StatusChange:
    """Route an idea (with every idea merged into it) to a council.

    A merged idea is routed through its canonical idea, whose supporters and co-authors already
    include everyone from the cluster. An idea still *received* first moves to *in review*.
    """
    with transaction.atomic():
        locking = Idea.objects.select_for_update()
        try:
            target = participation_selectors.canonical_of(locking.get(pk=idea.pk), queryset=locking)
        except participation_selectors.MergeChainError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        before = {
            **_idea_state(target),
            "council": target.council_id,
            "answer_due": str(target.answer_due or ""),
        }
        try:
            if target.status == IdeaStatus.RECEIVED:
                participation.idea_transition(
                    idea=target,
                    to_status=IdeaStatus.IN_REVIEW,
                    actor=actor,
                    notify=False,
                    system_message=SystemMessage.IN_REVIEW,
                )
            change = participation.idea_route(
                idea=target,
                council=council,
                actor=actor,
                answer_due=answer_due,
                agenda_dialogue=agenda_dialogue,
                public_message=public_message,
            )
        except IllegalTransition as exc:
            raise ModerationError(str(exc), code="illegal_status") from exc
        except participation.ParticipationError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        cluster = list(
            Idea.objects.filter(merged_into=target).values_list("tracking_code", flat=True)
        )
        audit_record(
            actor=actor,
            action="idea.route",
            target=target,
            before=before,
            after={
                **_idea_state(target),
                "council": council.slug,
                "answer_due": str(answer_due or ""),
                "agenda_dialogue": agenda_dialogue.slug if agenda_dialogue else None,
                "cluster": cluster,
            },
            reason=reason or public_message,
        )
    idea.refresh_from_db()
    return change


def council_answer(*, idea: Idea, outcome: str, answer: str, actor: Actor) -> StatusChange:
    """The council's public answer (through ``idea_answer``), audited."""
    with transaction.atomic():
        before = _idea_state(idea)
        try:
            change = participation.idea_answer(
                idea=idea, outcome=outcome, answer=answer, actor=actor
            )
        except IllegalTransition as exc:
            raise ModerationError(str(exc), code="illegal_status") from exc
        except participation.ParticipationError as exc:
            raise ModerationError(exc.messages, code=exc.code) from exc
        audit_record(
            actor=actor,
            action="idea.answer",
            target=idea,
            before=before,
            after={**_idea_state(idea), "answer": idea.public_answer[:2000]},
            reason="",
        )
    return change


# ---------------------------------------------------------------- reports, hide, restore


def _target_author(target: models.Model) -> Person | None:
    author = getattr(target, "author", None)
    return author if isinstance(author, Person) else None


def _target_title(target: models.Model) -> str:
    for attr in ("title", "body", "text"):
        value = getattr(target, attr, "")
        if value:
            return str(value)[:200]
    return ""


def _set_hidden(target: models.Model, hidden_at: dt.datetime | None, reason: str) -> None:
    # Never cut: the author reads this reason (_reason_for_author refuses a longer one).
    fields: dict[str, Any] = {"hidden_at": hidden_at, "hidden_reason": reason}
    field_names = {f.name for f in target._meta.get_fields()}
    if "updated_at" in field_names:
        fields["updated_at"] = timezone.now()
    if "changed_at" in field_names:
        # Thread posts: a resuming page catches up on changes since it last saw the thread.
        fields["changed_at"] = timezone.now()
    type(target)._default_manager.filter(pk=target.pk).update(**fields)
    target.hidden_at = hidden_at  # type: ignore[attr-defined]
    target.hidden_reason = reason  # type: ignore[attr-defined]


# Hideable content (Idea, Post) is passed around as models.Model: after _check_hideable, its
# hidden_at / hidden_reason are read and written with "type: ignore[attr-defined]".
def _check_hideable(target: models.Model) -> None:
    if not (hasattr(target, "hidden_at") and hasattr(target, "hidden_reason")):
        raise ModerationError(_("Este contenido no se puede reportar."), code="not_hideable")


def _notify_author(target: models.Model, kind: str, reason: str) -> None:
    author = _target_author(target)
    if author is None:
        return
    payload: dict[str, Any] = {"reason": reason[:1000], "title": _target_title(target)}
    idea = target if isinstance(target, Idea) else None
    if idea is not None:
        payload["code"] = idea.tracking_code
    else:
        payload["post_id"] = target.pk
        thread_id = getattr(target, "thread_id", None)
        if thread_id is not None:
            payload["thread_id"] = thread_id
    notification_create_many(people=[author], kind=kind, idea=idea, payload=payload)


def _index_after_visibility(target: models.Model) -> None:
    if not isinstance(target, Idea):
        return
    if target.hidden_at is not None or target.merged_into_id is not None:
        _after_commit(index.index_remove, target.pk)
    else:
        _after_commit(index.index_add, target.pk, target.title, target.body)


def _announce_to_thread(target: models.Model, event_type: str) -> None:
    """Open thread pages apply a hide/restore live, whichever path (report, moderator) did it."""
    thread_id = getattr(target, "thread_id", None)
    if thread_id is None:
        return

    publish_post_event(event_type, thread_id=thread_id, post_id=target.pk)


def _hide(*, target: models.Model, actor: Actor, reason: str, action: str) -> None:
    before = {
        "hidden": target.hidden_at is not None,  # type: ignore[attr-defined]
        "hidden_reason": target.hidden_reason,  # type: ignore[attr-defined]
    }
    _set_hidden(target, timezone.now(), reason)
    _notify_author(target, Notification.Kind.HIDDEN, reason)
    audit_record(
        actor=actor,
        action=action,
        target=target,
        before=before,
        after={"hidden": True, "hidden_reason": reason},
        reason=reason,
    )
    label = target._meta.label_lower
    publish_on_commit(
        events.MODERATION_GROUP,
        events.content_event("hidden", target_type=label, target_id=target.pk),
    )
    _announce_to_thread(target, "post.hidden")
    _index_after_visibility(target)


def content_report(*, reporter: Person, target: models.Model, reason: str) -> tuple[Report, bool]:
    """Flag content. Idempotent per person (``created`` False on a repeat). At
    ``settings.REPORTS_TO_HIDE`` distinct open reports the content is hidden pending review.
    """
    _check_hideable(target)
    reason = clean_plain_text(reason).replace("\n", " ")
    if not reason:
        raise ModerationError(_("Cuéntanos por qué reportas este contenido."), code="reason")
    ct = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        locked = type(target)._default_manager.select_for_update().get(pk=target.pk)
        existing = Report.objects.filter(
            reporter=reporter, content_type=ct, object_id=target.pk
        ).first()
        if existing is not None:
            return existing, False
        report = Report(
            reporter=reporter, content_type=ct, object_id=target.pk, reason=reason[:500]
        )
        report.full_clean(validate_unique=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return Report.objects.get(
                reporter=reporter, content_type=ct, object_id=target.pk
            ), False
        publish_on_commit(
            events.MODERATION_GROUP,
            events.content_event(
                "reported", target_type=target._meta.label_lower, target_id=target.pk
            ),
        )
        open_reports = (
            Report.objects.filter(content_type=ct, object_id=target.pk, resolved_at__isnull=True)
            .values("reporter")
            .distinct()
            .count()
        )
        if open_reports >= settings.REPORTS_TO_HIDE and locked.hidden_at is None:  # type: ignore[attr-defined]
            _hide(
                target=locked,
                actor=None,
                action="content.auto_hide",
                reason=_("Oculto tras %(n)d reportes, pendiente de revisión.")
                % {"n": open_reports},
            )
            target.hidden_at, target.hidden_reason = locked.hidden_at, locked.hidden_reason  # type: ignore[attr-defined]
    return report, True


def _reason_for_author(reason: str) -> str:
    """The moderator's reason as one plain line; required, since the author is shown it."""
    reason = clean_plain_text(reason).replace("\n", " ")
    if not reason:
        raise ModerationError(
            _("Indica el motivo: se le mostrará a la autora o autor."), code="reason"
        )
    if len(reason) > HIDDEN_REASON_MAX_LENGTH:
        raise ModerationError(
            _("El motivo tiene %(n)d caracteres; el máximo es %(max)d. Acórtalo.")
            % {"n": len(reason), "max": HIDDEN_REASON_MAX_LENGTH},
            code="reason_too_long",
        )
    return reason


def content_hide(*, target: models.Model, actor: Actor, reason: str) -> models.Model:
    """A moderator hides content (kept, never deleted); the reason is shown to the author."""
    _check_hideable(target)
    reason = _reason_for_author(reason)
    with transaction.atomic():
        locked = type(target)._default_manager.select_for_update().get(pk=target.pk)
        _hide(target=locked, actor=actor, reason=reason, action="content.hide")
        _resolve_reports(locked)
    target.hidden_at = locked.hidden_at  # type: ignore[attr-defined]
    target.hidden_reason = locked.hidden_reason  # type: ignore[attr-defined]
    return target


def _resolve_reports(target: models.Model) -> None:
    Report.objects.filter(
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
        resolved_at__isnull=True,
    ).update(resolved_at=timezone.now())


def content_restore(*, target: models.Model, actor: Actor, reason: str) -> models.Model:
    """A moderator makes hidden content visible again (open reports count as reviewed)."""
    _check_hideable(target)
    reason = _reason_for_author(reason)
    with transaction.atomic():
        locked = type(target)._default_manager.select_for_update().get(pk=target.pk)
        if locked.hidden_at is None:  # type: ignore[attr-defined]
            raise ModerationError(_("Este contenido no está oculto."), code="not_hidden")
        before = {"hidden": True, "hidden_reason": locked.hidden_reason}  # type: ignore[attr-defined]
        _set_hidden(locked, None, "")
        _resolve_reports(locked)
        _notify_author(locked, Notification.Kind.RESTORED, reason)
        audit_record(
            actor=actor,
            action="content.restore",
            target=locked,
            before=before,
            after={"hidden": False},
            reason=reason,
        )
        publish_on_commit(
            events.MODERATION_GROUP,
            events.content_event(
                "restored", target_type=locked._meta.label_lower, target_id=locked.pk
            ),
        )
        _announce_to_thread(locked, "post.restored")
        _index_after_visibility(locked)
    target.hidden_at, target.hidden_reason = None, ""  # type: ignore[attr-defined]
    return target


def content_dismiss_reports(*, target: models.Model, actor: Actor, reason: str = "") -> int:
    """A moderator reviewed the reports and keeps the content visible."""
    with transaction.atomic():
        ct = ContentType.objects.get_for_model(target)
        n = Report.objects.filter(
            content_type=ct, object_id=target.pk, resolved_at__isnull=True
        ).update(resolved_at=timezone.now())
        audit_record(
            actor=actor,
            action="content.dismiss_reports",
            target=target,
            before={"open_reports": n},
            after={"open_reports": 0},
            reason=reason,
        )
    return n
