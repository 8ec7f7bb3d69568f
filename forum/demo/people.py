"""The demo's people, their organisations and the councils they sit on (pure: a seeded
``random.Random``, no database)."""

from __future__ import annotations

import random
from collections import defaultdict

from forum.participation.models import ActorCategory

from . import content
from .spec import (
    CATEGORY_WEIGHTS,
    TOTAL_ORGANISATIONS,
    TOTAL_PEOPLE,
    OrganisationPlan,
    PersonPlan,
    fill,
    weighted,
)


def person_name(rng: random.Random) -> str:
    return (
        f"{rng.choice(content.FIRST_NAMES)} {rng.choice(content.SURNAMES)} "
        f"{rng.choice(content.SURNAMES)}"
    )


def build_people(rng: random.Random) -> list[PersonPlan]:
    """Each dialogue's attendees; the first two people of each region are SENCE staff."""
    people: list[PersonPlan] = []
    staffed: set[str] = set()
    for dialogue in content.DIALOGUES:
        slug, region = dialogue.slug, dialogue.region
        neighbour = content.NEIGHBOURS.get(slug)
        for n in range(dialogue.attendance):
            home = neighbour if neighbour and n % 4 == 1 else region
            category = weighted(rng, CATEGORY_WEIGHTS)
            role = ""
            # The first two people of each region are SENCE's regional director and secretary.
            if home not in staffed:
                role, category = "chair", ActorCategory.PUBLIC_SECTOR
                staffed.add(home)
            elif f"{home}:secretary" not in staffed:
                role, category = "secretary", ActorCategory.PUBLIC_SECTOR
                staffed.add(f"{home}:secretary")
            people.append(
                PersonPlan(len(people), person_name(rng), home, category, slug, role=role)
            )
    assert len(people) == TOTAL_PEOPLE, len(people)
    return people


def _group_owners(rng: random.Random, people: list[PersonPlan]) -> dict[int, list[int]]:
    """One organisation per person, then merge people of the same region and category into
    shared organisations until there are exactly 313: {host person: members}."""
    owners: dict[int, list[int]] = {p.index: [p.index] for p in people}
    by_group: dict[tuple[str, str], list[int]] = defaultdict(list)
    for p in people:
        by_group[(p.region, p.category)].append(p.index)
    # SENCE's director and secretary of a region work in the same office.
    for region in {p.region for p in people}:
        staff = [p.index for p in people if p.region == region and p.role]
        if len(staff) == 2:
            owners[staff[0]].append(staff[1])
            del owners[staff[1]]
    candidates = [p.index for p in people if not p.role]
    rng.shuffle(candidates)
    for idx in candidates:
        if len(owners) <= TOTAL_ORGANISATIONS:
            break
        person = people[idx]
        group = [
            i
            for i in by_group[(person.region, person.category)]
            if i != idx and i in owners and not people[i].role
        ]
        if not group or idx not in owners or len(owners[idx]) > 1:
            continue
        host = rng.choice(group)
        owners[host].append(idx)
        del owners[idx]
    assert len(owners) == TOTAL_ORGANISATIONS, len(owners)
    return owners


def build_organisations(
    rng: random.Random, people: list[PersonPlan], region_names: dict[str, str]
) -> list[OrganisationPlan]:
    """Exactly 313 organisations, named after their kind and region; sets each person's."""
    owners = _group_owners(rng, people)
    organisations: list[OrganisationPlan] = []
    used: set[tuple[str, str]] = set()
    for host, members in sorted(owners.items()):
        person = people[host]
        info = content.REGIONS[person.region]
        if person.role:
            name = fill(content.SENCE_OFFICE, {"region": region_names[person.region]})
        else:
            for _attempt in range(200):
                name = fill(
                    rng.choice(content.ORGANISATIONS[person.category]),
                    {"comuna": rng.choice(info["comunas"]), "sector": rng.choice(info["sectores"])},
                )
                if (name, person.region) not in used:
                    break
            else:  # pragma: no cover - the name space is far larger than the demo
                name = f"{name} ({host})"
        used.add((name, person.region))
        org = OrganisationPlan(len(organisations), name, person.region, person.category)
        organisations.append(org)
        for m in members:
            people[m].organisation = org.index
    return organisations


def build_memberships(rng: random.Random, people: list[PersonPlan]) -> list[tuple[str, int, str]]:
    """Each regional council: SENCE's regional director chairs, a SENCE secretary, and members
    of every actor category. The national council: one regional member per category, each from
    a different region, as the report proposes (rotating representation)."""
    memberships: list[tuple[str, int, str]] = []
    by_region: dict[str, list[PersonPlan]] = defaultdict(list)
    for p in people:
        by_region[p.region].append(p)
    regional_members: dict[str, list[PersonPlan]] = defaultdict(list)
    for region, members in sorted(by_region.items()):
        council = f"cre-{region}"
        memberships += [(council, p.index, p.role) for p in members if p.role]
        for category in ActorCategory:
            pool = [p for p in members if p.category == category and not p.role]
            for p in rng.sample(pool, min(len(pool), 2 if len(members) > 20 else 1)):
                memberships.append((council, p.index, "member"))
                regional_members[category].append(p)
    chair = next(p for p in by_region["metropolitana"] if p.role == "chair")
    memberships.append(("nacional", chair.index, "chair"))
    used_regions = {chair.region}
    for category in ActorCategory:
        pick = next(p for p in regional_members[category] if p.region not in used_regions)
        used_regions.add(pick.region)
        memberships.append(("nacional", pick.index, "member"))
    return memberships
