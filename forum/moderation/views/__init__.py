"""Moderator and council-secretary pages. Thin: check permission, read, call a service.

One module per area (``urls.py`` names the views through this package): ``ideas`` (the queue,
one idea, merges, routing, overdue), ``content`` (reports, hide, restore), ``councils`` (the audit
log, the councils' pages and answers: ``secretaries``); ``common`` holds the permission decorators.
"""

from .content import dismiss, hide, report, reports, restore
from .groups import declare_distinct, group_decide, groups
from .ideas import idea_detail, merge, overdue, queue, queue_json, route, unmerge
from .secretaries import answer, audit, council, councils

__all__ = [
    "answer",
    "audit",
    "council",
    "councils",
    "declare_distinct",
    "dismiss",
    "group_decide",
    "groups",
    "hide",
    "idea_detail",
    "merge",
    "overdue",
    "queue",
    "queue_json",
    "report",
    "reports",
    "restore",
    "route",
    "unmerge",
]
