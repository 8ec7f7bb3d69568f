"""People and web accounts: sign-up, preferences, channel identities, «Mis datos»
(rectification and erasure)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.core.text import clean_name

from .. import handlers, privacy
from ..models import (
    Channel,
    ChannelIdentity,
    Person,
    Region,
)

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    from django.contrib.auth.models import User

from forum.core.validation import full_clean

from .common import ParticipationError

# ---------------------------------------------------------------- people


def person_for_user(*, user: AbstractBaseUser) -> Person:
    """The Person behind a web account, created on first use."""
    person = Person.objects.filter(user=cast("User", user)).first()
    if person is not None:
        return person
    with transaction.atomic():
        person, _created = Person.objects.get_or_create(
            user=user,
            defaults={
                # Never the username (sign-up promises it is never shown): a full name an
                # administrator gave the account, else none, and posts show «Participante #N».
                "display_name": user.get_full_name(),  # type: ignore[attr-defined]
                "email": getattr(user, "email", ""),
                "consent_at": timezone.now(),
            },
        )
        ChannelIdentity.objects.get_or_create(
            channel=Channel.WEB, external_id=str(user.pk), defaults={"person": person}
        )
    return person


def account_signup(
    *,
    username: str,
    email: str,
    password: str,
    language: str,
    region: Region | None = None,
    active: bool = True,
    display_name: str = "",
) -> tuple[User, Person]:
    """Create a web account and its Person (consent given on the form) in one transaction, so a
    failure halfway leaves no account without a person. The sign-up page creates it inactive
    (``active=False``) until the link mailed to its address is opened (:func:`account_activate`):
    the page then answers the same whether the address already had an account or not.
    ``display_name``: the name the person chose for their thread posts ("" shows «Participante
    #N»; never the username)."""

    with transaction.atomic():
        user = get_user_model().objects.create_user(
            username=username, email=email, password=password, is_active=active
        )
        person = person_for_user(user=user)
        person.display_name = clean_name(display_name)
        person_update_preferences(person=person, language=language, region=region)
        handlers.data_changed("person")
    return user, person


def account_activate(*, user: User) -> User:
    """The address of a new account was confirmed (its link opened): it may sign in."""
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def person_update_preferences(
    *,
    person: Person,
    language: str | None = None,
    region: Region | None = None,
    email_notifications: bool | None = None,
) -> Person:
    with transaction.atomic():
        if language is not None:
            person.language = language
        if region is not None:
            person.region = region
        if email_notifications is not None:
            person.email_notifications = email_notifications
        full_clean(person)
        person.save()
    return person


# ---------------------------------------------------------------- channel identities


def identity_mark_unreachable(*, channel: str, external_id: str) -> int:
    """The person blocked the bot (or the number left WhatsApp): stop sending there. Called
    by the bots when the platform says so, and by the outbox worker when a sender finds out."""
    return ChannelIdentity.objects.filter(
        channel=channel, external_id=external_id, unreachable_at__isnull=True
    ).update(unreachable_at=timezone.now())


def identity_mark_reachable(*, channel: str, external_id: str) -> int:
    """They wrote again: they unblocked the bot."""
    return ChannelIdentity.objects.filter(
        channel=channel, external_id=external_id, unreachable_at__isnull=False
    ).update(unreachable_at=None)


def person_anonymise(*, person: Person) -> None:
    """Erasure (``participation.privacy``): name, e-mail, region, organisation and consent go,
    and the channel identities (so no message reaches them). Ideas, co-authorships, supports
    and memberships stay, theirs. Runs inside the erasure's transaction."""
    Person.objects.filter(pk=person.pk).update(
        display_name="",
        email="",
        region=None,
        organisation=None,
        actor_category="",
        consent_at=None,
        email_notifications=False,
        erased_at=timezone.now(),
    )
    ChannelIdentity.objects.filter(person=person).delete()
    handlers.data_changed("person")


# ---------------------------------------------------------------- a web account's own data


def account_update(
    *,
    user: User,
    display_name: str,
    email: str,
    region: Region | None,
    language: str,
    email_notifications: bool,
) -> Person:
    """Rectification from «Mis datos» (Law 21.719): the name shown on thread posts, the e-mail
    (the account's and the notices'), region, language of notices, e-mail notices on or off.

    Raises ParticipationError ``email_taken`` (nothing saved) when another account has the
    e-mail, compared without regard to case as signup does.
    """

    email = email.strip().lower()
    with transaction.atomic():
        if get_user_model().objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
            raise ParticipationError(
                _("Ya existe otra cuenta con este correo. Escribe otro."), code="email_taken"
            )
        person = person_for_user(user=user)
        person.display_name = clean_name(display_name)
        person.email = email
        person.region = region
        person.language = language
        person.email_notifications = email_notifications
        full_clean(person)
        person.save()
        user.email = email
        full_clean(user)
        user.save(update_fields=["email"])
    return person


def account_erase(*, user: User) -> None:
    """Erasure of a web account by its owner (Law 21.719). The person's data goes through
    ``privacy.person_erase`` (name, e-mail, region, channel identities, chat history, notices,
    the threads they follow); the User row stays, inactive, with a random
    username, no e-mail and no usable password, so nobody signs in with it and no page can
    show who it was. Ideas, supports, thread posts and reports stay, by an anonymous person.

    Raises ParticipationError ``has_role`` (nothing erased) for the accounts
    ``privacy.account_erase_refusal`` names. The caller logs the session out.
    """

    with transaction.atomic():
        # Serialises a double submit: the second one finds the account already anonymised.
        user = get_user_model().objects.select_for_update().get(pk=user.pk)
        refusal = privacy.account_erase_refusal(user=user)
        if refusal is not None:
            raise ParticipationError(refusal, code="has_role")
        person = Person.objects.filter(user=user).first()
        if person is not None:
            privacy.person_erase(person=person)
        user.username = f"borrada-{uuid.uuid4().hex}"
        user.email = ""
        user.first_name = ""
        user.last_name = ""
        user.last_login = None
        user.is_active = False
        user.set_unusable_password()
        full_clean(user)
        user.save()
