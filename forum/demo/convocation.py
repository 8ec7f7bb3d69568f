"""The demo's convocation (issue 16): who was convened to each dialogue, and by whom before.

- the registry: every organisation's profile (territory, value chain, size, the group at risk
  it represents), each region's priority value chains (``data/convocation.json``) and contacts
  (every demo person, with a fictitious e-mail, some on Telegram or WhatsApp);
- two years of other institutions' convocations (bulk rows, as an import would write them):
  a few organisations convened by everyone (fatigue), a quarter never;
- each dialogue's list through the real services, in date order: ``proposal_create`` (the rule),
  ``proposal_invite``, ``invitation_answer``, ``invitation_mark_attended``.

A held dialogue's list ends with every organisation present at the session (its check-ins)
attended: organisations the rule put first but that did not come said «No puedo», and the rule
offered their seat to the next, until those who came were on the list. So the balance's
«asistieron» by category is the organisations counted from the check-ins. A coming dialogue's
list in planning is invited, and about half have answered; one still in guidelines is only
drawn up (its invitations go out when planning starts), so its region keeps organisations
never convened.

Nothing reaches a real channel: demo people keep ``email_notifications`` off (as for every other
demo notification), their addresses are on the reserved ``.example`` domain, and their Telegram
and WhatsApp identities are marked unreachable, so the outbox only writes their inbox.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
from collections import defaultdict
from collections.abc import Iterator
from importlib import resources
from typing import Any

from django.utils import timezone
from django.utils.text import slugify

from forum.convocation import selectors as cv_selectors
from forum.convocation import services as cv_services
from forum.convocation.models import (
    AtRiskGroup,
    Contact,
    Convocation,
    Invitation,
    OrganisationProfile,
    PriorityChain,
    Proposal,
    Seat,
    Size,
    ValueChain,
)
from forum.dialogues import phases
from forum.notifications.models import Notification
from forum.participation.models import (
    ActorCategory,
    Channel,
    ChannelIdentity,
    Dialogue,
    Organisation,
    Person,
    Region,
)

from . import content
from .spec import DEMO_TODAY, Plan, fill

DATA: dict[str, Any] = json.loads(
    (resources.files("forum.demo") / "data" / "convocation.json").read_text(encoding="utf-8")
)
HISTORY_DAYS = 730
# Lists are drawn up a month before the session.
LEAD_DAYS = 30
# Words in an at-risk group's name → the group it represents.
GROUP_WORDS = [
    ("sord", AtRiskGroup.DISABILITY),
    ("discapacidad", AtRiskGroup.DISABILITY),
    ("mujer", AtRiskGroup.WOMEN),
    ("indígena", AtRiskGroup.INDIGENOUS),
    ("migrante", AtRiskGroup.MIGRANTS),
    ("jóvenes", AtRiskGroup.YOUTH),
    ("mayores", AtRiskGroup.OLDER),
    ("reinserción", AtRiskGroup.REENTRY),
    ("terapéutica", AtRiskGroup.REENTRY),
]
SIZES: dict[str, list[tuple[str, int]]] = {
    ActorCategory.EMPLOYERS: [(Size.MICRO, 2), (Size.SMALL, 4), (Size.MEDIUM, 3), (Size.LARGE, 2)],
    ActorCategory.SELF_EMPLOYMENT: [(Size.MICRO, 8), (Size.SMALL, 2)],
    ActorCategory.TRAINING_PROVIDERS: [(Size.SMALL, 5), (Size.MEDIUM, 4), (Size.LARGE, 1)],
}


@contextlib.contextmanager
def convocation_today(day: dt.date) -> Iterator[None]:
    """The convocation services' «today» while replaying a list drawn up on ``day`` (a freed
    seat is offered by the history as it was then), so the demo's lists do not depend on the
    day it is loaded. Only the demo does this, as it seeds tracking codes."""
    original = cv_services._today
    cv_services._today = lambda: day
    try:
        yield
    finally:
        cv_services._today = original


def load(
    plan: Plan,
    regions: dict[str, Region],
    dialogues: dict[str, Dialogue],
    organisations: list[Organisation],
    persons: list[Person],
    rng: random.Random,
) -> str:
    """Write the demo's convocation (inside the demo's transaction). Returns a summary line."""
    _chains(regions)
    _profiles(plan, regions, dialogues, organisations, rng)
    _contacts(plan, organisations, persons, rng)
    history = _history(plan, regions, organisations, rng)
    invited = 0
    for dialogue in sorted(dialogues.values(), key=lambda d: (d.date, d.pk)):
        people = [persons[p.index] for p in plan.people if p.dialogue == dialogue.slug]
        if phases.index(dialogue.phase) >= phases.index(phases.REALISATION):
            invited += _held(dialogue, people, rng)
        else:
            invited += _coming(dialogue, people, rng)
    return f"{history} convocatorias de otros espacios, {invited} organizaciones invitadas"


# ------------------------------------------------------------------ the registry


def _chains(regions: dict[str, Region]) -> None:
    names = sorted(
        {c for chains in DATA["priority_chains"].values() for c in chains}
        | {s for info in content.REGIONS.values() for s in info["sectores"]}
    )
    existing = set(ValueChain.objects.values_list("name", flat=True))
    ValueChain.objects.bulk_create([ValueChain(name=n) for n in names if n not in existing])
    chains = {c.name: c for c in ValueChain.objects.filter(name__in=names)}
    PriorityChain.objects.bulk_create(
        [
            PriorityChain(region=regions[slug], chain=chains[name], source="ERD (demo)")
            for slug, names_ in DATA["priority_chains"].items()
            if slug in regions
            for name in names_
        ],
        ignore_conflicts=True,
    )


def _profile(org: Organisation, region: str, rng: random.Random) -> dict[str, Any]:
    info = content.REGIONS[region]
    lowered = org.name.lower()
    territory = next((c for c in info["comunas"] if c.lower() in lowered), "")
    chain = next((s for s in info["sectores"] if s.lower() in lowered), "")
    category = org.actor_category
    if not chain and category in SIZES:
        chain = rng.choice(info["sectores"])
    group = ""
    if category == ActorCategory.EXCLUSION_GROUPS:
        group = next((g for word, g in GROUP_WORDS if word in lowered), AtRiskGroup.OTHER)
    sizes = SIZES.get(category)
    size = rng.choices([s for s, _w in sizes], [w for _s, w in sizes])[0] if sizes else ""
    return {
        "territory": territory or rng.choice(info["comunas"]),
        "chain": chain,
        "size": size,
        "group": group,
    }


def _profiles(
    plan: Plan,
    regions: dict[str, Region],
    dialogues: dict[str, Dialogue],
    organisations: list[Organisation],
    rng: random.Random,
) -> None:
    """One profile per organisation. An organisation whose people went to a neighbouring
    region's dialogue acts there too; a few training providers and employers of the big
    regions act in two other regions (national OTECs and associations)."""
    chains = {c.name: c for c in ValueChain.objects.all()}
    profiles = []
    for o, org in zip(plan.organisations, organisations, strict=True):
        facts = _profile(org, o.region, rng)
        profiles.append(
            OrganisationProfile(
                organisation=org,
                territory=facts["territory"],
                value_chain=chains.get(facts["chain"]),
                size=facts["size"],
                at_risk_group=facts["group"],
            )
        )
    profiles = OrganisationProfile.objects.bulk_create(profiles)
    acting: set[tuple[int, int]] = set()
    region_of = {d.slug: regions[d.region].pk for d in content.DIALOGUES if d.slug in dialogues}
    for p in plan.people:
        if p.dialogue and region_of[p.dialogue] != regions[p.region].pk:
            acting.add((p.organisation, region_of[p.dialogue]))
    held_regions = sorted(set(region_of.values()))
    national = (ActorCategory.TRAINING_PROVIDERS, ActorCategory.EMPLOYERS)
    for o in plan.organisations:
        big = o.region in ("metropolitana", "valparaiso", "biobio")
        if big and o.category in national and rng.random() < 0.3:
            for region_id in rng.sample(held_regions, 2):
                if region_id != regions[o.region].pk:
                    acting.add((o.index, region_id))
    through = OrganisationProfile.other_regions.through
    through.objects.bulk_create(
        [
            through(organisationprofile_id=profiles[index].pk, region_id=region_id)
            for index, region_id in sorted(acting)
        ]
    )


def _contacts(
    plan: Plan, organisations: list[Organisation], persons: list[Person], rng: random.Random
) -> None:
    """Every demo person is a contact of their organisation (they consented when the demo
    registered them), with a fictitious address; some also on Telegram or WhatsApp."""
    Contact.objects.bulk_create(
        [
            Contact(
                organisation=organisations[p.organisation],
                person=persons[p.index],
                role="" if p.role else rng.choice(DATA["roles"]),
            )
            for p in plan.people
        ]
    )
    for p in plan.people:
        persons[p.index].email = f"{slugify(p.name)}.{p.index}@demo.example"
    Person.objects.bulk_update(persons, ["email"], batch_size=500)
    now = timezone.now()
    identities = []
    for p in plan.people:
        roll = rng.random()
        if roll < 0.3:
            channel, external = Channel.TELEGRAM, str(900_000_000 + p.index)
        elif roll < 0.55:
            channel, external = Channel.WHATSAPP, f"56900{p.index:06d}"
        else:
            continue
        # Unreachable: the outbox never writes to an invented chat or number.
        identities.append(
            ChannelIdentity(
                person=persons[p.index], channel=channel, external_id=external, unreachable_at=now
            )
        )
    ChannelIdentity.objects.bulk_create(identities, ignore_conflicts=True)


def _history(
    plan: Plan, regions: dict[str, Region], organisations: list[Organisation], rng: random.Random
) -> int:
    """Two years of other institutions' spaces, each convening a few organisations of its
    region: about one in eight is convened by almost every space (fatigued), one in four by
    none, the rest now and then."""
    by_region: dict[str, list[tuple[Organisation, float]]] = defaultdict(list)
    for o, org in zip(plan.organisations, organisations, strict=True):
        roll = rng.random()
        weight = 6.0 if roll < 0.12 else 0.0 if roll < 0.37 else 1.0
        if o.category == ActorCategory.PUBLIC_SECTOR:
            weight = min(weight, 1.0)
        by_region[o.region].append((org, weight))
    start = DEMO_TODAY - dt.timedelta(days=HISTORY_DAYS)
    rows = []
    for slug, orgs in sorted(by_region.items()):
        info = content.REGIONS[slug]
        pool = [(org, w) for org, w in orgs if w > 0]
        for _event in range(8 + len(orgs) // 3):
            day = start + dt.timedelta(days=rng.randrange(HISTORY_DAYS))
            space = fill(
                rng.choice(DATA["spaces"]),
                {
                    "region": regions[slug].name,
                    "comuna": rng.choice(info["comunas"]),
                    "sector": rng.choice(info["sectores"]),
                },
            )
            chosen: dict[int, Organisation] = {}
            for _pick in range(min(len(pool), rng.randint(3, 7))):
                org = rng.choices([o for o, _w in pool], [w for _o, w in pool])[0]
                chosen[org.pk] = org
            rows += [
                Convocation(
                    organisation=org,
                    date=day,
                    space_name=space,
                    source=Convocation.Source.IMPORTED,
                )
                for org in chosen.values()
            ]
    Convocation.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


# ------------------------------------------------------------------ the lists


def _by_category(orgs: set[int]) -> dict[str, set[int]]:
    out: dict[str, set[int]] = defaultdict(set)
    for pk, category in Organisation.objects.filter(pk__in=orgs).values_list(
        "pk", "actor_category"
    ):
        out[category].add(pk)
    return out


def _propose(
    dialogue: Dialogue,
    wanted: dict[str, set[int]],
    extra: dict[str, int],
    today: dt.date,
    *,
    invite: bool = True,
) -> Proposal:
    """The rule's list, with a target of ``wanted``'s size plus ``extra`` seats per category,
    invited at once unless ``invite`` is false."""
    shares = {c: len(wanted.get(c, ())) + extra.get(c, 0) for c in ActorCategory.values}
    shares = {c: n for c, n in shares.items() if n}
    proposal = cv_services.proposal_create(
        actor=None, dialogue=dialogue, size=sum(shares.values()), shares=shares, today=today
    )
    if invite:
        cv_services.proposal_invite(actor=None, proposal=proposal)
    return proposal


def _answer(seat: Seat, answer: str) -> None:
    invitation = seat.invitations.order_by("id").first()
    if invitation is not None:
        cv_services.invitation_answer(token=invitation.token, answer=answer, channel=None)


def _decline_until(proposal: Proposal, present: dict[str, set[int]]) -> None:
    """Seats of organisations that did not come are declined, one by one, while someone who came
    is not yet on the list: each «No puedo» offers the seat to the next by the rule."""
    while True:
        active = list(cv_selectors.active_seats(proposal))
        on_list = {s.organisation_id for s in active}
        short = [c for c, orgs in sorted(present.items()) if orgs - on_list]
        if not short:
            return
        seat = next(
            (
                s
                for s in reversed(active)
                if s.category == short[0] and s.organisation_id not in present[short[0]]
            ),
            None,
        )
        if seat is None:  # pragma: no cover - the target keeps a seat for everyone who came
            return
        _answer(seat, Invitation.Answer.NO)


def _held(dialogue: Dialogue, people: list[Person], rng: random.Random) -> int:
    """A held dialogue: the list drawn up a month before, the organisations that came confirmed
    (most of them; a few just came) and checked in, one or two others confirmed and did not
    come or never answered."""
    today = dialogue.date - dt.timedelta(days=LEAD_DAYS)
    present = _by_category({p.organisation_id for p in people if p.organisation_id})
    region = dialogue.region
    assert region is not None
    pool = _by_category({c.id for c in cv_selectors.candidates(region, today)})
    extra = {c: min(rng.randint(1, 2), len(pool[c] - present.get(c, set()))) for c in pool}
    with convocation_today(today):
        proposal = _propose(dialogue, present, extra, today)
        _decline_until(proposal, present)
        came = set().union(*present.values()) if present else set()
        for seat in cv_selectors.active_seats(proposal):
            if seat.organisation_id in came:
                if rng.random() < 0.92:
                    _answer(seat, Invitation.Answer.YES)
            elif rng.random() < 0.5:
                _answer(seat, Invitation.Answer.YES)
        for person in people:
            cv_services.invitation_mark_attended(dialogue=dialogue, person=person)
    _backdate(proposal, today, dialogue.date)
    return cv_selectors.active_seats(proposal).count()


def _coming(dialogue: Dialogue, people: list[Person], rng: random.Random) -> int:
    """A coming dialogue: the rule's list for about four fifths of the organisations seated at
    its tables. In planning it is invited and about half have answered, mostly yes; still in
    guidelines, the list is drawn up and its invitations go out when planning starts."""
    today = min(DEMO_TODAY, dialogue.date - dt.timedelta(days=1))
    seated = _by_category({p.organisation_id for p in people if p.organisation_id})
    wanted = {c: set(sorted(orgs)[: max(1, round(len(orgs) * 0.8))]) for c, orgs in seated.items()}
    invite = phases.index(dialogue.phase) >= phases.index(phases.PLANNING)
    with convocation_today(today):
        proposal = _propose(dialogue, wanted, {}, today, invite=invite)
        if not invite:
            _backdate(proposal, today, None)
            return 0
        for seat in list(cv_selectors.active_seats(proposal)):
            roll = rng.random()
            if roll < 0.42:
                _answer(seat, Invitation.Answer.YES)
            elif roll < 0.5:
                _answer(seat, Invitation.Answer.NO)
    _backdate(proposal, today, None)
    return cv_selectors.active_seats(proposal).count()


def _backdate(proposal: Proposal, drawn: dt.date, held: dt.date | None) -> None:
    """The list, its invitations and their notices carry the days they happened (a data
    fix-up)."""
    tz = timezone.get_current_timezone()
    sent = dt.datetime.combine(drawn, dt.time(10, 0), tzinfo=tz)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=sent)
    invitations = Invitation.objects.filter(seat__proposal=proposal)
    invitations.update(created_at=sent)
    tokens = list(invitations.values_list("token", flat=True))
    Notification.objects.filter(
        kind=Notification.Kind.INVITATION, payload__token__in=tokens
    ).update(created_at=sent)
    invitations.filter(answered_at__isnull=False).update(answered_at=sent + dt.timedelta(days=3))
    if held is not None:
        invitations.filter(attended_at__isnull=False).update(
            attended_at=dt.datetime.combine(held, dt.time(9, 40), tzinfo=tz)
        )
