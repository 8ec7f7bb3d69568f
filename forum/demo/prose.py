"""The demo's words: an idea's title and body in the voice of its channel, the same idea sent
again, and what moderators and councils write at each step of its history.

Every function draws from the seeded ``rng`` it is given, in a fixed order: the demo's text
depends on the order of these draws as much as on the phrase banks.
"""

from __future__ import annotations

import datetime as dt
import random
import re

from forum.moderation.matcher.groups import identity_key
from forum.moderation.services.groups import MERGEABLE
from forum.participation.lifecycle import IdeaStatus as S
from forum.participation.models import Channel

from . import content
from .content import Theme
from .spec import IdeaPlan, fill


def idea_slots(
    rng: random.Random, region_slug: str, region_names: dict[str, str]
) -> dict[str, str]:
    """The particulars of one idea: a commune and sector of its region, a group, a trade…"""
    info = content.REGIONS[region_slug]
    return {
        "comuna": rng.choice(info["comunas"]),
        "sector": rng.choice(info["sectores"]),
        "region": region_names[region_slug],
        "grupo": rng.choice(content.GRUPOS),
        "oficio": rng.choice(content.OFICIOS),
        "mesa": str(rng.randint(1, 8)),
        "rol": fill(
            rng.choice(content.ROLES),
            {
                "comuna": rng.choice(info["comunas"]),
                "sector": rng.choice(info["sectores"]),
                "oficio": rng.choice(content.OFICIOS),
            },
        ),
    }


def compose(
    rng: random.Random, theme: Theme, channel: str, slots: dict[str, str]
) -> tuple[str, str]:
    """A title and body for one of ``theme``'s proposals, written the way ``channel`` writes."""
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
    opener = fill(rng.choice(content.OPENERS[channel]), slots)
    closer = rng.choice(content.CLOSERS[channel])
    sentence = " ".join(fill(p, slots) for p in parts)
    if opener and not opener.rstrip().endswith((".", "!", "?")) and channel != Channel.IN_PERSON:
        sentence = sentence[0].lower() + sentence[1:]
    body = opener + sentence
    if channel in (Channel.TELEGRAM, Channel.WHATSAPP) and rng.random() < 0.3:
        body = body[0].lower() + body[1:]
    if closer:
        body = f"{body} {closer}"
    return title, body.strip()


# Where a post-it or message says where it comes from, when its words alone are another's.
PLACE_NOTES = (
    "Lo planteamos desde {comuna}.",
    "En {comuna} hace mucha falta.",
    "Lo vemos a diario en {comuna}.",
    "Lo pide la gente de {comuna}.",
    "Somos varias personas de {comuna} pidiendo esto.",
)
_TRAILING_NOTE = re.compile(r"\s*(\([^()]*\))$")


def _with_note(body: str, note: str) -> str:
    """``note`` as the body's last sentence, before a trailing «(transcrito por…)»."""
    m = _TRAILING_NOTE.search(body)
    head, tail = (body[: m.start()], f" {m.group(1)}") if m else (body, "")
    head = head.rstrip()
    if head and head[-1] not in ".!?":
        head += "."
    return f"{head} {note}{tail}"


def make_distinct(ideas: list[IdeaPlan]) -> int:
    """Two ideas drawn from the same small phrase pool can come out word for word the same. On
    the site an identical repost is merged on arrival, so the only identical texts the demo may
    keep are reposts still waiting (received, in review) of an idea that was not turned down,
    which the load merges as the site would. Any other later idea with an earlier one's exact
    text says where it comes from instead (its commune). Draws nothing from the seeded
    generator: the rest of the plan is unchanged. Returns how many texts changed."""
    owner: dict[str, IdeaPlan] = {}
    changed = 0
    for idea in sorted(ideas, key=lambda i: (i.created_at, i.index)):
        key = identity_key(idea.title, idea.body)
        if key not in owner:
            owner[key] = idea
            continue
        if owner[key].status != S.NOT_ADMITTED and (
            idea.status in MERGEABLE or idea.status == S.MERGED
        ):
            continue  # a repost the load merges (or a planned merge); a refused idea takes none
        for note in PLACE_NOTES:
            body = _with_note(idea.body, fill(note, idea.slots))
            if identity_key(idea.title, body) not in owner:
                break
        else:
            body = _with_note(idea.body, f"(Idea {idea.index + 1} de la jornada.)")
        idea.body = body
        owner[identity_key(idea.title, body)] = idea
        changed += 1
    return changed


def near_duplicate(rng: random.Random, original: IdeaPlan) -> tuple[str, str]:
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


def format_day(day: dt.date) -> str:
    return f"{day.day} de {content.MONTHS[day.month - 1]} de {day.year}"


def in_review_message(rng: random.Random) -> str:
    return rng.choice(content.IN_REVIEW)


def not_admitted_message(rng: random.Random) -> str:
    return fill(rng.choice(content.NOT_ADMITTED), {"otro": rng.choice(content.OTROS)})


def routed_message(rng: random.Random, slots: dict[str, str]) -> str:
    return fill(rng.choice(content.ROUTED), slots)


def agenda_message(when: dt.datetime, council_name: str) -> str:
    month = content.MONTHS[when.month - 1]
    return f"En la agenda de la sesión de {month} del {council_name}."


def council_answer(
    rng: random.Random,
    theme: Theme,
    outcome: str,
    slots: dict[str, str],
    council_name: str,
    when: dt.datetime,
) -> str:
    """The council's public answer: what it agreed, in the words of the idea's theme."""
    banks: dict[str, list[str]] = {
        S.ANSWERED_ACCEPTED: theme.accept,
        S.ANSWERED_PARTLY: theme.partly,
        S.ANSWERED_REJECTED: theme.reject,
    }
    action = fill(rng.choice(banks[outcome]), slots)
    return " ".join(
        [
            fill(
                rng.choice(content.ANSWER_INTRO),
                {"council": council_name, "date": format_day(when.date()), "action": action},
            ),
            rng.choice(content.ANSWER_OUTRO[outcome]),
        ]
    )


def implemented_message(rng: random.Random, when: dt.datetime) -> str:
    return fill(
        rng.choice(content.IMPLEMENTED),
        {"month": content.MONTHS[when.month - 1], "year": str(when.year)},
    )
