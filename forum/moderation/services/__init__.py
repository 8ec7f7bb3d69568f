"""Moderation writes: merge/unmerge, routing, council answers, reports, hide/restore, audit.

Every service is keyword-only, takes the ``actor`` (a staff user; None for the system), runs
in ``transaction.atomic``, writes an :class:`~forum.moderation.models.AuditEntry`, puts
notifications in the outbox in the same transaction and publishes real-time events only
after commit. Permission checks are the caller's (views use :mod:`..permissions`).

One module per area; callers import this package (``from forum.moderation import services``):

- ``merge``: ``idea_merge`` (check step ``idea_merge_check``, then the write) and
  ``merge_refusal``, the one rule of who may take part in a merge (the merge form uses it too)
- ``unmerge``: ``idea_unmerge`` (check step ``idea_unmerge_check``, then the write)
- ``routing``: ``idea_route_cluster``, ``council_answer``
- ``reports``: ``content_report``, ``content_hide``, ``content_restore``,
  ``content_dismiss_reports``
- ``secretaries``: ``council_secretary_assign``, ``council_secretary_remove``
- ``editing``: ``idea_edit``, a staff correction from the admin, audited
- ``groups``: proposed duplicate groups kept current (``group_place``, ``group_leave``);
  ``group_decisions``: a moderator's decision on a group (``group_merge_all``,
  ``group_drop_member``, ``group_set_canonical``, ``group_split``); ``arrival``: a new idea
  merged into an identical one by the system, or grouped (``idea_declare_distinct`` undoes it)
- ``audit``: ``audit_record``; ``common``: ``Actor``, ``ModerationError``
"""

from .arrival import auto_merge_enabled, auto_merge_of, idea_declare_distinct
from .audit import audit_record
from .common import Actor, ModerationError
from .editing import EDITABLE_IDEA_FIELDS, idea_edit
from .group_decisions import group_drop_member, group_merge_all, group_set_canonical, group_split
from .groups import group_leave, group_place, groups_place_ungrouped
from .merge import MergePlan, idea_merge, idea_merge_check, merge_refusal
from .reports import content_dismiss_reports, content_hide, content_report, content_restore
from .routing import council_answer, idea_route_cluster
from .secretaries import council_secretary_assign, council_secretary_remove
from .unmerge import UnmergePlan, idea_unmerge, idea_unmerge_check

__all__ = [
    "EDITABLE_IDEA_FIELDS",
    "Actor",
    "MergePlan",
    "ModerationError",
    "UnmergePlan",
    "audit_record",
    "auto_merge_enabled",
    "auto_merge_of",
    "content_dismiss_reports",
    "content_hide",
    "content_report",
    "content_restore",
    "council_answer",
    "council_secretary_assign",
    "council_secretary_remove",
    "group_drop_member",
    "group_leave",
    "group_merge_all",
    "group_place",
    "group_set_canonical",
    "group_split",
    "groups_place_ungrouped",
    "idea_declare_distinct",
    "idea_edit",
    "idea_merge",
    "idea_merge_check",
    "idea_route_cluster",
    "idea_unmerge",
    "idea_unmerge_check",
    "merge_refusal",
]
