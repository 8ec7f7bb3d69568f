"""Writes of the convocation app: lists proposed by the rule, swaps, invitations and their
answers, attendance, and the record of every convocation.

Every service is keyword-only, runs in one transaction and validates with ``full_clean()``;
a staff member's swap is written to moderation's audit log. Invitations are notifications in
the outbox (``notifications.kinds.Invitation``), delivered after commit by the worker.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.validation import full_clean
from forum.moderation.services import audit_record
from forum.moderation.services.common import Actor, user_of
from forum.notifications import kinds
from forum.notifications.services import notification_create_many
from forum.participation.models import (
    ChannelIdentity,
    Council,
    Dialogue,
    Organisation,
    Person,
)

from . import rule, selectors
from .models import Contact, Convocation, Invitation, Proposal, Seat


class ConvocationError(ValidationError):
    """A refused convocation action; the message says why. Nothing changed."""


def _today() -> dt.date:
    return timezone.localdate()


# ------------------------------------------------------------------ proposing


def proposal_create(
    *,
    actor: Actor,
    dialogue: Dialogue | None = None,
    council: Council | None = None,
    size: int,
    shares: Mapping[str, int] | None = None,
    fatigue_cap: int = rule.DEFAULT_FATIGUE_CAP,
    today: dt.date | None = None,
) -> Proposal:
    """Run the rule for a dialogue or a regional council's renewal and keep its list (seats in
    the state *proposed*; nothing is sent)."""
    if (dialogue is None) == (council is None):
        raise ConvocationError(_("Elige un diálogo o un consejo."))
    today = today or _today()
    if dialogue is not None:
        region = dialogue.region or dialogue.council.region
        date = dialogue.date
    else:
        assert council is not None
        region = council.region
        date = today
    if region is None:
        raise ConvocationError(
            _("El Consejo Nacional se integra por rotación desde los consejos regionales.")
        )
    shares = dict(shares or rule.DEFAULT_SHARES)
    target = rule.Target(
        size=size,
        shares=shares,
        fatigue_cap=fatigue_cap,
        priority_chains=selectors.priority_chains(region),
    )
    try:
        result = rule.propose(selectors.candidates(region, today), target)
    except ValueError as exc:
        raise ConvocationError(str(exc)) from exc
    with transaction.atomic():
        proposal = Proposal(
            dialogue=dialogue,
            council=council,
            region=region,
            date=date,
            size=size,
            shares=shares,
            fatigue_cap=fatigue_cap,
            created_by=user_of(actor),
            shortfalls=[dataclasses.asdict(s) for s in result.shortfalls],
        )
        full_clean(proposal)
        proposal.save()
        Seat.objects.bulk_create(
            [
                Seat(
                    proposal=proposal,
                    organisation_id=pick.candidate.id,
                    category=pick.category,
                    position=n,
                    reason=dataclasses.asdict(pick.reason),
                )
                for n, pick in enumerate(result.picks, start=1)
            ]
        )
    return proposal


def _locked_seat(seat: Seat) -> Seat:
    return Seat.objects.select_for_update(of=("self",)).select_related("proposal").get(pk=seat.pk)


def seat_swap(*, actor: Actor, seat: Seat, organisation: Organisation, reason: str) -> Seat:
    """Staff put ``organisation`` in place of a proposed seat's, with a reason that goes to the
    audit log. Refused for a seat already invited, or an organisation already on the list."""
    reason = (reason or "").strip()
    if not reason:
        raise ConvocationError(_("Escribe el motivo del cambio: queda en el registro."))
    with transaction.atomic():
        seat = _locked_seat(seat)
        if seat.state != Seat.State.PROPOSED:
            raise ConvocationError(_("Solo se puede cambiar un cupo que aún no se ha invitado."))
        if selectors.active_seats(seat.proposal).filter(organisation=organisation).exists():
            raise ConvocationError(_("Esa organización ya está en la lista."))
        seat.state = Seat.State.SWAPPED
        seat.save(update_fields=["state", "updated_at"])
        new = Seat(
            proposal=seat.proposal,
            organisation=organisation,
            category=organisation.actor_category,
            position=seat.position,
            reason={"swapped": True},
            note=reason,
            replaces=seat,
        )
        full_clean(new)
        new.save()
        audit_record(
            actor=actor,
            action="convocation_swap",
            target=new,
            before={"organisation": seat.organisation_id, "category": seat.category},
            after={"organisation": organisation.pk, "category": organisation.actor_category},
            reason=reason,
        )
    return new


# ------------------------------------------------------------------ inviting


def reachable_contacts(organisation_ids) -> dict[int, list[Person]]:
    """Contacts who consented and were not erased, by organisation."""
    out: dict[int, list[Person]] = {}
    rows = (
        Contact.objects.filter(
            organisation_id__in=list(organisation_ids),
            person__consent_at__isnull=False,
            person__erased_at__isnull=True,
        )
        .select_related("person")
        .order_by("organisation_id", "id")
    )
    for c in rows:
        out.setdefault(c.organisation_id, []).append(c.person)
    return out


def space_path(proposal: Proposal) -> str:
    """The space's public page: a dialogue's own page (what it asks, where and when, who is
    convened by category) where the site has one, else the convocation's page of the space."""
    try:
        if proposal.dialogue is not None:
            try:
                return reverse("dialogues:detail", args=[proposal.dialogue.slug])
            except NoReverseMatch:
                return reverse("convocation:dialogue", args=[proposal.dialogue.slug])
        assert proposal.council is not None
        return reverse("convocation:council", args=[proposal.council.slug])
    except NoReverseMatch:
        return "/"


def _notice(invitation: Invitation, *, reminder: bool = False) -> kinds.Invitation:
    proposal = invitation.seat.proposal
    space = proposal.space
    return kinds.Invitation(
        token=invitation.token,
        space=str(getattr(space, "title", None) or getattr(space, "name", "")),
        organisation=invitation.seat.organisation.name,
        date=proposal.date.isoformat(),
        place=getattr(space, "place", "") or "",
        path=space_path(proposal),
        reminder=reminder,
        answer_path=reverse("convocation:answer", args=[invitation.token]),
    )


def invitation_send(*, seat: Seat, person: Person) -> Invitation:
    """Invite one person for a seat (outbox, in the caller's transaction); once per person."""
    invitation, created = Invitation.objects.get_or_create(seat=seat, person=person)
    if created:
        notification_create_many(people=[person], notice=_notice(invitation))
    return invitation


def _invite_seat(seat: Seat, people: list[Person]) -> int:
    proposal = seat.proposal
    for person in people:
        invitation_send(seat=seat, person=person)
    seat.state = Seat.State.INVITED
    seat.save(update_fields=["state", "updated_at"])
    Convocation.objects.create(
        organisation=seat.organisation,
        date=proposal.date,
        dialogue=proposal.dialogue,
        council=proposal.council,
        source=Convocation.Source.OURS,
    )
    return len(people)


def proposal_invite(*, actor: Actor, proposal: Proposal) -> tuple[int, list[Seat]]:
    """Invite every proposed seat's contacts (outbox: e-mail, Telegram, WhatsApp, inbox) and
    record the convocation. Returns (invitations written, seats left without a contact)."""
    with transaction.atomic():
        seats = list(
            Seat.objects.select_for_update(of=("self",))
            .filter(proposal=proposal, state=Seat.State.PROPOSED)
            .select_related("organisation", "proposal__dialogue", "proposal__council")
        )
        contacts = reachable_contacts(s.organisation_id for s in seats)
        sent, missing = 0, []
        for seat in seats:
            people = contacts.get(seat.organisation_id, [])
            if not people:
                missing.append(seat)
                continue
            sent += _invite_seat(seat, people)
    return sent, missing


ANSWERABLE = (Seat.State.INVITED, Seat.State.CONFIRMED, Seat.State.DELEGATED)


def _check_answer(answer: str) -> None:
    if answer not in (Invitation.Answer.YES, Invitation.Answer.NO, Invitation.Answer.OTHER):
        raise ConvocationError(_("Respuesta desconocida."))


def locked_invitation(
    token: str, *, channel: str | None = None, external_id: str | None = None
) -> Invitation:
    """The invitation a token names, locked, with its seat locked too. With ``channel``, only
    the chat it was sent to may name it (a bot's button); without, the token is the proof (the
    invitation's own page, whose link only its e-mail carried). Refused when the seat can no
    longer be answered for."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("seat__proposal", "seat__organisation", "person")
        .filter(token=token)
        .first()
    )
    if invitation is None or (
        channel is not None
        and not ChannelIdentity.objects.filter(
            person=invitation.person, channel=channel, external_id=external_id
        ).exists()
    ):
        raise ConvocationError(_("No encontramos esa invitación."))
    seat = _locked_seat(invitation.seat)
    if seat.state in (Seat.State.DECLINED, Seat.State.SWAPPED):
        raise ConvocationError(
            _("Ese cupo ya se ofreció a otra organización. Gracias por responder.")
        )
    if seat.state == Seat.State.ATTENDED:
        raise ConvocationError(_("Ya registramos tu asistencia."))
    invitation.seat = seat
    return invitation


def invitation_answer(
    *, token: str, answer: str, channel: str | None, external_id: str | None = None
) -> tuple[Invitation, Seat | None]:
    """A contact's answer (``yes``/``no``/``other``), from a button (only the chat the
    invitation was sent to may answer it) or, with ``channel=None``, from the invitation's own
    page. *no* frees the seat, which is offered to the next organisation by the same rule;
    returns the invitation and that replacement seat (or None). *other* is only recorded: the
    seat is delegated once the other person is named (``delegations.invitation_delegate``)."""
    _check_answer(answer)
    with transaction.atomic():
        invitation = locked_invitation(token, channel=channel, external_id=external_id)
        seat = invitation.seat
        invitation.answer = answer
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answered_at"])
        replacement = None
        if answer == Invitation.Answer.YES:
            seat.state = Seat.State.CONFIRMED
        elif answer == Invitation.Answer.NO:
            seat.state = Seat.State.DECLINED
        seat.save(update_fields=["state", "updated_at"])
        if answer == Invitation.Answer.NO:
            replacement = seat_offer_next(seat=seat)
    return invitation, replacement


def seat_offer_next(*, seat: Seat, today: dt.date | None = None) -> Seat | None:
    """A declined seat goes to the next organisation of its category by the same rule (the
    list's other seats count for the spread); invited at once. None when nobody is left."""
    proposal = seat.proposal
    today = today or _today()
    with transaction.atomic():
        on_list = set(proposal.seats.values_list("organisation_id", flat=True))
        active = set(selectors.active_seats(proposal).values_list("organisation_id", flat=True))
        pool = selectors.candidates(proposal.region, today)
        target = rule.Target(
            size=1,
            shares={seat.category: 1},
            fatigue_cap=proposal.fatigue_cap,
            priority_chains=selectors.priority_chains(proposal.region),
        )
        result = rule.propose(
            pool, target, exclude=on_list, already=[c for c in pool if c.id in active]
        )
        if not result.picks:
            return None
        [pick] = result.picks
        new = Seat.objects.create(
            proposal=proposal,
            organisation_id=pick.candidate.id,
            category=pick.category,
            position=seat.position,
            reason={**dataclasses.asdict(pick.reason), "replaces_declined": True},
            replaces=seat,
        )
        new = Seat.objects.select_related("organisation", "proposal").get(pk=new.pk)
        people = reachable_contacts([new.organisation_id]).get(new.organisation_id, [])
        if people:
            _invite_seat(new, people)
    return new


def invitation_mark_attended(
    *,
    dialogue: Dialogue | None = None,
    council: Council | None = None,
    person: Person,
    actor: Actor = None,
) -> Invitation | None:
    """Check-in (called by the dialogues app): the person's invitation to the space's latest
    list is marked attended, and its seat too. None when the person was not invited (they may
    attend all the same; nothing is written here)."""
    space = Q(seat__proposal__dialogue=dialogue) if dialogue else Q(seat__proposal__council=council)
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(space, person=person)
            .exclude(seat__state__in=[Seat.State.SWAPPED, Seat.State.DECLINED])
            .select_related("seat")
            .order_by("-seat__proposal__created_at", "-id")
            .first()
        )
        if invitation is None:
            return None
        if invitation.attended_at is None:
            invitation.attended_at = timezone.now()
            invitation.save(update_fields=["attended_at"])
        seat = _locked_seat(invitation.seat)
        if seat.state != Seat.State.ATTENDED:
            seat.state = Seat.State.ATTENDED
            seat.save(update_fields=["state", "updated_at"])
    return invitation


def invitations_remind(*, days_before: int = 2, today: dt.date | None = None) -> int:
    """Remind invited and confirmed contacts of meetings in the next ``days_before`` days, once
    each. Returns how many reminders went to the outbox."""
    today = today or _today()
    count = 0
    with transaction.atomic():
        due = (
            Invitation.objects.select_for_update(of=("self",))
            .filter(
                reminded_at__isnull=True,
                answer__in=["", Invitation.Answer.YES],
                seat__state__in=[Seat.State.INVITED, Seat.State.CONFIRMED, Seat.State.DELEGATED],
                seat__proposal__date__gte=today,
                seat__proposal__date__lte=today + dt.timedelta(days=days_before),
            )
            .select_related(
                "person",
                "seat__organisation",
                "seat__proposal__dialogue",
                "seat__proposal__council",
            )
        )
        now = timezone.now()
        for invitation in due:
            notification_create_many(
                people=[invitation.person], notice=_notice(invitation, reminder=True)
            )
            invitation.reminded_at = now
            invitation.save(update_fields=["reminded_at"])
            count += 1
    return count


# ------------------------------------------------------------------ the record


def convocation_record(
    *,
    actor: Actor,
    organisation: Organisation,
    date: dt.date,
    space_name: str = "",
    dialogue: Dialogue | None = None,
    council: Council | None = None,
    source: str = Convocation.Source.ENTERED,
) -> Convocation:
    """Record one convocation by any participatory space (another institution's included):
    fatigue is counted from all of them."""
    row = Convocation(
        organisation=organisation,
        date=date,
        space_name=space_name,
        dialogue=dialogue,
        council=council,
        source=source,
    )
    full_clean(row)
    row.save()
    return row
