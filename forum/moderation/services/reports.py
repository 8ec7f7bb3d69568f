"""Reports, hiding and restoring content (ideas, thread posts); the author hears why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.events import publish_on_commit
from forum.core.text import clean_plain_text
from forum.core.validation import full_clean
from forum.notifications.kinds import Hidden, Restored
from forum.notifications.services import notification_create_many
from forum.participation import handlers as participation_handlers
from forum.participation import services as participation_services
from forum.participation.models import Idea, Person
from forum.threads.events import publish_post_event

from .. import events
from ..models import Report
from .audit import audit_record
from .common import Actor, ModerationError, reindex_after_commit
from .groups import group_follow


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
    # Hidden ideas leave the public figures (the results pages' cached aggregates).
    participation_handlers.data_changed("hidden")
    target.hidden_at = hidden_at  # type: ignore[attr-defined]
    target.hidden_reason = reason  # type: ignore[attr-defined]


# Hideable content (Idea, Post) is passed around as models.Model: after _check_hideable, its
# hidden_at / hidden_reason are read and written with "type: ignore[attr-defined]".
def _check_hideable(target: models.Model) -> None:
    if not (hasattr(target, "hidden_at") and hasattr(target, "hidden_reason")):
        raise ModerationError(_("Este contenido no se puede reportar."), code="not_hideable")


def _notify_author(target: models.Model, kind: type[Hidden | Restored], reason: str) -> None:
    author = _target_author(target)
    if author is None:
        return
    idea = target if isinstance(target, Idea) else None
    if idea is not None:
        notice = kind(reason=reason[:1000], title=_target_title(target), code=idea.tracking_code)
    else:
        notice = kind(
            reason=reason[:1000],
            title=_target_title(target),
            post_id=target.pk,
            thread_id=getattr(target, "thread_id", None),
        )
    notification_create_many(people=[author], notice=notice, idea=idea)


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
    _notify_author(target, Hidden, reason)
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
        events.content_hidden(target_type=label, target_id=target.pk),
    )
    _announce_to_thread(target, "post.hidden")
    reindex_after_commit(target)
    group_follow(target)


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
        full_clean(report, validate_unique=False)
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            return Report.objects.get(
                reporter=reporter, content_type=ct, object_id=target.pk
            ), False
        publish_on_commit(
            events.MODERATION_GROUP,
            events.content_reported(target_type=target._meta.label_lower, target_id=target.pk),
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
    """The moderator's reason as one plain line (participation's one rule for it)."""
    return participation_services.hide_reason_clean(reason, error=ModerationError)


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
        _notify_author(locked, Restored, reason)
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
            events.content_restored(target_type=locked._meta.label_lower, target_id=locked.pk),
        )
        _announce_to_thread(locked, "post.restored")
        reindex_after_commit(locked)
        group_follow(locked)
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
