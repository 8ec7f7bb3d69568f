"""Reads of the participation domain, returning querysets ready for lists (no N+1)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from . import codes, handlers, search
from .lifecycle import OPEN_FOR_SUPPORT, IdeaStatus
from .models import (
    Council,
    Dialogue,
    Idea,
    IdeaCoauthor,
    Membership,
    Organisation,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)


@dataclass(frozen=True)
class IdeaFilters:
    region: str | None = None  # region slug
    topic: str | None = None  # topic slug
    status: str | None = None
    dialogue: str | None = None  # dialogue slug
    council: str | None = None  # council slug
    q: str | None = None
    order: str = "recent"  # recent | supports


def account_by_email(email: str) -> Any | None:
    """The web account holding ``email`` (any case), oldest first; None when none does."""
    if not email:
        return None
    return get_user_model().objects.filter(email__iexact=email).order_by("pk").first()


def public_ideas() -> QuerySet[Idea]:
    """Ideas anyone may see: not hidden. Never exposes authors (no join on Person)."""
    return Idea.objects.filter(hidden_at__isnull=True)


def idea_list(filters: IdeaFilters | None = None) -> QuerySet[Idea]:
    f = filters or IdeaFilters()
    # search_text repeats title and body: lists never show it.
    qs = (
        public_ideas().select_related("region", "topic", "dialogue", "council").defer("search_text")
    )
    if f.region:
        qs = qs.filter(region__slug=f.region)
    if f.topic:
        qs = qs.filter(topic__slug=f.topic)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.dialogue:
        qs = qs.filter(dialogue__slug=f.dialogue)
    if f.council:
        qs = qs.filter(council__slug=f.council)
    if f.q:
        qs = _searched(qs, f.q)
        if f.order in ("relevance", "", None):
            return qs.order_by("-relevance", "-created_at", "-id")
    if f.order == "supports":
        return qs.order_by("-support_count", "-id")
    return qs.order_by("-created_at", "-id")


def _names_matching(model: type[Region] | type[Topic], stem: str) -> list[int]:
    """Regions or topics whose name (folded) contains ``stem``: a handful of rows, folded here
    so that «biobio» finds «Biobío» on every database."""
    if len(stem) < search.MIN_NAME_STEM:
        return []
    return [pk for pk, name in model.objects.values_list("pk", "name") if stem in search.fold(name)]


def _searched(qs: QuerySet[Idea], q: str) -> QuerySet[Idea]:
    """Ideas where every word of ``q`` is in the title, the text, or the name of the idea's
    region or topic (or ``q`` is the idea's tracking code), annotated with ``relevance``.

    PostgreSQL: full-text search (``search.TS_CONFIG``: Spanish stemming and ``unaccent``) on
    the indexed ``search_vector`` column, ranked by ``ts_rank`` (title words weigh more).
    SQLite: the folded text contains each word's crude stem; title hits rank first."""
    postgres = connection.vendor == "postgresql"
    words = search.search_words(q)
    cond = Q()
    for word in words:
        stem = search.stem(word)
        in_text = Q(search.fulltext_match(word)) if postgres else Q(search_text__contains=stem)
        regions = _names_matching(Region, stem)
        topics = _names_matching(Topic, stem)
        if regions:
            in_text |= Q(region_id__in=regions)
        if topics:
            in_text |= Q(topic_id__in=topics)
        cond &= in_text
    code = codes.normalise_code(q)
    if code:
        cond |= Q(tracking_code=code)
    relevance = search.fulltext_rank(words) if postgres else search.title_hits(words)
    return qs.filter(cond).annotate(relevance=relevance)


# The longest merge chain followed (an idea merged into one that was itself merged, …).
# Merges refuse a cycle and every merge ends on an idea that is not merged, so a real chain is
# short; a cycle or a longer chain (only a hand edit in the admin makes one) is refused with
# MergeChainError instead of looping or stopping on a merged idea.
MERGE_CHAIN_MAX_HOPS = 20


class MergeChainError(ValidationError):
    """The merge chain of an idea loops or is longer than ``MERGE_CHAIN_MAX_HOPS``."""


def merge_chain(idea: Idea, *, queryset: QuerySet[Idea] | None = None) -> list[Idea]:
    """``idea`` and each idea it is merged into in turn, ending with its canonical idea (one
    query a hop, through ``queryset``: e.g. ``select_for_update()`` to lock each one).

    Raises MergeChainError on a cycle or a chain longer than ``MERGE_CHAIN_MAX_HOPS``."""
    rows = Idea.objects.all() if queryset is None else queryset
    chain = [idea]
    while chain[-1].merged_into_id is not None:
        parent_id = chain[-1].merged_into_id
        if len(chain) > MERGE_CHAIN_MAX_HOPS or any(i.pk == parent_id for i in chain):
            raise MergeChainError(
                _(
                    "Las fusiones de %(code)s forman un ciclo o una cadena de más de %(n)d "
                    "ideas; corrígelas en la administración."
                )
                % {"code": idea.formatted_code, "n": MERGE_CHAIN_MAX_HOPS},
                code="merge_chain",
            )
        chain.append(rows.get(pk=parent_id))
    return chain


def canonical_of(idea: Idea, *, queryset: QuerySet[Idea] | None = None) -> Idea:
    """The idea at the end of ``idea``'s merge chain (``idea`` itself when it is not merged);
    see ``merge_chain`` for ``queryset`` and MergeChainError."""
    return merge_chain(idea, queryset=queryset)[-1]


def idea_by_code(raw_code: str) -> Idea | None:
    code = codes.normalise_code(raw_code)
    if code is None:
        return None
    return (
        public_ideas()
        .select_related("region", "topic", "dialogue", "council", "merged_into", "agenda_dialogue")
        .filter(tracking_code=code)
        .first()
    )


def similar_open_ideas(title: str, body: str = "", *, limit: int = 3) -> list[Idea]:
    """Public ideas that look like a draft and can still be supported, best first: the
    duplicate matcher the bots use (registered by the moderation app), for the web form.
    Matched as the bots match a chat message: its title, and the whole text as the body."""
    text = f"{title}\n{body}".strip()
    found = handlers.similar_ideas(title, text, limit * 2)
    return [
        idea for idea, _score in found if idea.hidden_at is None and idea.status in OPEN_FOR_SUPPORT
    ][:limit]


def idea_history(idea: Idea) -> QuerySet[StatusChange]:
    return (
        StatusChange.objects.filter(idea=idea)
        .select_related("related_idea")
        .order_by("created_at", "id")
    )


def ideas_of_person(person: Person) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(Q(author=person) | Q(coauthorships__person=person))
        .distinct()
        .select_related("region", "topic")
        .order_by("-created_at")
    )


def supported_by(person: Person) -> QuerySet[Idea]:
    return (
        Idea.objects.filter(supports__person=person)
        .select_related("region", "topic")
        .order_by("-supports__created_at")
    )


def supported_idea_ids(person: Person | None, ideas: list[Idea]) -> set[int]:
    if person is None or not ideas:
        return set()
    return set(
        Support.objects.filter(person=person, idea__in=[i.pk for i in ideas]).values_list(
            "idea_id", flat=True
        )
    )


def active_dialogues() -> QuerySet[Dialogue]:

    # A correlated count: a join + GROUP BY over the ideas took 0.3 s with 100,000 ideas.
    ideas = Idea.objects.filter(dialogue=OuterRef("pk")).order_by().values("dialogue")
    return (
        Dialogue.objects.filter(is_active=True)
        .select_related("council", "region")
        .annotate(idea_count=Coalesce(Subquery(ideas.annotate(c=Count("id")).values("c")), 0))
        .order_by("-date")
    )


def councils() -> QuerySet[Council]:
    # Two correlated counts, not two joins: joining memberships and ideas multiplies their rows
    # (80 ms with the demo's 1,820 ideas, seconds with 100,000).

    def count_of(model):
        rows = model.objects.filter(council=OuterRef("pk")).order_by().values("council")
        return Coalesce(Subquery(rows.annotate(c=Count("id")).values("c")), 0)

    return Council.objects.select_related("region").annotate(
        member_count=count_of(Membership),
        idea_count=count_of(Idea),
    )


def regions() -> QuerySet[Region]:
    return Region.objects.order_by("ordinal")


@dataclass(frozen=True)
class Stats:
    dialogues: int
    participants: int
    organisations: int
    ideas: int
    supports: int
    top40_support_share: float  # 0..1


def participants_count() -> int:
    """People who took part: wrote or co-wrote an idea, or supported one. An account that
    only signed up (or a chat contact who never sent anything) is not a participant yet, so the
    figure does not drift with every new account."""
    took_part = (
        Exists(Idea.objects.filter(author=OuterRef("pk")))
        | Exists(IdeaCoauthor.objects.filter(person=OuterRef("pk")))
        | Exists(Support.objects.filter(person=OuterRef("pk")))
    )
    return Person.objects.filter(took_part, erased_at__isnull=True).count()


def headline_stats() -> Stats:
    ideas = public_ideas()
    total_supports = ideas.aggregate(s=Sum("support_count"))["s"] or 0
    top = ideas.order_by("-support_count", "id").values_list("support_count", flat=True)[:40]
    top_sum = sum(top)
    return Stats(
        dialogues=Dialogue.objects.count(),
        participants=participants_count(),
        organisations=Organisation.objects.count(),
        ideas=ideas.count(),
        supports=total_supports,
        top40_support_share=(top_sum / total_supports) if total_supports else 0.0,
    )


def overdue_ideas(council: Council | None = None) -> QuerySet[Idea]:

    qs = Idea.objects.filter(
        status__in=[IdeaStatus.ROUTED, IdeaStatus.ON_AGENDA],
        answer_due__lt=timezone.localdate(),
    ).select_related("council")
    if council is not None:
        qs = qs.filter(council=council)
    return qs.order_by("answer_due")


def cached_count(qs: QuerySet, *, seconds: int = 30) -> int:
    """``qs.count()``, remembered for a few seconds per distinct query.

    Counting every visible idea reads the whole table (≈ 40 ms at 100,000 ideas) on each list
    page; a page count a few seconds old is fine, the rows themselves are always fresh.
    """

    sql, params = qs.query.sql_with_params()
    digest = hashlib.sha256(repr((qs.db, sql, params)).encode()).hexdigest()[:32]
    return cast(int, cache.get_or_set(f"count:{digest}", qs.count, seconds))


def council_answer_due(council: Council, *, today: dt.date | None = None) -> dt.date:
    """When a council's answer is due for an idea routed today: its answer period from today."""
    return (today or timezone.localdate()) + dt.timedelta(days=council.answer_days)
