"""Build and load the demo: the seed report's scale, deterministic, through the real services.

:func:`build_plan` is pure (a seeded ``random.Random``, no database): the same seed always gives
the same people, organisations, dialogues, ideas, supports and histories. :func:`load` writes
the plan in one transaction. Ideas are submitted and moved through their lifecycle with
:mod:`forum.participation.services` (so histories and outbox rows are real); reference data
(organisations, people, memberships, dialogues) and supports are bulk-created because there is
no per-row domain logic to run for them, then support counters are recomputed by the service.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TypeVar, cast
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, transaction
from django.db.models import Q

from forum.core import events
from forum.participation import codes, services
from forum.participation.lifecycle import ANSWERS, IdeaStatus
from forum.participation.models import (
    ActorCategory,
    Channel,
    ChannelIdentity,
    Council,
    Dialogue,
    Idea,
    Membership,
    Organisation,
    Person,
    Region,
    StatusChange,
    Support,
    Topic,
)

from . import places, text

DEFAULT_SEED = 2025
EXTERNAL_SOURCE = "demo"
PASSWORD = "demo-foro-abierto"  # noqa: S105 - published demo credentials, see README
TZ = ZoneInfo("America/Santiago")
# Histories never go past this day, so the demo is the same whenever it is loaded.
DEMO_TODAY = dt.date(2026, 11, 20)
SECRETARY_COUNCILS = ("cre-metropolitana", "cre-biobio")

TOTAL_PEOPLE = 411
TOTAL_ORGANISATIONS = 313
TOTAL_IDEAS = 1820
IN_PERSON_IDEAS = 1230
PRE_DIALOGUE_IDEAS = 130
DUPLICATES = 72
ZIPF_S, ZIPF_K, TARGET_SUPPORTS = 1.0, 10, 6000

CATEGORY_WEIGHTS = {
    ActorCategory.EMPLOYERS: 22,
    ActorCategory.SELF_EMPLOYMENT: 20,
    ActorCategory.EXCLUSION_GROUPS: 20,
    ActorCategory.TRAINING_PROVIDERS: 22,
    ActorCategory.PUBLIC_SECTOR: 16,
}

S = IdeaStatus
# Where ideas stand depends on how far their dialogue's cycle has gone.
STATUS_MIX: dict[str, dict[str, int]] = {
    "old": {
        S.RECEIVED: 2,
        S.IN_REVIEW: 5,
        S.NOT_ADMITTED: 10,
        S.ROUTED: 8,
        S.ON_AGENDA: 10,
        S.ANSWERED_ACCEPTED: 20,
        S.ANSWERED_PARTLY: 18,
        S.ANSWERED_REJECTED: 14,
        S.IMPLEMENTED: 13,
    },
    "recent": {
        S.RECEIVED: 15,
        S.IN_REVIEW: 25,
        S.NOT_ADMITTED: 8,
        S.ROUTED: 20,
        S.ON_AGENDA: 17,
        S.ANSWERED_ACCEPTED: 6,
        S.ANSWERED_PARTLY: 5,
        S.ANSWERED_REJECTED: 4,
    },
    "new": {S.RECEIVED: 55, S.IN_REVIEW: 35, S.NOT_ADMITTED: 10},
}
SUPPORT_WEIGHT: dict[str, float] = {
    S.RECEIVED: 1.0,
    S.IN_REVIEW: 1.2,
    S.NOT_ADMITTED: 0.2,
    S.ROUTED: 2.5,
    S.ON_AGENDA: 2.8,
    S.ANSWERED_ACCEPTED: 3.0,
    S.ANSWERED_PARTLY: 3.0,
    S.ANSWERED_REJECTED: 2.0,
    S.IMPLEMENTED: 3.0,
    S.MERGED: 0.1,
}


# ------------------------------------------------------------------ the plan (pure)


@dataclass
class PersonPlan:
    index: int
    name: str
    region: str
    category: str
    dialogue: str | None
    organisation: int = -1
    role: str = ""  # "chair" / "secretary" for SENCE staff


@dataclass
class OrganisationPlan:
    index: int
    name: str
    region: str
    category: str


@dataclass
class IdeaPlan:
    index: int
    theme: text.Theme
    title: str
    body: str
    channel: str
    region: str
    dialogue: str | None
    author: int | None
    created_at: dt.datetime
    status: str
    duplicate_of: int | None = None
    slots: dict[str, str] = field(default_factory=dict)
    supporters: list[int] = field(default_factory=list)

    @property
    def external_id(self) -> str:
        return f"demo-{self.index:04d}"


@dataclass
class Plan:
    seed: int
    people: list[PersonPlan]
    organisations: list[OrganisationPlan]
    ideas: list[IdeaPlan]
    memberships: list[tuple[str, int, str]]  # (council slug, person index, role)
    participant: int  # person index behind the ``participante`` account


class _Slots(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, slots: dict[str, str]) -> str:
    return template.format_map(_Slots(slots))


_Key = TypeVar("_Key", bound=str)


def _weighted(rng: random.Random, weights: Mapping[_Key, float]) -> _Key:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _person_name(rng: random.Random) -> str:
    return (
        f"{rng.choice(places.FIRST_NAMES)} {rng.choice(places.SURNAMES)} "
        f"{rng.choice(places.SURNAMES)}"
    )


def _build_people(rng: random.Random) -> list[PersonPlan]:
    people: list[PersonPlan] = []
    staffed: set[str] = set()
    for slug, region, *_rest in places.DIALOGUES:
        attendance = cast(int, _rest[3])  # places.DIALOGUES: (slug, region, …, attendance, …)
        neighbour = places.NEIGHBOURS.get(slug)
        for n in range(attendance):
            home = neighbour if neighbour and n % 4 == 1 else region
            category = _weighted(rng, CATEGORY_WEIGHTS)
            role = ""
            # The first two people of each region are SENCE's regional director and secretary.
            if home not in staffed:
                role, category = "chair", ActorCategory.PUBLIC_SECTOR
                staffed.add(home)
            elif f"{home}:secretary" not in staffed:
                role, category = "secretary", ActorCategory.PUBLIC_SECTOR
                staffed.add(f"{home}:secretary")
            people.append(
                PersonPlan(len(people), _person_name(rng), home, category, slug, role=role)
            )
    assert len(people) == TOTAL_PEOPLE, len(people)
    return people


def _build_organisations(
    rng: random.Random, people: list[PersonPlan], region_names: dict[str, str]
) -> list[OrganisationPlan]:
    """One organisation per person, then merge people of the same region and category into
    shared organisations until there are exactly 313."""
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

    organisations: list[OrganisationPlan] = []
    used: set[tuple[str, str]] = set()
    for host, members in sorted(owners.items()):
        person = people[host]
        info = places.REGIONS[person.region]
        if person.role:
            name = fill(places.SENCE_OFFICE, {"region": region_names[person.region]})
        else:
            for _attempt in range(200):
                name = fill(
                    rng.choice(places.ORGANISATIONS[person.category]),
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


def _build_memberships(rng: random.Random, people: list[PersonPlan]) -> list[tuple[str, int, str]]:
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


def _dialogue_bucket(phase: str) -> str:
    return {"celebration": "old", "realisation": "recent"}.get(phase, "new")


def _bucket_for_date(day: dt.date) -> str:
    age = (DEMO_TODAY - day).days
    if age > 300:
        return "old"
    if age > 70:
        return "recent"
    return "new"


def _compose(
    rng: random.Random, theme: text.Theme, channel: str, slots: dict[str, str]
) -> tuple[str, str]:
    motif = rng.choice(theme.motifs)
    title = fill(rng.choice(motif.titles), slots)
    if channel == Channel.IN_PERSON:
        # Transcriptions of post-its and flip charts: short.
        parts = [rng.choice(motif.proposals)]
        if rng.random() < 0.5:
            parts.insert(0, rng.choice(motif.problems))
    else:
        parts = [rng.choice(motif.problems), rng.choice(motif.proposals)]
        if theme.details and rng.random() < 0.5:
            parts.append(rng.choice(theme.details))
    opener = fill(rng.choice(text.OPENERS[channel]), slots)
    closer = rng.choice(text.CLOSERS[channel])
    sentence = " ".join(fill(p, slots) for p in parts)
    if opener and not opener.rstrip().endswith((".", "!", "?")) and channel != Channel.IN_PERSON:
        sentence = sentence[0].lower() + sentence[1:]
    body = opener + sentence
    if channel in (Channel.TELEGRAM, Channel.WHATSAPP) and rng.random() < 0.3:
        body = body[0].lower() + body[1:]
    if closer:
        body = f"{body} {closer}"
    return title, body.strip()


def _near_duplicate(rng: random.Random, original: IdeaPlan) -> tuple[str, str]:
    """The same idea sent again in other words (the moderation queue should catch it)."""
    title = original.title
    variant = rng.randrange(4)
    if variant == 0:
        title = "Propongo: " + title[0].lower() + title[1:]
    elif variant == 1:
        title = title.replace("Que ", "Q ").replace("trabajo", "pega").lower()
    elif variant == 2:
        title = f"{title} (urgente)"
    else:
        title = f"{title}, por favor"
    # Keep the substance, drop the original's greeting and sign-off, add a chat-style lead-in.
    sentences = [
        s for s in re.split(r"(?<=[.!?])\s+", original.body) if len(s) > 25 and s[0] != "("
    ]
    core = " ".join(sentences[-2:] if len(sentences) > 1 else sentences) or original.title
    lead = rng.choice(
        [
            "",
            "",
            "De nuevo mi propuesta: ",
            "Insisto con esto: ",
            "Lo mismo que dijimos en la mesa: ",
            "Reenvío: ",
        ]
    )
    if lead:
        core = core[0].lower() + core[1:]
    return title, f"{lead}{core}"


def _slots(rng: random.Random, region_slug: str, region_names: dict[str, str]) -> dict[str, str]:
    info = places.REGIONS[region_slug]
    return {
        "comuna": rng.choice(info["comunas"]),
        "sector": rng.choice(info["sectores"]),
        "region": region_names[region_slug],
        "grupo": rng.choice(text.GRUPOS),
        "oficio": rng.choice(text.OFICIOS),
        "mesa": str(rng.randint(1, 8)),
        "rol": fill(
            rng.choice(text.ROLES),
            {
                "comuna": rng.choice(info["comunas"]),
                "sector": rng.choice(info["sectores"]),
                "oficio": rng.choice(text.OFICIOS),
            },
        ),
    }


def _at(day: dt.date, rng: random.Random, start_hour: int = 9, end_hour: int = 21) -> dt.datetime:
    return dt.datetime.combine(
        day, dt.time(rng.randint(start_hour, end_hour - 1), rng.randrange(60)), tzinfo=TZ
    )


def _build_ideas(
    rng: random.Random, people: list[PersonPlan], region_names: dict[str, str]
) -> list[IdeaPlan]:
    themes = {t.slug: t for t in text.THEMES}
    attendees: dict[str, list[int]] = defaultdict(list)
    for p in people:
        if p.dialogue:
            attendees[p.dialogue].append(p.index)
    ideas: list[IdeaPlan] = []

    def add(
        theme: text.Theme,
        channel: str,
        region: str,
        dialogue: str | None,
        author: int | None,
        created: dt.datetime,
        bucket: str,
    ) -> None:
        slots = _slots(rng, region, region_names)
        slots["year"] = str(min(created.year + 1, 2026))
        title, body = _compose(rng, theme, channel, slots)
        ideas.append(
            IdeaPlan(
                len(ideas),
                theme,
                title,
                body,
                channel,
                region,
                dialogue,
                author,
                created,
                _weighted(rng, STATUS_MIX[bucket]),
                slots=slots,
            )
        )

    held = [d for d in places.DIALOGUES if d[6] in ("celebration", "realisation")]
    future = [d for d in places.DIALOGUES if d not in held]
    held_attendance = sum(d[5] for d in held)
    quotas = [round(IN_PERSON_IDEAS * d[5] / held_attendance) for d in held]
    quotas[-1] += IN_PERSON_IDEAS - sum(quotas)
    for d, quota in zip(held, quotas, strict=True):
        slug, region, day = d[0], d[1], dt.date.fromisoformat(d[2])
        topic_slugs = d[8]
        for _n in range(quota):
            # Most ideas follow the dialogue's topics; some tables wander off.
            slug_t = rng.choice(topic_slugs) if rng.random() < 0.8 else rng.choice(list(themes))
            author = rng.choice(attendees[slug]) if rng.random() < 0.9 else None
            created = _at(day, rng, 10, 14)
            add(
                themes[slug_t],
                Channel.IN_PERSON,
                people[author].region if author is not None else region,
                slug,
                author,
                created,
                _dialogue_bucket(d[6]),
            )
    for n in range(PRE_DIALOGUE_IDEAS):
        d = future[n % len(future)]
        author = rng.choice(attendees[d[0]])
        created = _at(DEMO_TODAY - dt.timedelta(days=rng.randint(1, 65)), rng)
        channel = _weighted(rng, {Channel.WEB: 40, Channel.TELEGRAM: 30, Channel.WHATSAPP: 30})
        add(themes[rng.choice(d[8])], channel, people[author].region, d[0], author, created, "new")
    online = TOTAL_IDEAS - IN_PERSON_IDEAS - PRE_DIALOGUE_IDEAS - DUPLICATES
    first_day = dt.date(2025, 4, 15)
    span = (DEMO_TODAY - first_day).days
    for _n in range(online):
        author = rng.randrange(len(people))
        day = first_day + dt.timedelta(days=rng.randrange(span))
        channel = _weighted(rng, {Channel.WEB: 45, Channel.TELEGRAM: 30, Channel.WHATSAPP: 25})
        add(
            rng.choice(text.THEMES),
            channel,
            people[author].region,
            None,
            author,
            _at(day, rng),
            _bucket_for_date(day),
        )
    # Near-duplicates arrive after their original, mostly by chat, and wait for moderation.
    originals = rng.sample(range(len(ideas)), DUPLICATES)
    for orig in originals:
        source = ideas[orig]
        title, body = _near_duplicate(rng, source)
        created = source.created_at + dt.timedelta(days=rng.randint(1, 20), hours=rng.randint(0, 9))
        created = min(created, _at(DEMO_TODAY, rng, 9, 12))
        channel = _weighted(rng, {Channel.WEB: 30, Channel.TELEGRAM: 40, Channel.WHATSAPP: 30})
        author = rng.randrange(len(people))
        ideas.append(
            IdeaPlan(
                len(ideas),
                source.theme,
                title,
                body,
                channel,
                source.region,
                source.dialogue,
                author,
                created,
                _weighted(rng, {S.RECEIVED: 45, S.IN_REVIEW: 20, S.MERGED: 35}),
                duplicate_of=orig,
                slots=source.slots,
            )
        )
    assert len(ideas) == TOTAL_IDEAS
    return ideas


def _assign_supports(rng: random.Random, people: list[PersonPlan], ideas: list[IdeaPlan]) -> None:
    """Zipf-like support counts: popular ideas gather most of them, as in the report (the 40
    most supported ideas held about 30 % of the votes)."""
    score = [rng.random() ** (1 / SUPPORT_WEIGHT[i.status]) for i in ideas]
    ranked = sorted(range(len(ideas)), key=lambda i: -score[i])
    weights = [1 / (r + ZIPF_K) ** ZIPF_S for r in range(1, len(ideas) + 1)]
    scale = TARGET_SUPPORTS / sum(weights)
    by_region: dict[str, list[int]] = defaultdict(list)
    for p in people:
        by_region[p.region].append(p.index)
    everyone = [p.index for p in people]
    for rank, idx in enumerate(ranked):
        idea = ideas[idx]
        count = min(int(scale * weights[rank] + rng.random()), len(people) - 1)
        local = [i for i in by_region[idea.region] if i != idea.author]
        chosen = rng.sample(local, min(len(local), round(count * 0.7)))
        taken = set(chosen) | {idea.author}
        others = [i for i in everyone if i not in taken]
        chosen += rng.sample(others, count - len(chosen))
        idea.supporters = sorted(chosen)


def build_plan(seed: int = DEFAULT_SEED, region_names: dict[str, str] | None = None) -> Plan:
    rng = random.Random(seed)  # noqa: S311 - demo content, reproducible on purpose
    if region_names is None:
        region_names = {slug: slug for slug in places.REGIONS}
    people = _build_people(rng)
    organisations = _build_organisations(rng, people, region_names)
    memberships = _build_memberships(rng, people)
    ideas = _build_ideas(rng, people, region_names)
    # The demo participant: someone from the last Santiago dialogue with varied ideas.
    santiago = [
        p.index for p in people if p.dialogue == "dialogo-metropolitana-2026" and not p.role
    ]
    participant = santiago[0]
    mine = [
        i for i in ideas if i.dialogue == "dialogo-metropolitana-2026" and i.duplicate_of is None
    ]
    wanted = [S.ANSWERED_PARTLY, S.ON_AGENDA, S.IN_REVIEW, S.NOT_ADMITTED, S.RECEIVED]
    for status in wanted:
        pick = next((i for i in mine if i.status == status and i.author != participant), None)
        if pick is None:
            pick = next(i for i in mine if i.author != participant)
            pick.status = status
        pick.author = participant
    _assign_supports(rng, people, ideas)
    # … and some supports of her own, on ideas still open.
    open_ideas = [
        i
        for i in ideas
        if i.status in (S.RECEIVED, S.IN_REVIEW, S.ROUTED)
        and i.author != participant
        and participant not in i.supporters
    ]
    for idea in rng.sample(open_ideas, 8):
        idea.supporters = sorted([*idea.supporters, participant])
    return Plan(seed, people, organisations, ideas, memberships, participant)


# ------------------------------------------------------------------ loading


@dataclass
class Report:
    created: bool
    seconds: float
    counts: dict[str, int]
    top40_share: float
    statuses: dict[str, int]


@contextlib.contextmanager
def seeded_codes(seed: int) -> Iterator[None]:
    """Deterministic tracking codes while loading, so documentation can cite demo codes.

    Only the demo uses this: real codes stay ``secrets``-random (see :mod:`codes`)."""
    rng = random.Random(f"codes-{seed}")  # noqa: S311 - demo codes only, reproducible
    original = codes.generate_code
    codes.generate_code = lambda: "".join(rng.choice(codes.ALPHABET) for _ in range(codes.LENGTH))
    try:
        yield
    finally:
        codes.generate_code = original


@contextlib.contextmanager
def sql_not_logged() -> Iterator[None]:
    """Don't keep a debug log of the ~60,000 queries of a load.

    Under ``DEBUG`` (``make run``) Django logs every query, and on SQLite it quotes each
    parameter with an extra ``SELECT QUOTE(?)`` round trip: that alone roughly doubles the load
    time. The log is only read by debugging tools, which are not running in this command."""
    from django.conf import settings

    previous = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = previous


def is_loaded() -> bool:
    return Idea.objects.filter(external_source=EXTERNAL_SOURCE).exists()


def _users() -> dict[str, AbstractBaseUser]:
    User = get_user_model()
    users: dict[str, AbstractBaseUser] = {}
    hashed = ""
    specs = [
        ("demo", {"is_staff": True, "is_superuser": True}, None),
        ("moderadora", {"is_staff": True}, "Moderación"),
        ("secretaria", {"is_staff": True}, "Secretaría de consejo"),
        ("participante", {}, None),
    ]
    for username, flags, group in specs:
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": f"{username}@demo.foroabierto.cl", **flags}
        )
        if created:
            # One hash for the four published demo accounts (hashing costs ~0.3 s each).
            hashed = hashed or make_password(PASSWORD)
            user.password = hashed
            user.save(update_fields=["password"])
        if group:
            user.groups.add(Group.objects.get_or_create(name=group)[0])
        users[username] = user
    from forum.moderation.services import council_secretary_assign

    # The demo secretary answers for the two busiest councils of the demo.
    for slug in SECRETARY_COUNCILS:
        council_secretary_assign(
            user=users["secretaria"], council=Council.objects.get(slug=slug), actor=None
        )
    return users


def _history_dates(rng: random.Random, created: dt.datetime, steps: int) -> list[dt.datetime]:
    """Increasing dates after ``created``, never past DEMO_TODAY."""
    limit = dt.datetime.combine(DEMO_TODAY, dt.time(18), tzinfo=TZ)
    dates, current = [], created
    gaps = [
        rng.randint(3, 25),
        rng.randint(7, 40),
        rng.randint(10, 45),
        rng.randint(20, 90),
        rng.randint(60, 200),
    ]
    for n in range(steps):
        day = current.astimezone(TZ).date() + dt.timedelta(days=gaps[n % len(gaps)])
        current = _at(day, rng, 9, 18)  # office hours
        dates.append(current)
    if dates and dates[-1] > limit:
        room = max((limit - created).total_seconds(), 3600 * steps)
        dates = [created + dt.timedelta(seconds=room * (n + 1) / (steps + 1)) for n in range(steps)]
    return dates


def _format_day(day: dt.date) -> str:
    return f"{day.day} de {text.MONTHS[day.month - 1]} de {day.year}"


def load(*, seed: int = DEFAULT_SEED, log: Callable[[str], None] = print) -> Report:
    """Load the demo unless it is already there (then nothing changes)."""
    started = time.monotonic()
    if is_loaded():
        return Report(False, time.monotonic() - started, counts(), _share(), _statuses())
    regions = {r.slug: r for r in Region.objects.all()}
    plan = build_plan(seed, {slug: r.name for slug, r in regions.items()})
    rng = random.Random(f"history-{seed}")  # noqa: S311 - demo content
    with sql_not_logged(), events.batched(), transaction.atomic(), seeded_codes(seed):
        users = _users()
        topics = _load_topics()
        dialogues = _load_dialogues(regions, topics)
        orgs = Organisation.objects.bulk_create(
            [
                Organisation(name=o.name, region=regions[o.region], actor_category=o.category)
                for o in plan.organisations
            ]
        )
        persons = Person.objects.bulk_create(
            [
                Person(
                    display_name=p.name,
                    region=regions[p.region],
                    organisation=orgs[p.organisation],
                    actor_category=p.category,
                    consent_at=_at(dt.date(2025, 4, 1), rng),
                    email_notifications=False,
                )
                for p in plan.people
            ]
        )
        participant = persons[plan.participant]
        Person.objects.filter(pk=participant.pk).update(user=users["participante"])
        ChannelIdentity.objects.get_or_create(
            channel=Channel.WEB,
            external_id=str(users["participante"].pk),
            defaults={"person": participant},
        )
        councils = {c.slug: c for c in Council.objects.all()}
        Membership.objects.bulk_create(
            [
                Membership(
                    council=councils[c],
                    person=persons[i],
                    organisation=orgs[plan.people[i].organisation],
                    actor_category=plan.people[i].category,
                    role=role,
                    term_start=dt.date(2025, 3, 1) if role != "member" else dt.date(2025, 4, 1),
                    term_end=dt.date(2027, 2, 28),
                )
                for c, i, role in plan.memberships
            ]
        )
        log(
            f"  {len(orgs)} organizaciones, {len(persons)} personas, "
            f"{len(plan.memberships)} membresías, {len(dialogues)} diálogos"
        )

        ideas: list[Idea] = []
        for n, p in enumerate(plan.ideas, start=1):
            ideas.append(
                services.idea_submit(
                    author=persons[p.author] if p.author is not None else None,
                    title=p.title,
                    body=p.body,
                    channel=p.channel,
                    region=regions[p.region],
                    topic=topics[p.theme.slug],
                    dialogue=dialogues.get(p.dialogue or ""),
                    external_source=EXTERNAL_SOURCE,
                    external_id=p.external_id,
                    created_at=p.created_at,
                )
            )
            if n % 500 == 0:
                log(f"  {n} ideas recibidas… ({time.monotonic() - started:.0f} s)")
        dated: list[tuple[int, int, dt.datetime]] = []  # (StatusChange id, idea id, when)
        for n, p in enumerate(plan.ideas, start=1):
            dated += _walk(p, ideas[p.index], plan, rng, users, councils, dialogues)
            if n % 500 == 0:
                log(f"  {n} ideas con su historial… ({time.monotonic() - started:.0f} s)")
        Support.objects.bulk_create(
            [
                Support(
                    idea=ideas[p.index],
                    person=persons[s],
                    channel=Channel.IN_PERSON
                    if p.channel == Channel.IN_PERSON and plan.people[s].dialogue == p.dialogue
                    else Channel.WEB,
                )
                for p in plan.ideas
                for s in p.supporters
            ],
            batch_size=2000,
        )
        services.ideas_recount_supports()
        log(
            f"  {sum(len(p.supporters) for p in plan.ideas)} apoyos "
            f"({time.monotonic() - started:.0f} s)"
        )

        merged = _merge_duplicates(plan, ideas, users, rng, dated)
        if merged:
            log(f"  {merged} ideas repetidas fusionadas ({time.monotonic() - started:.0f} s)")
        _backdate(dated, plan, ideas)
        log(f"  fechas del historial ({time.monotonic() - started:.0f} s)")
    return Report(True, time.monotonic() - started, counts(), _share(), _statuses())


def _load_topics() -> dict[str, Topic]:
    topics = {}
    for theme in text.THEMES:
        topic, _created = Topic.objects.get_or_create(
            slug=theme.slug, defaults={"name": theme.name, "description": theme.description}
        )
        topics[theme.slug] = topic
    return topics


def _load_dialogues(regions: dict[str, Region], topics: dict[str, Topic]) -> dict[str, Dialogue]:
    dialogues = {}
    for (
        slug,
        region,
        day,
        place,
        facilitators,
        attendance,
        phase,
        active,
        topic_slugs,
    ) in places.DIALOGUES:
        dialogue, _created = Dialogue.objects.get_or_create(
            slug=slug,
            defaults={
                "title": f"Diálogo de Innovación Ciudadana {regions[region].name} {day[:4]}",
                "council": Council.objects.get(region=regions[region]),
                "region": regions[region],
                "date": dt.date.fromisoformat(day),
                "place": place,
                "facilitators": facilitators,
                "attendance": attendance,
                "phase": phase,
                "is_active": active,
            },
        )
        dialogue.topics.set([topics[t] for t in topic_slugs])
        dialogues[slug] = dialogue
    return dialogues


def _walk(
    p: IdeaPlan,
    idea: Idea,
    plan: Plan,
    rng: random.Random,
    users: dict[str, AbstractBaseUser],
    councils: dict[str, Council],
    dialogues: dict[str, Dialogue],
) -> list[tuple[int, int, dt.datetime]]:
    """Move one idea to its planned status through the services, the way a moderator and a
    council secretary would have."""
    moderator, secretary = users["moderadora"], users["secretaria"]
    target = p.status
    if target == S.MERGED:
        # Merged later by the moderation service; some were looked at first.
        target = S.IN_REVIEW if p.index % 2 else S.RECEIVED
    if target == S.RECEIVED:
        return []
    steps: list[tuple[str, str]] = []  # (kind, status)
    if target == S.NOT_ADMITTED:
        if rng.random() < 0.5:
            steps.append(("move", S.IN_REVIEW))
        steps.append(("move", S.NOT_ADMITTED))
    else:
        steps.append(("move", S.IN_REVIEW))
    answered = target in ANSWERS or target == S.IMPLEMENTED
    if target in (S.ROUTED, S.ON_AGENDA) or answered:
        steps.append(("route", S.ROUTED))
    if target == S.ON_AGENDA or (answered and rng.random() < 0.6):
        steps.append(("agenda", S.ON_AGENDA))
    if answered:
        outcome = (
            target
            if target in ANSWERS
            else rng.choice([S.ANSWERED_ACCEPTED, S.ANSWERED_ACCEPTED, S.ANSWERED_PARTLY])
        )
        steps.append(("answer", outcome))
    if target == S.IMPLEMENTED:
        steps.append(("move", S.IMPLEMENTED))
    dates = _history_dates(rng, p.created_at, len(steps))
    council = councils[f"cre-{p.region}"]
    if p.theme.slug == "revisar-modelo" and rng.random() < 0.3:
        council = councils["nacional"]
    changes: list[tuple[int, int, dt.datetime]] = []
    for (kind, status), when in zip(steps, dates, strict=True):
        slots = {**p.slots, "council": council.name, "year": str(when.year)}
        if kind == "move" and status == S.IN_REVIEW:
            change = services.idea_transition(
                idea=idea,
                to_status=status,
                actor=moderator,
                public_message=rng.choice(text.IN_REVIEW),
            )
        elif kind == "move" and status == S.NOT_ADMITTED:
            message = fill(rng.choice(text.NOT_ADMITTED), {"otro": rng.choice(text.OTROS)})
            change = services.idea_transition(
                idea=idea, to_status=status, actor=moderator, public_message=message
            )
        elif kind == "route":
            change = services.idea_route(
                idea=idea,
                council=council,
                actor=secretary,
                answer_due=(when + dt.timedelta(days=60)).date(),
                public_message=fill(rng.choice(text.ROUTED), slots),
            )
        elif kind == "agenda":
            month = text.MONTHS[when.month - 1]
            change = services.idea_transition(
                idea=idea,
                to_status=status,
                actor=secretary,
                public_message=f"En la agenda de la sesión de {month} del {council.name}.",
            )
        elif kind == "answer":
            banks: dict[str, list[str]] = {
                S.ANSWERED_ACCEPTED: p.theme.accept,
                S.ANSWERED_PARTLY: p.theme.partly,
                S.ANSWERED_REJECTED: p.theme.reject,
            }
            bank = banks[status]
            action = fill(rng.choice(bank), slots)
            answer = " ".join(
                [
                    fill(
                        rng.choice(text.ANSWER_INTRO),
                        {
                            "council": council.name,
                            "date": _format_day(when.date()),
                            "action": action,
                        },
                    ),
                    rng.choice(text.ANSWER_OUTRO[status]),
                ]
            )
            change = services.idea_answer(idea=idea, outcome=status, answer=answer, actor=secretary)
        else:  # implemented
            message = fill(
                rng.choice(text.IMPLEMENTED),
                {"month": text.MONTHS[when.month - 1], "year": str(when.year)},
            )
            change = services.idea_transition(
                idea=idea, to_status=status, actor=secretary, public_message=message
            )
        changes.append((change.pk, idea.pk, when))
    return changes


def _merge_service() -> Callable[..., object] | None:
    try:
        from forum.moderation import services as moderation_services
    except ImportError:
        return None
    return getattr(moderation_services, "idea_merge", None)


def _merge_duplicates(
    plan: Plan,
    ideas: list[Idea],
    users: dict[str, AbstractBaseUser],
    rng: random.Random,
    dated: list[tuple[int, int, dt.datetime]],
) -> int:
    """A moderator merges the near-duplicates planned as merged into their original, through
    the moderation app's service (supports move, authors become co-authors). Without that
    service the duplicates simply wait in the moderation queue."""
    merge = _merge_service()
    if merge is None:
        return 0
    merged = 0
    for p in plan.ideas:
        if p.status != S.MERGED or p.duplicate_of is None:
            continue
        merge(
            canonical=ideas[p.duplicate_of],
            merged=[ideas[p.index]],
            actor=users["moderadora"],
            reason="Misma propuesta que la idea original.",
        )
        change = StatusChange.objects.filter(idea=ideas[p.index], to_status=S.MERGED).latest("id")
        previous = max([p.created_at] + [w for _c, i, w in dated if i == ideas[p.index].pk])
        when = min(
            _at(previous.astimezone(TZ).date() + dt.timedelta(days=rng.randint(1, 6)), rng, 9, 18),
            dt.datetime.combine(DEMO_TODAY, dt.time(17), tzinfo=TZ),
        )
        dated.append((change.pk, ideas[p.index].pk, when))
        merged += 1
    return merged


def _set_column(model: type, column: str, rows: list[tuple[int, object]]) -> None:
    """UPDATE one column of many rows with one prepared statement (bulk_update's CASE
    expressions are far slower for thousands of rows)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)  # type: ignore[attr-defined]
    field = model._meta.get_field(column)  # type: ignore[attr-defined]
    col = connection.ops.quote_name(field.column)
    params = [(field.get_db_prep_value(value, connection), pk) for pk, value in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {col} = %s WHERE id = %s", params)  # noqa: S608


def _backdate(dated: list[tuple[int, int, dt.datetime]], plan: Plan, ideas: list[Idea]) -> None:
    """Histories happened over months: give each recorded change, the notification it caused
    and the idea's last update the date they had (a data fix-up, not a status change)."""
    from forum.notifications.models import Notification

    when = {change_id: moment for change_id, _idea, moment in dated}
    created = {ideas[p.index].pk: p.created_at for p in plan.ideas}
    receptions = StatusChange.objects.filter(
        idea__external_source=EXTERNAL_SOURCE, from_status=""
    ).values_list("id", "idea_id")
    rows: list[tuple[int, object]] = [(pk, created[idea_id]) for pk, idea_id in receptions]
    _set_column(StatusChange, "created_at", rows + list(when.items()))
    last = dict(created)
    for _change, idea_id, moment in dated:
        last[idea_id] = max(last[idea_id], moment)
    _set_column(Idea, "updated_at", list(last.items()))
    notes = Notification.objects.filter(idea__external_source=EXTERNAL_SOURCE).values_list(
        "id", "payload"
    )
    _set_column(
        Notification,
        "created_at",
        [
            (pk, when[payload["change_id"]])
            for pk, payload in notes
            if payload.get("change_id") in when
        ],
    )


def counts() -> dict[str, int]:
    from forum.participation import selectors

    stats = selectors.headline_stats()
    return {
        "dialogues": stats.dialogues,
        "regions": Dialogue.objects.values("region").distinct().count(),
        "participants": stats.participants,
        "organisations": stats.organisations,
        "ideas": stats.ideas,
        "supports": stats.supports,
    }


def unload(*, seed: int = DEFAULT_SEED) -> str:
    """Delete what the demo loaded with ``seed`` (its ideas, people, organisations, dialogues,
    accounts). Topics stay: other content may use them."""
    from forum.notifications.models import Notification

    ideas = Idea.objects.filter(external_source=EXTERNAL_SOURCE)
    org_names = {o.name for o in build_plan(seed).organisations} | {
        places.SENCE_OFFICE.format(region=r.name) for r in Region.objects.all()
    }
    people = Person.objects.filter(organisation__name__in=org_names)
    Notification.objects.filter(idea__in=ideas).delete()
    try:
        from forum.moderation.models import Merge
    except ImportError:  # pragma: no cover
        pass
    else:
        Merge.objects.filter(Q(canonical__in=ideas) | Q(merged__in=ideas)).delete()
    n_ideas = ideas.count()
    # Merged ideas point at their canonical idea (PROTECT): unlink before deleting.
    ideas.update(merged_into=None)
    ideas.delete()
    n_people = people.count()
    people.delete()
    Organisation.objects.filter(name__in=org_names, people__isnull=True).delete()
    Dialogue.objects.filter(slug__in=[d[0] for d in places.DIALOGUES]).delete()
    get_user_model().objects.filter(
        username__in=["demo", "moderadora", "secretaria", "participante"]
    ).delete()
    return f"{n_ideas} ideas, {n_people} personas"


def _share() -> float:
    from forum.participation import selectors

    return selectors.headline_stats().top40_support_share


def _statuses() -> dict[str, int]:
    return dict(Counter(Idea.objects.values_list("status", flat=True)))
