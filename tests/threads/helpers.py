"""Small builders for thread tests (on top of tests/factories.py)."""

from __future__ import annotations

import datetime as dt

from forum.participation.models import ActorCategory, Membership
from forum.threads import services
from forum.threads.models import Thread
from tests import factories as f


def member(council, *, role=Membership.Role.MEMBER, username=None, term_end=None):
    """A logged-in-able person with an active membership of ``council``: (user, person)."""
    u = f.user(username)
    p = f.person(user_obj=u)
    Membership.objects.create(
        council=council,
        person=p,
        actor_category=ActorCategory.TRAINING_PROVIDERS,
        role=role,
        term_start=dt.date(2020, 1, 1),
        term_end=term_end,
    )
    return u, p


def citizen(username=None):
    u = f.user(username)
    return u, f.person(user_obj=u)


def public_thread(title="Capacitación en oficios digitales", **kw) -> Thread:
    kw.setdefault("kind", Thread.Kind.TOPIC)
    kw.setdefault("topic", f.topic())
    return services.thread_create(title=title, **kw)


def internal_thread(council, title="Preparación de la sesión de marzo") -> Thread:
    return services.thread_create(
        kind=Thread.Kind.COUNCIL,
        title=title,
        council=council,
        visibility=Thread.Visibility.COUNCIL_INTERNAL,
    )


def council_thread(council, title="Acuerdos de la sesión") -> Thread:
    return services.thread_create(kind=Thread.Kind.COUNCIL, title=title, council=council)


def ensure_council(slug: str = "biobio"):
    """The region's council, recreated when a transactional test truncated the data migration's
    rows."""
    from forum.participation.models import Council, Region

    region, _ = Region.objects.get_or_create(
        slug=slug, defaults={"code": slug[:8].upper(), "name": slug.title(), "ordinal": 90}
    )
    council, _ = Council.objects.get_or_create(
        region=region,
        defaults={
            "slug": f"cre-{slug}",
            "kind": Council.Kind.REGIONAL,
            "name": f"Consejo Regional de Empleabilidad {region.name}",
        },
    )
    return council
