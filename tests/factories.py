"""Plain factories for tests: each returns a saved object with sensible defaults."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from forum.participation import services
from forum.participation.models import (
    ActorCategory,
    Channel,
    ChannelIdentity,
    Council,
    Dialogue,
    Idea,
    Organisation,
    Person,
    Region,
    Topic,
)

_seq = itertools.count(1)


def region(slug: str = "biobio") -> Region:
    return Region.objects.get(slug=slug)


def council(region_slug: str = "biobio") -> Council:
    return Council.objects.get(region__slug=region_slug)


def organisation(**kw) -> Organisation:
    n = next(_seq)
    kw.setdefault("name", f"Organización {n}")
    kw.setdefault("actor_category", ActorCategory.TRAINING_PROVIDERS)
    return Organisation.objects.create(**kw)


def user(
    username: str | None = None,
    *,
    password: str = "clave-segura-123",
    groups=(),
    is_staff: bool = False,
    **kw,
):
    username = username or f"user{next(_seq)}"
    u = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=kw.pop("email", f"{username}@example.cl"),
        is_staff=is_staff,
        **kw,
    )
    for name in groups:
        u.groups.add(Group.objects.get_or_create(name=name)[0])
    return u


def person(*, user_obj=None, name: str | None = None, language: str = "es", **kw) -> Person:
    if user_obj is not None:
        p = services.person_for_user(user=user_obj)
        if language != p.language:
            p.language = language
            p.save(update_fields=["language"])
        return p
    return Person.objects.create(
        display_name=name or f"Persona {next(_seq)}", language=language, **kw
    )


def identity(p: Person, channel: str = Channel.TELEGRAM, external_id: str | None = None):
    return ChannelIdentity.objects.create(
        person=p, channel=channel, external_id=external_id or str(100000 + next(_seq))
    )


def topic(name: str | None = None) -> Topic:
    n = next(_seq)
    name = name or f"Tema {n}"
    return Topic.objects.get_or_create(name=name, defaults={"slug": f"tema-{n}"})[0]


def dialogue(**kw) -> Dialogue:
    n = next(_seq)
    c = kw.pop("council", None) or council()
    kw.setdefault("title", f"Diálogo {n}")
    kw.setdefault("slug", f"dialogo-{n}")
    kw.setdefault("date", dt.date(2026, 10, 1))
    kw.setdefault("region", c.region)
    return Dialogue.objects.create(council=c, **kw)


def idea(
    *,
    author: Person | None = None,
    title: str | None = None,
    body: str = "",
    channel: str = Channel.WEB,
    **kw,
) -> Idea:
    author = author if author is not None else person()
    return services.idea_submit(
        author=author,
        title=title or f"Mejorar la calidad de las OTEC {next(_seq)}",
        body=body,
        channel=channel,
        region=kw.pop("region", None) or region(),
        **kw,
    )
