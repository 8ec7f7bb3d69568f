"""A moderator's decisions on a proposed duplicate group (the group queue): merge every member
into the canonical idea, drop a member («no es igual»), pick another canonical idea, split.

Each is audited (``group.*`` actions, target the group's canonical idea so the idea's page lists
them). Merging goes through ``idea_merge``: supports carried, authors become co-authors,
everyone told, undoable one idea at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from forum.core.text import clean_plain_text
from forum.participation.models import Idea

from ..models import DuplicateGroup, GroupMember, Merge
from .audit import audit_record
from .common import Actor, ModerationError
from .groups import _leave, canonical_rank, group_place, not_duplicate_record
from .merge import idea_merge


def _locked_group(group: DuplicateGroup) -> tuple[DuplicateGroup, list[Idea]]:
    try:
        locked = DuplicateGroup.objects.select_for_update().get(pk=group.pk)
    except DuplicateGroup.DoesNotExist as exc:
        raise ModerationError(
            _("Este grupo ya no existe (otra persona lo resolvió o cambió)."), code="gone"
        ) from exc
    members = list(Idea.objects.filter(duplicate_group__group=locked).order_by("pk"))
    return locked, members


def _codes(ideas: Iterable[Idea]) -> list[str]:
    return [i.tracking_code for i in ideas]


def group_merge_all(
    *,
    group: DuplicateGroup,
    actor: Actor,
    reason: str = "",
    expected_members: Iterable[int] | None = None,
    expected_versions: Mapping[int, Any] | None = None,
) -> list[Merge]:
    """Merge every member of ``group`` into its canonical idea (one decision). Refused when the
    members changed since the page was read (``expected_members``) or any merge is refused."""
    with transaction.atomic():
        locked, members = _locked_group(group)
        if expected_members is not None and set(expected_members) != {m.pk for m in members}:
            raise ModerationError(
                _("El grupo cambió mientras lo revisabas. Vuelve a cargar la página."),
                code="stale",
            )
        canonical = next(m for m in members if m.pk == locked.canonical_id)
        others = [m for m in members if m.pk != canonical.pk]
        records = idea_merge(
            canonical=canonical,
            merged=others,
            actor=actor,
            reason=reason or _("Duplicadas (decisión por grupo)."),
            expected_versions=expected_versions,
        )
        audit_record(
            actor=actor,
            action="group.merge",
            target=canonical,
            before={"members": _codes(members)},
            after={"canonical": canonical.tracking_code, "merged": _codes(others)},
            reason=reason,
        )
    return records


def group_drop_member(*, group: DuplicateGroup, idea: Idea, actor: Actor, reason: str = "") -> None:
    """«No es igual»: ``idea`` leaves ``group`` and is never proposed with its members again."""
    with transaction.atomic():
        locked, members = _locked_group(group)
        member = GroupMember.objects.filter(group=locked, idea=idea).select_related("group").first()
        if member is None:
            raise ModerationError(_("Esa idea ya no está en el grupo."), code="not_member")
        not_duplicate_record(idea=idea, others=[m.pk for m in members], actor=actor)
        _leave(member)
        audit_record(
            actor=actor,
            action="group.drop",
            target=idea,
            before={"members": _codes(members)},
            after={"dropped": idea.tracking_code},
            reason=clean_plain_text(reason),
        )
        group_place(idea=idea)  # it may belong with other ideas


def group_set_canonical(*, group: DuplicateGroup, idea: Idea, actor: Actor) -> DuplicateGroup:
    """Propose ``idea`` (a member) as the idea the others merge into."""
    with transaction.atomic():
        locked, members = _locked_group(group)
        if idea.pk not in {m.pk for m in members}:
            raise ModerationError(_("Esa idea ya no está en el grupo."), code="not_member")
        before = next(m for m in members if m.pk == locked.canonical_id)
        locked.canonical = idea
        locked.save(update_fields=["canonical", "updated_at"])
        audit_record(
            actor=actor,
            action="group.canonical",
            target=idea,
            before={"canonical": before.tracking_code},
            after={"canonical": idea.tracking_code},
        )
    return locked


def group_split(
    *, group: DuplicateGroup, ideas: Iterable[Idea], actor: Actor, reason: str = ""
) -> DuplicateGroup | None:
    """Move ``ideas`` (members) to a group of their own; the two parts are remembered as
    different and never proposed together again. Returns the new group (None when a part is
    left with a single idea: it is simply out of any group)."""
    chosen = {i.pk for i in ideas}
    with transaction.atomic():
        locked, members = _locked_group(group)
        by_pk = {m.pk: m for m in members}
        if not chosen or not chosen < set(by_pk):
            raise ModerationError(
                _("Elige algunas ideas del grupo, no todas, para separarlas."), code="bad_split"
            )
        part = [by_pk[pk] for pk in sorted(chosen)]
        rest = [m for m in members if m.pk not in chosen]
        for idea in part:
            not_duplicate_record(idea=idea, others=[r.pk for r in rest], actor=actor)
        GroupMember.objects.filter(group=locked, idea_id__in=chosen).delete()
        if locked.canonical_id in chosen:
            locked.canonical = min(rest, key=canonical_rank)
        if len(rest) < 2:
            locked.delete()
        else:
            locked.save(update_fields=["canonical", "updated_at"])
        new = None
        if len(part) >= 2:
            new = DuplicateGroup.objects.create(canonical=min(part, key=canonical_rank))
            GroupMember.objects.bulk_create([GroupMember(group=new, idea=i) for i in part])
        audit_record(
            actor=actor,
            action="group.split",
            target=part[0],
            before={"members": _codes(members)},
            after={"apart": _codes(part), "rest": _codes(rest)},
            reason=clean_plain_text(reason),
        )
    return new
