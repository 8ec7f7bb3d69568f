"""The national council's rotation on the site: the pure schedule (``rule.national_rotation``)
over the regions in their north-south order, the current term, and who from each regional
council would take the seat (its current member of that category)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from forum.participation.models import Membership, Region

from . import reasons, rule

# Seats per category on the national council, the length of a term and the first term's year.
SEATS_PER_CATEGORY = int(getattr(settings, "CONVOCATION_NATIONAL_SEATS", 2))
TERM_YEARS = int(getattr(settings, "CONVOCATION_TERM_YEARS", 2))
FIRST_YEAR = int(getattr(settings, "CONVOCATION_FIRST_YEAR", 2026))


def national_context() -> dict:
    regions = list(Region.objects.order_by("ordinal"))
    slugs = [r.slug for r in regions]
    by_slug = {r.slug: r for r in regions}
    seats = min(SEATS_PER_CATEGORY, len(regions)) if regions else 0
    cycle = rule.national_rotation(slugs, rule.CATEGORIES, seats) if seats else []
    today = timezone.localdate()
    current = ((today.year - FIRST_YEAR) // TERM_YEARS) % len(cycle) if cycle else 0
    members = _members(today)
    terms = []
    for n, term in enumerate(cycle):
        start = FIRST_YEAR + TERM_YEARS * (n + (today.year - FIRST_YEAR) // TERM_YEARS - current)
        rows = []
        for category in rule.CATEGORIES:
            holders = []
            for slug in term[category]:
                organisation = members.get((slug, category), "") if n == current else ""
                holders.append((by_slug[slug].name, organisation))
            rows.append((reasons.category_label(category), holders))
        terms.append({"n": n + 1, "start": start, "current": n == current, "rows": rows})
    return {"terms": terms, "seats": seats, "term_years": TERM_YEARS}


def _members(today) -> dict[tuple[str, str], str]:
    """(region slug, category) → the organisation of that regional council's current member of
    that category (the first by term start; public: council members are public)."""
    out: dict[tuple[str, str], str] = {}
    rows = (
        Membership.objects.filter(
            Q(term_end__isnull=True) | Q(term_end__gte=today),
            council__region__isnull=False,
            organisation__isnull=False,
            role=Membership.Role.MEMBER,
        )
        .order_by("term_start", "id")
        .values_list("council__region__slug", "actor_category", "organisation__name")
    )
    for slug, category, name in rows:
        out.setdefault((slug, category), name)
    return out
