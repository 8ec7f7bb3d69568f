"""Council secretaries: who may answer for a council."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from forum.participation.models import Council

from ..models import CouncilSecretary
from ..roles import SECRETARY
from .audit import audit_record
from .common import Actor


def council_secretary_assign(*, user: Any, council: Council, actor: Actor) -> CouncilSecretary:
    """Let ``user`` answer for ``council``: the secretary link and the role's group (without
    the group's permission the link alone would open nothing). Idempotent; audited."""
    with transaction.atomic():
        link, created = CouncilSecretary.objects.get_or_create(user=user, council=council)
        group = Group.objects.filter(name=SECRETARY).first()
        if group is not None:
            user.groups.add(group)
        if created:
            audit_record(
                actor=actor,
                action="council_secretary.assign",
                target=link,
                after={"user": user.get_username(), "council": council.slug},
            )
    return link


def council_secretary_remove(*, link: CouncilSecretary, actor: Actor) -> None:
    """End a secretaryship; the role's group goes too when it was the user's last council."""
    with transaction.atomic():
        user, council = link.user, link.council
        audit_record(
            actor=actor,
            action="council_secretary.remove",
            target=link,
            before={"user": user.get_username(), "council": council.slug},
        )
        link.delete()
        if not CouncilSecretary.objects.filter(user=user).exists():
            user.groups.remove(*Group.objects.filter(name=SECRETARY))
