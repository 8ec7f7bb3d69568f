"""Moderation reads: similar ideas, the queue, reports, the audit log, council work lists."""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Council, Idea
from forum.participation.selectors import overdue_ideas

from . import audit_text
from .index import shared_index
from .models import AuditEntry, Merge, Report

QUEUE_STATUSES = (IdeaStatus.RECEIVED, IdeaStatus.IN_REVIEW)


def _visible_candidates(pks: list[int]) -> dict[int, Idea]:
    return {
        i.pk: i
        for i in Idea.objects.filter(pk__in=pks, hidden_at__isnull=True, merged_into__isnull=True)
        .exclude(status__in=[IdeaStatus.MERGED, IdeaStatus.NOT_ADMITTED])
        .select_related("region")
    }


def similar_ideas(
    title: str, body: str = "", limit: int = 3, *, exclude: int | None = None
) -> list[tuple[Idea, float]]:
    """Visible, non-merged ideas that look like this text, best first, with a 0-100 score."""
    matches = shared_index().query(title, body, limit=limit + 5, exclude=exclude)
    ideas = _visible_candidates([int(m.key) for m in matches])
    out = [(ideas[int(m.key)], m.score) for m in matches if int(m.key) in ideas]
    return out[:limit]


def search_ideas(text: str, *, limit: int = 10, exclude: int | None = None) -> list[Idea]:
    """Visible, non-merged ideas containing every word of ``text``, title hits first."""
    pks = shared_index().search(text, limit=limit + 5, exclude=exclude)
    ideas = _visible_candidates(pks)
    return [ideas[pk] for pk in pks if pk in ideas][:limit]


@dataclass
class QueueRow:
    idea: Idea
    similar: list[tuple[Idea, float]] = field(default_factory=list)


def queue_ideas() -> QuerySet[Idea]:
    """New ideas waiting for a moderator, newest first."""
    return (
        Idea.objects.filter(status__in=QUEUE_STATUSES, merged_into__isnull=True)
        .select_related("region", "author")
        .order_by("-created_at", "-id")
    )


def queue_rows(ideas: list[Idea], *, limit: int = 3) -> list[QueueRow]:
    """Attach suggested duplicates to a page of queue ideas with one query for all of them."""
    found: list[list[Any]] = shared_index().query_many(
        [(idea.title, idea.body, idea.pk) for idea in ideas], limit=limit + 3
    )
    pks = {int(m.key) for matches in found for m in matches}
    candidates = _visible_candidates(sorted(pks))
    rows = []
    for idea, matches in zip(ideas, found, strict=True):
        similar = [(candidates[int(m.key)], m.score) for m in matches if int(m.key) in candidates][
            :limit
        ]
        rows.append(QueueRow(idea=idea, similar=similar))
    return rows


def queue_last_id() -> int:
    return queue_ideas().aggregate(m=Max("pk"))["m"] or 0


def queue_after(after_id: int, *, limit: int = 50) -> QuerySet[Idea]:
    """Queue ideas newer than the last one a page has seen (for reconnecting clients)."""
    return queue_ideas().filter(pk__gt=after_id).order_by("pk")[:limit]


def merged_children(idea: Idea) -> QuerySet[Idea]:
    return Idea.objects.filter(merged_into=idea).order_by("pk")


@dataclass(frozen=True)
class MergedHere:
    """An idea merged into the one being read, as its public page lists it."""

    idea: Idea
    merged_at: Any
    authors: int
    supporters: int


def merged_here(idea: Idea) -> list[MergedHere]:
    """Every idea merged (and not unmerged) into ``idea``, oldest merge first, with its original
    text, how many people wrote it (author and co-authors) and how many supported it (the
    supports the merge moved, and those that stayed because the person supported both).
    Hidden ideas are left out. Two queries, whatever the number of merged ideas."""
    records = list(
        Merge.objects.filter(canonical=idea, undone_at__isnull=True, merged__hidden_at__isnull=True)
        .select_related("merged")
        .annotate(
            stayed=Count("merged__supports", distinct=True),
            coauthors=Count("merged__coauthorships", distinct=True),
        )
        .order_by("created_at", "pk")
    )
    return [
        MergedHere(
            idea=record.merged,
            merged_at=record.created_at,
            authors=1 + record.coauthors,
            supporters=record.stayed + len(record.snapshot.get("moved_supports") or []),
        )
        for record in records
    ]


def idea_page_merged(request: Any, idea: Idea) -> dict[str, Any]:
    """The public idea page's list of the ideas merged into it (``participation.handlers``)."""
    if idea.merged_into_id is not None:
        return {}
    return {"merged_here": merged_here(idea)}


def active_merge_of(idea: Idea) -> Merge | None:
    return (
        Merge.objects.filter(merged=idea, undone_at__isnull=True)
        .select_related("canonical", "actor")
        .first()
    )


def merges_of(idea: Idea) -> QuerySet[Merge]:
    return Merge.objects.filter(Q(merged=idea) | Q(canonical=idea)).select_related(
        "canonical", "merged", "actor", "undone_by"
    )


def audit_log(
    *,
    target_type: str | None = None,
    target_id: str | None = None,
    action: str | None = None,
    text: str | None = None,
) -> QuerySet[AuditEntry]:
    """Audit rows, newest first; ``text``: those whose reason or before/after summaries contain
    it (case-insensitive)."""
    qs = AuditEntry.objects.select_related("actor").order_by("-created_at", "-id")
    if target_type:
        qs = qs.filter(target_type=target_type)
    if target_id:
        qs = qs.filter(target_id=str(target_id))
    if action:
        qs = qs.filter(action=action)
    if text:
        qs = qs.filter(_audit_text_matches(text))
    return qs


def audit_in_words(entries: list[AuditEntry]) -> list[AuditEntry]:
    """``entries`` with ``target_label`` («Idea ABCD-1234») and ``changes`` (the fields the
    action changed, in words: ``audit_text.changes``) set on each; one query for every idea
    named, whatever the number of entries."""
    idea_ids: set[int] = set()
    for entry in entries:
        if entry.target_type == "participation.idea" and entry.target_id.isdigit():
            idea_ids.add(int(entry.target_id))
        idea_ids |= audit_text.idea_ids(entry.before, entry.after)
    codes = dict(Idea.objects.filter(pk__in=idea_ids).values_list("pk", "tracking_code"))
    councils: dict[Any, str] = {}
    for pk, slug, name in Council.objects.values_list("pk", "slug", "name"):
        councils[pk] = councils[slug] = name
    for entry in entries:
        code = codes.get(int(entry.target_id)) if entry.target_id.isdigit() else None
        if entry.target_type == "participation.idea" and code:
            entry.target_label = _("Idea %(code)s") % {"code": format_code(code)}  # type: ignore[attr-defined]
        else:
            entry.target_label = _target_name(entry)  # type: ignore[attr-defined]
        entry.changes = audit_text.changes(  # type: ignore[attr-defined]
            entry.before, entry.after, codes=codes, councils=councils
        )
    return entries


def _target_name(entry: AuditEntry) -> str:
    try:
        name = str(apps.get_model(entry.target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = entry.target_type
    return f"{name[:1].upper()}{name[1:]} #{entry.target_id}"


def _audit_text_matches(text: str) -> Q:
    # The summaries are searched as JSON text. SQLite keeps them as written by json.dumps,
    # non-ASCII letters and quotes escaped («Chill\u00e1n»), so that spelling is looked for
    # too; PostgreSQL's jsonb gives them back unescaped.
    match = Q(reason__icontains=text)
    for spelling in dict.fromkeys([text, json.dumps(text)[1:-1]]):
        match |= Q(before__icontains=spelling) | Q(after__icontains=spelling)
    return match


@dataclass
class ReportedItem:
    content_type: ContentType
    object_id: int
    target: Any
    open_reports: int
    total_reports: int
    first_at: Any
    last_at: Any
    reasons: list[str]


def reported_content(*, include_resolved: bool = False) -> list[ReportedItem]:
    """Reported or hidden content, grouped per target, most recently reported first.

    Queries do not grow with rows: one for the groups, one per content type for the targets,
    one for the reasons.
    """
    qs = Report.objects.all()
    if not include_resolved:
        qs = qs.filter(resolved_at__isnull=True)
    groups = list(
        qs.values("content_type", "object_id")
        .annotate(n=Count("id"), first_at=Min("created_at"), last_at=Max("created_at"))
        .order_by("-last_at")[:200]
    )
    by_type: dict[int, list[int]] = defaultdict(list)
    for g in groups:
        by_type[g["content_type"]].append(g["object_id"])
    types = ContentType.objects.in_bulk(list(by_type))
    targets: dict[tuple[int, int], Any] = {}
    for ct_id, ids in by_type.items():
        model = types[ct_id].model_class()
        if model is None:
            continue
        for obj in model._default_manager.filter(pk__in=ids):
            targets[(ct_id, obj.pk)] = obj
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    totals: dict[tuple[int, int], int] = defaultdict(int)
    cond = Q()
    for g in groups:
        cond |= Q(content_type=g["content_type"], object_id=g["object_id"])
    if groups:
        for r in (
            Report.objects.filter(cond)
            .order_by("created_at")
            .values("content_type", "object_id", "reason", "resolved_at")
        ):
            key = (r["content_type"], r["object_id"])
            totals[key] += 1
            if r["resolved_at"] is None:
                reasons[key].append(r["reason"])
    out = []
    for g in groups:
        key = (g["content_type"], g["object_id"])
        if key not in targets:
            continue
        out.append(
            ReportedItem(
                content_type=types[g["content_type"]],
                object_id=g["object_id"],
                target=targets[key],
                open_reports=len(reasons[key]) if not include_resolved else g["n"],
                total_reports=totals[key],
                first_at=g["first_at"],
                last_at=g["last_at"],
                reasons=reasons[key][:10],
            )
        )
    return out


def hidden_ideas() -> QuerySet[Idea]:
    return Idea.objects.filter(hidden_at__isnull=False).order_by("-hidden_at")


def overdue_by_council() -> list[tuple[Council, list[Idea]]]:
    """Overdue answers grouped per council (councils without any are left out)."""
    grouped: dict[int, list[Idea]] = defaultdict(list)
    councils: dict[int, Council] = {}
    for idea in overdue_ideas().select_related("council", "council__region"):
        if idea.council_id is None:
            continue
        grouped[idea.council_id].append(idea)
        councils[idea.council_id] = idea.council  # type: ignore[assignment]
    order = sorted(grouped, key=lambda cid: councils[cid].name)
    return [(councils[cid], grouped[cid]) for cid in order]


# The council inbox's "show" filter: everything waiting, overdue, due within a week, on the
# agenda of a dialogue.
INBOX_SHOW = ("", "overdue", "soon", "agenda")
INBOX_SOON_DAYS = 7


def council_inbox(council: Council, *, show: str = "", topic: str = "") -> QuerySet[Idea]:
    """Ideas routed to a council and waiting for its answer, oldest due date first (so the
    overdue ones lead), those without a due date last on every database; ``show`` one of
    ``INBOX_SHOW``, ``topic`` a topic's slug."""
    qs = Idea.objects.filter(
        council=council, status__in=[IdeaStatus.ROUTED, IdeaStatus.ON_AGENDA]
    ).select_related("agenda_dialogue", "region", "topic")
    today = timezone.localdate()
    if show == "overdue":
        qs = qs.filter(answer_due__lt=today)
    elif show == "soon":
        qs = qs.filter(answer_due__gte=today, answer_due__lte=today + dt.timedelta(INBOX_SOON_DAYS))
    elif show == "agenda":
        qs = qs.filter(agenda_dialogue__isnull=False)
    if topic:
        qs = qs.filter(topic__slug=topic)
    return qs.order_by(F("answer_due").asc(nulls_last=True), "pk")


def councils_overview(councils: list[Council]) -> list[Council]:
    """``councils`` with ``waiting`` and ``overdue`` counts set on each (one query)."""
    waiting = Q(ideas__status__in=[IdeaStatus.ROUTED, IdeaStatus.ON_AGENDA])
    counts = {
        row["pk"]: row
        for row in Council.objects.filter(pk__in=[c.pk for c in councils])
        .annotate(
            waiting=Count("ideas", filter=waiting),
            overdue=Count("ideas", filter=waiting & Q(ideas__answer_due__lt=timezone.localdate())),
        )
        .values("pk", "waiting", "overdue")
    }
    for c in councils:
        c.waiting = counts.get(c.pk, {}).get("waiting", 0)  # type: ignore[attr-defined]
        c.overdue = counts.get(c.pk, {}).get("overdue", 0)  # type: ignore[attr-defined]
    return councils


def council_answered(council: Council) -> QuerySet[Idea]:
    return Idea.objects.filter(
        council=council,
        status__in=[
            IdeaStatus.ANSWERED_ACCEPTED,
            IdeaStatus.ANSWERED_PARTLY,
            IdeaStatus.ANSWERED_REJECTED,
            IdeaStatus.IMPLEMENTED,
        ],
    ).order_by("-updated_at")[:50]


def overdue_ideas_ids(council: Council) -> list[int]:
    return list(overdue_ideas(council).values_list("pk", flat=True))
