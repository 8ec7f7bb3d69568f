"""Live conversations for the demo: people discussing routed ideas in their threads, and each
regional council's last meeting with its members' notes and the secretary's minutes, all
through the threads app's services (the demo's people get accounts without a password).

Posts are dated after the fact (as :func:`.load.backdate` does for histories), between the
idea's routing and the demo's date.
"""

from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from forum.participation.models import Council, Idea, Membership, Person, Support
from forum.threads import services as threads
from forum.threads.models import Post, Thread

from .spec import DEMO_TODAY, TZ, at

# How many routed ideas get a conversation, and how long each one is.
IDEA_THREADS = 160
POSTS_PER_THREAD = (2, 5)

OPENERS = [
    "Apoyo esta idea. En {region} vemos lo mismo: {detail}",
    "Trabajo en una OTEC de {region} y coincido: {detail}",
    "Me sumo. Agregaría que {detail}",
    "Buena propuesta. ¿Alguien sabe si el consejo ya la vio en sesión?",
    "En mi comuna pasa igual: {detail}",
]
REPLIES = [
    "Totalmente de acuerdo. Ojalá el consejo lo considere en su próxima sesión.",
    "Lo conversamos en el diálogo de {region}; quedó en el acta como prioridad.",
    "Yo haría una precisión: que se mida cuántas personas terminan el curso y encuentran trabajo.",
    "Gracias por el dato. Lo voy a compartir con mi organización.",
    "Según la respuesta del consejo, se revisará con los datos de colocación del año.",
    "Sería bueno que las empresas de la zona participen desde el diseño del curso.",
]
DETAILS = [
    "los horarios no sirven a quienes trabajan.",
    "faltan cupos en oficios con demanda real.",
    "nadie hace seguimiento a los egresados.",
    "la información de los cursos llega tarde.",
    "el transporte a los centros de capacitación es caro.",
    "las mujeres con hijos pequeños no pueden asistir sin sala cuna.",
]
MEETING_NOTES = [
    "Traigo a la sesión las ideas del diálogo de {region} sobre pertinencia de la oferta.",
    "Propongo revisar primero las ideas con más apoyos y las que vencen este mes.",
    "Desde el sector empleador podemos ofrecer prácticas para los cursos de oficios.",
]
MINUTES = (
    "**Acta de la sesión ordinaria del {council}** ({date})\n\n"
    "Asistentes: {present} integrantes.\n\n"
    "1. Se revisaron las ideas derivadas desde la plataforma; se respondieron {answered}.\n"
    "2. Se acordó pedir a la Dirección Regional datos de colocación por curso.\n"
    "3. Próxima sesión: {next_date}. Las ideas pendientes quedan en tabla."
)


def load(rng: random.Random) -> int:
    """Conversations in routed ideas' threads and one meeting with minutes per regional
    council; returns the number of posts written."""
    written: list[tuple[int, dt.datetime]] = []
    threads_by_idea = {
        t.idea_id: t
        for t in Thread.objects.filter(kind=Thread.Kind.IDEA, idea__external_source="demo")
    }
    routed = list(
        Idea.objects.filter(pk__in=list(threads_by_idea), merged_into__isnull=True)
        .select_related("region")
        .order_by("pk")
    )
    chosen = rng.sample(routed, min(IDEA_THREADS, len(routed)))
    backers: dict[int, list[int]] = {}
    for idea_id, person_id in Support.objects.filter(idea__in=chosen).values_list(
        "idea_id", "person_id"
    ):
        backers.setdefault(idea_id, []).append(person_id)
    voices = {idea.pk: _voices(idea, backers.get(idea.pk, []), rng) for idea in chosen}
    memberships = list(
        Membership.objects.filter(council__kind=Council.Kind.REGIONAL).select_related("council")
    )
    _give_accounts({pid for v in voices.values() for pid in v} | {m.person_id for m in memberships})
    people = Person.objects.in_bulk(
        {pid for v in voices.values() for pid in v} | {m.person_id for m in memberships}
    )
    for idea in chosen:
        written += _idea_conversation(idea, threads_by_idea[idea.pk], voices[idea.pk], people, rng)
    for council in Council.objects.filter(kind=Council.Kind.REGIONAL).select_related("region"):
        members = [m for m in memberships if m.council_id == council.pk]
        written += _meeting(council, members, people, rng)
    _backdate(written)
    return len(written)


def _voices(idea: Idea, backers: list[int], rng: random.Random) -> list[int]:
    people = [idea.author_id, *backers] if idea.author_id else list(backers)
    people = list(dict.fromkeys(people))
    n = min(len(people), rng.randint(*POSTS_PER_THREAD))
    return rng.sample(people, n) if n >= 2 else []


def _give_accounts(person_ids: set[int]) -> None:
    """An account without a password for each of these demo people (posting needs one)."""
    User = get_user_model()
    missing = list(
        Person.objects.filter(pk__in=person_ids, user__isnull=True).values_list("pk", flat=True)
    )
    if not missing:
        return
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(username=f"demo-persona-{pk}", password=unusable) for pk in missing]
    )
    ids = dict(
        User.objects.filter(username__in=[f"demo-persona-{pk}" for pk in missing]).values_list(
            "username", "pk"
        )
    )
    for pk in missing:
        Person.objects.filter(pk=pk).update(user_id=ids[f"demo-persona-{pk}"])


def _idea_conversation(
    idea: Idea, thread: Thread, voices: list[int], people: dict[int, Person], rng: random.Random
) -> list[tuple[int, dt.datetime]]:
    if len(voices) < 2:
        return []
    region = idea.region.name if idea.region else "mi región"
    start = max(idea.updated_at.astimezone(TZ).date(), DEMO_TODAY - dt.timedelta(days=90))
    days = sorted(rng.randint(0, max(1, (DEMO_TODAY - start).days)) for _ in voices)
    out = []
    first: Post | None = None
    for n, (pid, offset) in enumerate(zip(voices, days, strict=True)):
        slots = {"region": region, "detail": rng.choice(DETAILS)}
        text = (rng.choice(OPENERS) if n == 0 else rng.choice(REPLIES)).format(**slots)
        post = threads.post_create(
            thread=thread,
            author=people[pid],
            body=text,
            reply_to=first if n and rng.random() < 0.5 else None,
        )
        first = first or post
        out.append((post.pk, at(start + dt.timedelta(days=offset), rng, 8, 22)))
    return out


def _meeting(
    council: Council, members: list[Membership], people: dict[int, Person], rng: random.Random
) -> list[tuple[int, dt.datetime]]:
    secretary = next((m for m in members if m.role == Membership.Role.SECRETARY), None)
    if secretary is None:
        return []
    day = DEMO_TODAY - dt.timedelta(days=rng.randint(5, 25))
    thread = threads.agenda_item_create(
        council=council,
        title=f"Sesión ordinaria del {day:%d-%m-%Y}: ideas derivadas desde la plataforma",
        meeting_date=day,
    )
    region = council.region.name if council.region else "Chile"
    out = []
    speakers = [m for m in members if m.role != Membership.Role.SECRETARY]
    for n, member in enumerate(rng.sample(speakers, min(3, len(speakers)))):
        post = threads.post_create(
            thread=thread,
            author=people[member.person_id],
            body=MEETING_NOTES[n % len(MEETING_NOTES)].format(region=region),
        )
        out.append((post.pk, at(day - dt.timedelta(days=3 - n), rng, 9, 19)))
    minutes = MINUTES.format(
        council=council.name,
        date=f"{day:%d-%m-%Y}",
        present=max(3, len(members) - rng.randint(0, 3)),
        answered=rng.randint(3, 9),
        next_date=f"{day + dt.timedelta(days=60):%d-%m-%Y}",
    )
    post = threads.post_create(
        thread=thread, author=people[secretary.person_id], body=minutes, is_minutes=True
    )
    out.append((post.pk, at(day + dt.timedelta(days=1), rng, 9, 18)))
    return out


def _backdate(written: list[tuple[int, dt.datetime]]) -> None:
    """Each post on its day, and each thread's last post with it."""
    for pk, when in written:
        Post.objects.filter(pk=pk).update(created_at=when)
    last: dict[int, dt.datetime] = {}
    for thread_id, when in Post.objects.filter(pk__in=[pk for pk, _w in written]).values_list(
        "thread_id", "created_at"
    ):
        last[thread_id] = max(last.get(thread_id, when), when)
    for thread_id, when in last.items():
        Thread.objects.filter(pk=thread_id).update(last_post_at=when)
