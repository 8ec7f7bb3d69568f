"""Write the demo's plan into the database, in one transaction, through the real services.

Ideas are submitted and moved through their lifecycle with :mod:`forum.participation.services`
(so histories and outbox rows are real); reference data (organisations, people, memberships,
dialogues) and supports are bulk-created because there is no per-row domain logic to run for
them, then support counters are recomputed by the service.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, transaction
from django.db.models import Q

from forum.convocation.models import Proposal
from forum.core import events
from forum.moderation.index import shared_index
from forum.moderation.models import Merge
from forum.moderation.services import council_secretary_assign, groups_place_ungrouped
from forum.notifications.models import Notification
from forum.participation import codes, selectors, services
from forum.participation.models import (
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
from forum.threads.models import AgendaItem, Post, Thread

from . import content, conversations, histories
from . import convocation as demo_convocation
from . import dialogues as dialogue_phases
from .histories import Dated
from .plan import build_plan
from .spec import (
    DEFAULT_SEED,
    EXTERNAL_SOURCE,
    PASSWORD,
    SECRETARY_COUNCILS,
    Plan,
    at,
)

DEMO_USERNAMES = ("demo", "moderadora", "secretaria", "participante")


@dataclass
class Report:
    created: bool
    seconds: float
    counts: dict[str, int]
    top40_share: float
    statuses: dict[str, int]


@dataclass
class _Rows:
    """The reference rows the ideas point at, by slug or by the plan's index."""

    regions: dict[str, Region]
    topics: dict[str, Topic]
    dialogues: dict[str, Dialogue]
    councils: dict[str, Council]
    organisations: list[Organisation]
    persons: list[Person]


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
    previous = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = previous


def is_loaded() -> bool:
    return Idea.objects.filter(external_source=EXTERNAL_SOURCE).exists()


def load(*, seed: int = DEFAULT_SEED, log: Callable[[str], None] = print) -> Report:
    """Load the demo unless it is already there (then nothing changes)."""
    started = time.monotonic()

    def progress(line: str) -> None:
        log(f"  {line} ({time.monotonic() - started:.0f} s)")

    if is_loaded():
        return _report(False, started)
    regions = {r.slug: r for r in Region.objects.all()}
    plan = build_plan(seed, {slug: r.name for slug, r in regions.items()})
    rng = random.Random(f"history-{seed}")  # noqa: S311 - demo content
    with sql_not_logged(), events.batched(), transaction.atomic(), seeded_codes(seed):
        users = _users()
        rows = _load_reference(plan, regions, users, rng)
        log(
            f"  {len(rows.organisations)} organizaciones, {len(rows.persons)} personas, "
            f"{len(plan.memberships)} membresías, {len(rows.dialogues)} diálogos"
        )
        ideas = _submit_ideas(plan, rows, progress)
        dated: list[Dated] = []
        # Every idea is in the database now: the duplicate index catches up once, instead of
        # re-reading every idea touched in the last two minutes at each of the walk's 4,000
        # status changes (quadratic: two thirds of the load's time).
        with shared_index().held():
            for n, p in enumerate(plan.ideas, start=1):
                dated += histories.walk(p, ideas[p.index], rng, users, rows.councils)
                if n % 500 == 0:
                    progress(f"{n} ideas con su historial…")
        _load_supports(plan, ideas, rows.persons)
        services.ideas_recount_supports()
        progress(f"{sum(len(p.supporters) for p in plan.ideas)} apoyos")
        merged = histories.merge_duplicates(plan, ideas, users, rng, dated)
        if merged:
            progress(f"{merged} ideas repetidas fusionadas")
        identical = histories.merge_identical(ideas, dated)
        if identical:
            progress(f"{identical} ideas idénticas fusionadas por el sistema")
        grouped = groups_place_ungrouped()
        reviewed = histories.merge_reviewed_groups(
            users,
            random.Random(f"review-{seed}"),  # noqa: S311 - demo content
            dated,
            keep_author=rows.persons[plan.participant].pk,
        )
        progress(
            f"{grouped} ideas en grupos de posibles duplicados, "
            f"{reviewed} ya fusionadas por moderación"
        )
        backdate(dated, plan, ideas)
        progress("fechas del historial")
        progress(dialogue_phases.load(plan, rows.dialogues, rows.persons, ideas, rng))
        posts = conversations.load(rng)
        progress(f"{posts} mensajes en hilos y actas de sesiones")
        progress(
            demo_convocation.load(
                plan,
                rows.regions,
                rows.dialogues,
                rows.organisations,
                rows.persons,
                random.Random(f"convocation-{seed}"),  # noqa: S311 - demo content
            )
        )
    return _report(True, started)


def _report(created: bool, started: float) -> Report:
    return Report(created, time.monotonic() - started, counts(), _share(), _statuses())


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
    # The demo secretary answers for the two busiest councils of the demo.
    for slug in SECRETARY_COUNCILS:
        council_secretary_assign(
            user=users["secretaria"], council=Council.objects.get(slug=slug), actor=None
        )
    return users


def load_topics() -> dict[str, Topic]:
    topics = {}
    for theme in content.THEMES:
        topic, _created = Topic.objects.get_or_create(
            slug=theme.slug,
            defaults={
                "name": theme.name,
                "name_en": theme.name_en,
                "description": theme.description,
                "description_en": theme.description_en,
            },
        )
        topics[theme.slug] = topic
    return topics


def load_dialogues(regions: dict[str, Region], topics: dict[str, Topic]) -> dict[str, Dialogue]:
    dialogues = {}
    for d in content.DIALOGUES:
        region = regions[d.region]
        dialogue, _created = Dialogue.objects.get_or_create(
            slug=d.slug,
            defaults={
                "title": f"Diálogo de Innovación Ciudadana {region.name} {d.date[:4]}",
                "council": Council.objects.get(region=region),
                "region": region,
                "date": dt.date.fromisoformat(d.date),
                "place": d.place,
                "facilitators": d.facilitators,
                "phase": d.phase,
                "is_active": d.active,
            },
        )
        dialogue.topics.set([topics[t] for t in d.topics])
        dialogues[d.slug] = dialogue
    return dialogues


def _load_reference(
    plan: Plan, regions: dict[str, Region], users: dict[str, AbstractBaseUser], rng: random.Random
) -> _Rows:
    """Topics, dialogues, organisations, people (the participant with her account) and
    council memberships."""
    topics = load_topics()
    dialogues = load_dialogues(regions, topics)
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
                consent_at=at(dt.date(2025, 4, 1), rng),
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
    # The demo councils take two months to answer (Council.answer_days).
    Council.objects.update(answer_days=histories.DEMO_ANSWER_DAYS)
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
    return _Rows(regions, topics, dialogues, councils, orgs, persons)


def _submit_ideas(plan: Plan, rows: _Rows, progress: Callable[[str], None]) -> list[Idea]:
    ideas: list[Idea] = []
    for n, p in enumerate(plan.ideas, start=1):
        ideas.append(
            services.idea_submit(
                author=rows.persons[p.author] if p.author is not None else None,
                title=p.title,
                body=p.body,
                channel=p.channel,
                region=rows.regions[p.region],
                topic=rows.topics[p.theme.slug],
                dialogue=rows.dialogues.get(p.dialogue or ""),
                external_source=EXTERNAL_SOURCE,
                external_id=p.external_id,
                created_at=p.created_at,
                # Each idea first walks its planned history; identical texts are merged after
                # (histories.merge_identical), as the site would have on arrival, and the
                # duplicate groups are proposed once every idea stands where it ends.
                batch=True,
            )
        )
        if n % 500 == 0:
            progress(f"{n} ideas recibidas…")
    return ideas


def _load_supports(plan: Plan, ideas: list[Idea], persons: list[Person]) -> None:
    """Supports are bulk-created: supporting runs no domain logic beyond the counter, which
    the caller recomputes once."""
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


def backdate(dated: list[Dated], plan: Plan, ideas: list[Idea]) -> None:
    """Histories happened over months: give each recorded change, the notification it caused
    and the idea's last update the date they had (a data fix-up, not a status change)."""
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
    ideas = Idea.objects.filter(external_source=EXTERNAL_SOURCE)
    org_names = {o.name for o in build_plan(seed).organisations} | {
        content.SENCE_OFFICE.format(region=r.name) for r in Region.objects.all()
    }
    people = Person.objects.filter(organisation__name__in=org_names)
    demo_dialogues = Dialogue.objects.filter(slug__in=[d.slug for d in content.DIALOGUES])
    # The demo's lists name its organisations (PROTECT): they go with their dialogues' lists.
    Proposal.objects.filter(dialogue__in=demo_dialogues).delete()
    Notification.objects.filter(idea__in=ideas).delete()
    Merge.objects.filter(Q(canonical__in=ideas) | Q(merged__in=ideas)).delete()
    n_ideas = ideas.count()
    # Merged ideas point at their canonical idea (PROTECT): unlink before deleting.
    ideas.update(merged_into=None)
    ideas.delete()
    # The council meetings the demo held (agenda points outside any dialogue whose every post
    # is by one of its people) go with their threads; any other post of theirs goes too (an
    # author is PROTECTed).
    others = Person.objects.exclude(pk__in=people.values("pk"))
    meetings = set(
        AgendaItem.objects.filter(dialogue__isnull=True, threads__posts__author__in=people)
        .exclude(threads__posts__author__in=others)
        .values_list("pk", flat=True)
    )
    Thread.objects.filter(agenda_item__in=meetings).delete()
    AgendaItem.objects.filter(pk__in=meetings).delete()
    Post.objects.filter(author__in=people).delete()
    n_people = people.count()
    people.delete()
    Organisation.objects.filter(name__in=org_names, people__isnull=True).delete()
    # Agenda threads point at their dialogue (PROTECT): they go first, with their posts.
    Thread.objects.filter(dialogue__in=demo_dialogues).delete()
    AgendaItem.objects.filter(dialogue__in=demo_dialogues).delete()
    demo_dialogues.delete()
    get_user_model().objects.filter(username__in=DEMO_USERNAMES).delete()
    return f"{n_ideas} ideas, {n_people} personas"


def _share() -> float:
    return selectors.headline_stats().top40_support_share


def _statuses() -> dict[str, int]:
    return dict(Counter(Idea.objects.values_list("status", flat=True)))
