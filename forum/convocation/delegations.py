"""«Propongo a otra persona de mi organización»: an invitee names another person of the
organisation and how to reach them (e-mail or a WhatsApp number: a Telegram username cannot be
written to). That person becomes a contact of the organisation whose consent is pending, and is
sent a consent request through the outbox on that channel; only once they consent are they
invited, for the same seat. Meanwhile the seat is *delegated*: kept for the organisation, never
offered to the next one. A refusal erases what we kept about them and gives the seat back to
the invitee.

| from | to | by |
| --- | --- | --- |
| *invited*, *confirmed* | *delegated* | the invitee names another (:func:`invitation_delegate`) |
| *delegated* | *confirmed* / *declined* | an answer of either person's invitation |
| *delegated* | *invited* | the other person refuses consent, none other pending |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.validation import full_clean
from forum.notifications import kinds
from forum.notifications.services import notification_create_many
from forum.participation.models import ChannelIdentity, Person

from .models import Contact, Delegation, Invitation, Seat
from .services import ConvocationError, invitation_send, locked_invitation

NAME_MAX = 150
_PHONE_PUNCTUATION = re.compile(r"[\s().-]")


@dataclass(frozen=True)
class Reach:
    """How to reach the proposed person: one e-mail address or one WhatsApp number (digits,
    with the country code)."""

    email: str = ""
    phone: str = ""


def clean_name(text: str) -> str:
    name = " ".join((text or "").split())
    if len(name) < 2 or len(name) > NAME_MAX or name.startswith("/"):
        raise ConvocationError(
            _("Escribe el nombre y apellido de la otra persona (hasta %(n)d caracteres).")
            % {"n": NAME_MAX}
        )
    return name


def parse_reach(text: str) -> Reach:
    """An e-mail address or a WhatsApp number (``+56 9 1234 5678``; a Chilean mobile may omit
    the 56). Anything else, a Telegram username included, is refused with the reason."""
    value = (text or "").strip()
    if value.startswith("@") or "t.me/" in value:
        raise ConvocationError(
            _(
                "No podemos escribirle a alguien por su usuario de Telegram: escribe su correo "
                "electrónico o su número de WhatsApp."
            )
        )
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            raise ConvocationError(_("Ese correo no parece válido. Revísalo.")) from None
        return Reach(email=value.lower())
    digits = _PHONE_PUNCTUATION.sub("", value).removeprefix("+")
    if digits.isascii() and digits.isdecimal():
        if len(digits) == 9 and digits.startswith("9"):
            digits = "56" + digits
        if 10 <= len(digits) <= 15:
            return Reach(phone=digits)
    raise ConvocationError(
        _(
            "Escribe su correo electrónico o su número de WhatsApp con código de país "
            "(por ejemplo +56 9 1234 5678)."
        )
    )


def _delegate_person(name: str, reach: Reach, invitation: Invitation) -> Person:
    """The person named: the one already reachable at that WhatsApp number or already a
    contact of the organisation with that e-mail, else a new one (consent pending)."""
    organisation = invitation.seat.organisation
    if reach.phone:
        identity = ChannelIdentity.objects.filter(channel="whatsapp", external_id=reach.phone)
        found = identity.select_related("person").first()
        if found is not None and found.person.erased_at is None:
            return found.person
    else:
        contact = Contact.objects.filter(
            organisation=organisation, person__email__iexact=reach.email
        ).first()
        if contact is not None and contact.person.erased_at is None:
            return contact.person
    person = Person(
        display_name=name,
        email=reach.email,
        language=invitation.person.language,
        organisation=organisation,
    )
    full_clean(person)
    person.save()
    if reach.phone:
        ChannelIdentity.objects.create(person=person, channel="whatsapp", external_id=reach.phone)
    return person


def invitation_delegate(
    *,
    token: str,
    name: str,
    reach: Reach,
    channel: str | None = None,
    external_id: str | None = None,
) -> Delegation:
    """The invitee (their chat, or their invitation's page with ``channel=None``) proposes
    ``name``: a contact of the same organisation with consent pending, asked for it through the
    outbox; the seat is *delegated*."""
    name = clean_name(name)
    if not (reach.email or reach.phone):
        raise ConvocationError(_("Falta el correo o el número de WhatsApp."))
    with transaction.atomic():
        invitation = locked_invitation(token, channel=channel, external_id=external_id)
        seat = invitation.seat
        person = _delegate_person(name, reach, invitation)
        if person.pk == invitation.person_id:
            raise ConvocationError(_("Esa persona eres tú: responde «Asistiré» o «No puedo»."))
        contact, _created = Contact.objects.get_or_create(
            organisation=seat.organisation, person=person
        )
        delegation = Delegation.objects.create(
            invitation=invitation, contact=contact, name=name, email=reach.email, phone=reach.phone
        )
        invitation.answer = Invitation.Answer.OTHER
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answer", "answered_at"])
        seat.state = Seat.State.DELEGATED
        seat.save(update_fields=["state", "updated_at"])
        space = seat.proposal.space
        notification_create_many(
            people=[person],
            notice=kinds.ContactConsent(
                token=delegation.token,
                proposer=str(invitation.person),
                space=str(getattr(space, "title", None) or getattr(space, "name", "")),
                organisation=seat.organisation.name,
                date=seat.proposal.date.isoformat(),
                path=reverse("convocation:consent", args=[delegation.token]),
            ),
        )
    return delegation


def _locked_delegation(token: str, channel: str | None, external_id: str | None) -> Delegation:
    delegation = (
        Delegation.objects.select_for_update(of=("self",))
        .select_related("contact__person", "invitation__seat__proposal", "invitation__person")
        .filter(token=token, contact__isnull=False)
        .first()
    )
    if delegation is None or (
        channel is not None
        and delegation.contact is not None
        and not ChannelIdentity.objects.filter(
            person=delegation.contact.person, channel=channel, external_id=external_id
        ).exists()
    ):
        raise ConvocationError(_("No encontramos esa solicitud."))
    return delegation


def delegation_answer(
    *,
    token: str,
    accept: bool,
    channel: str | None = None,
    external_id: str | None = None,
) -> tuple[Delegation, Invitation | None]:
    """The proposed person's answer to the consent request (their chat's button, or its page
    with ``channel=None``). Consent: they are invited for the same seat (returned). Refusal:
    their contact and what we kept are erased, and the seat is the invitee's again."""
    with transaction.atomic():
        delegation = _locked_delegation(token, channel, external_id)
        if delegation.state != Delegation.State.PENDING:
            raise ConvocationError(_("Ya respondiste esta solicitud. Gracias."))
        seat = Seat.objects.select_for_update(of=("self",)).get(pk=delegation.invitation.seat_id)
        assert delegation.contact is not None  # filtered above
        person = delegation.contact.person
        delegation.answered_at = timezone.now()
        invitation = None
        if accept:
            if person.consent_at is None:
                person.consent_at = timezone.now()
                person.save(update_fields=["consent_at"])
            delegation.state = Delegation.State.CONSENTED
            delegation.save(update_fields=["state", "answered_at"])
            if seat.state not in (Seat.State.DECLINED, Seat.State.SWAPPED, Seat.State.ATTENDED):
                invitation = invitation_send(seat=seat, person=person)
            return delegation, invitation
        delegation.state = Delegation.State.REFUSED
        delegation.name, delegation.email, delegation.phone = "", "", ""
        delegation.save(update_fields=["state", "answered_at", "name", "email", "phone"])
        _forget(delegation)
        if (
            seat.state == Seat.State.DELEGATED
            and not Delegation.objects.filter(
                invitation__seat=seat, state=Delegation.State.PENDING
            ).exists()
        ):
            seat.state = Seat.State.INVITED
            seat.save(update_fields=["state", "updated_at"])
    return delegation, None


def _forget(delegation: Delegation) -> None:
    """A refusal: the contact goes, and so does the person if we created them for this
    request alone (no consent, account or other organisation)."""
    contact = delegation.contact
    assert contact is not None
    person = contact.person
    contact.delete()
    if (
        person.consent_at is None
        and person.user_id is None
        and not Contact.objects.filter(person=person).exists()
    ):
        person.delete()
