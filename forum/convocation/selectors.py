"""Reads for the convocation pages and the rule: candidates with their history summarised, the
balance of a list, the fatigue of a region."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from forum.participation.models import (
    ActorCategory,
    Council,
    Dialogue,
    Membership,
    Organisation,
    Region,
)

from . import rule
from .models import (
    Convocation,
    Invitation,
    OrganisationProfile,
    PriorityChain,
    Proposal,
    Seat,
)

FATIGUE_WINDOW = dt.timedelta(days=365)


def priority_chains(region: Region) -> frozenset[str]:
    return frozenset(
        PriorityChain.objects.filter(region=region).values_list("chain__name", flat=True)
    )


def region_organisations(region: Region) -> QuerySet[Organisation]:
    """Organisations of ``region`` (seated there or acting there too), unless marked not
    convocable. No join on the other regions (a subquery), so no DISTINCT is needed."""
    acting_there = OrganisationProfile.other_regions.through.objects.filter(region=region).values(
        "organisationprofile__organisation_id"
    )
    return Organisation.objects.filter(Q(region=region) | Q(pk__in=acting_there)).exclude(
        convocation_profile__active=False
    )


def with_history(qs: QuerySet[Organisation], today: dt.date) -> Any:
    """``qs`` annotated with ``last_convened`` and ``convened_12m`` (typed Any: the stubs lose
    annotations across a function's return)."""
    since = today - FATIGUE_WINDOW
    return qs.annotate(
        last_convened=Max("convocations__date", filter=Q(convocations__date__lte=today)),
        convened_12m=Count(
            "convocations",
            filter=Q(convocations__date__gt=since, convocations__date__lte=today),
        ),
    )


def history(organisations: QuerySet[Organisation], today: dt.date) -> dict[int, tuple]:
    """organisation id → (last convocation date, convocations in the 12 months to ``today``):
    one GROUP BY over the convocations, on their (organisation, date) index."""
    since = today - FATIGUE_WINDOW
    rows = (
        Convocation.objects.filter(
            organisation__in=organisations.order_by().values("pk"), date__lte=today
        )
        .values("organisation_id")
        .annotate(last=Max("date"), recent=Count("pk", filter=Q(date__gt=since)))
        .values_list("organisation_id", "last", "recent")
    )
    return {pk: (last, recent) for pk, last, recent in rows}


def candidates(region: Region, today: dt.date) -> list[rule.Candidate]:
    """Everything the rule needs about the region's organisations, in two queries (the
    registry, then the history summarised by the database)."""
    orgs = region_organisations(region)
    past = history(orgs, today)
    # No ORDER BY: the rule ranks them itself (sorting 20,000 names cost a fifth of the read).
    rows = orgs.order_by().values_list(
        "pk",
        "name",
        "actor_category",
        "convocation_profile__territory",
        "convocation_profile__value_chain__name",
        "convocation_profile__at_risk_group",
    )
    out = []
    for pk, name, category, territory, chain, group in rows:
        last, recent = past.get(pk, (None, 0))
        out.append(
            rule.Candidate(
                id=pk,
                name=name,
                category=category,
                territory=territory or "",
                value_chain=chain or "",
                at_risk_group=group or "",
                last_convened=last,
                convened_12m=recent,
            )
        )
    return out


def proposals() -> QuerySet[Proposal]:
    return Proposal.objects.select_related("dialogue", "council", "region")


def active_seats(proposal: Proposal) -> QuerySet[Seat]:
    return (
        proposal.seats.exclude(state__in=[Seat.State.SWAPPED, Seat.State.DECLINED])
        .select_related("organisation")
        .order_by("position", "id")
    )


def seats_for_page(proposal: Proposal) -> QuerySet[Seat]:
    return (
        proposal.seats.select_related("organisation")
        .annotate(
            contacts_count=Count("organisation__contacts", distinct=True),
        )
        .prefetch_related("invitations__person")
        .order_by("position", "id")
    )


@dataclass(frozen=True)
class BalanceRow:
    category: str
    label: str
    target: int
    invited: int
    confirmed: int
    attended: int


INVITED_STATES = (
    Seat.State.INVITED,
    Seat.State.DELEGATED,
    Seat.State.CONFIRMED,
    Seat.State.ATTENDED,
)


def balance(proposal: Proposal) -> list[BalanceRow]:
    """Target vs invited vs confirmed vs attended, by category (one query)."""
    target = rule.quotas(proposal.size, proposal.shares or rule.DEFAULT_SHARES)
    counts = {
        row["category"]: row
        for row in proposal.seats.values("category").annotate(
            invited=Count("pk", filter=Q(state__in=INVITED_STATES)),
            confirmed=Count("pk", filter=Q(state__in=[Seat.State.CONFIRMED, Seat.State.ATTENDED])),
            attended=Count("pk", filter=Q(state=Seat.State.ATTENDED)),
        )
    }
    labels = dict(ActorCategory.choices)
    rows = []
    for category in rule.CATEGORIES:
        c = counts.get(category, {})
        rows.append(
            BalanceRow(
                category=category,
                label=str(labels.get(category, category)),
                target=target.get(category, 0),
                invited=c.get("invited", 0),
                confirmed=c.get("confirmed", 0),
                attended=c.get("attended", 0),
            )
        )
    return rows


def latest_proposal(*, dialogue: Dialogue | None = None, council: Council | None = None):
    qs = proposals()
    qs = qs.filter(dialogue=dialogue) if dialogue is not None else qs.filter(council=council)
    return qs.first()


def invitation_by_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("seat__proposal", "seat__organisation", "person")
        .filter(token=token)
        .first()
    )


def most_convened(region: Region, today: dt.date, limit: int = 10) -> list[Organisation]:
    """The region's organisations convened most in the last 12 months (fatigue)."""
    return list(
        with_history(region_organisations(region), today)
        .filter(convened_12m__gt=0)
        .order_by("-convened_12m", "name", "pk")[:limit]
    )


def never_convened(region: Region) -> QuerySet[Organisation]:
    return region_organisations(region).filter(convocations__isnull=True).order_by("name", "pk")


def public_member_ids(region: Region | None = None) -> set[int]:
    """Organisations that sit on a council today: the only ones public pages name."""
    today = timezone.localdate()
    qs = Membership.objects.filter(
        Q(term_end__isnull=True) | Q(term_end__gte=today), organisation__isnull=False
    )
    if region is not None:
        qs = qs.filter(council__region=region)
    return set(qs.values_list("organisation_id", flat=True))


def category_counts(orgs) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(rule.CATEGORIES, 0)
    for o in orgs:
        counts[o.actor_category] = counts.get(o.actor_category, 0) + 1
    return counts


def recent_convocations(organisation: Organisation) -> QuerySet[Convocation]:
    return organisation.convocations.select_related("dialogue", "council")[:20]


def council_history(council: Council, limit: int = 12) -> list[tuple[Proposal, list[BalanceRow]]]:
    """How balanced a council's spaces have been over time: the latest lists of its dialogues
    and renewals, newest first, each with its balance (one query per list, at most ``limit``)."""
    lists = proposals().filter(Q(council=council) | Q(dialogue__council=council))[:limit]
    return [(p, balance(p)) for p in lists]
