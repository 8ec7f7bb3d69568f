"""Registry builders for the convocation tests (factories, not fixtures files)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from forum.convocation import services
from forum.convocation.models import Contact, Convocation, OrganisationProfile, Proposal
from forum.notifications.worker import deliver_due
from forum.participation.models import ActorCategory, Organisation
from tests import factories

CATS = [c.value for c in ActorCategory]


def org(name, category=ActorCategory.EMPLOYERS, *, region="biobio", territory="", convened=()):
    o = Organisation.objects.create(
        name=name, actor_category=category, region=factories.region(region)
    )
    OrganisationProfile.objects.create(organisation=o, territory=territory)
    for day in convened:
        Convocation.objects.create(organisation=o, date=day, space_name="COSOC Seremi")
    return o


def contact(organisation, *, channel="telegram", external_id=None, language="es", email=""):
    person = factories.person(
        name=f"Contacto de {organisation.name}",
        language=language,
        consent_at=timezone.now(),
        email=email,
    )
    if channel:
        factories.identity(person, channel, external_id)
    Contact.objects.create(organisation=organisation, person=person)
    return person


def registry(per_category=3, region="biobio"):
    """``per_category`` organisations in each of the five categories, each with a contact."""
    out: dict[str, list[Organisation]] = {}
    for cat in CATS:
        for n in range(per_category):
            o = org(f"{cat} {n}", cat, region=region, territory=f"Comuna {n}")
            contact(o)
            out.setdefault(cat, []).append(o)
    return out


def day(y, m, d=1):
    return dt.date(y, m, d)


def invite_one_employer(*, title: str, place: str) -> Proposal:
    """A dialogue with one employers' seat, its list made 20 days ahead and the invitation sent
    (the notification outbox delivered): the registry's only employer is invited."""
    dialogue = factories.dialogue(title=title, place=place)
    proposal = services.proposal_create(
        actor=None,
        dialogue=dialogue,
        size=1,
        shares={str(ActorCategory.EMPLOYERS): 1},
        today=dialogue.date - dt.timedelta(days=20),
    )
    services.proposal_invite(actor=None, proposal=proposal)
    deliver_due()
    return proposal
