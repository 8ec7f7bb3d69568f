"""A person's data under Law 21.719 (rights of access, portability and erasure), from every app
that keeps some.

Participation cannot import the apps above it, so each app registers, from its
``AppConfig.ready``, the handlers for its own rows (in its ``privacy.py``):

- ``export(person) -> {section: data}``: the sections of the export it owns (``SECTIONS``);
- ``erase(person)``: deletes or anonymises its rows of that person, inside the caller's
  transaction;
- ``keeps_account(user) -> bool``: the account holds a role there, or an audit trail there names
  it, so its owner may not erase it from «Mis datos» or ``/borrar``.

``person_export``, ``person_erase`` and ``account_erase_refusal`` call them all. The bots'
``/mis_datos`` and ``/borrar`` and the «Mis datos» pages use these three, nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    # AUTH_USER_MODEL: the model the user foreign keys point to.
    from django.contrib.auth.models import User

    from .models import Person

# The export's sections in the order a person reads them (and the JSON keeps), whatever order
# the apps register in. A new section is added here by the app that will own it.
SECTIONS: tuple[str, ...] = (
    "persona",
    "cuenta",
    "identidades",
    "ideas",
    "coautorias",
    "apoyos",
    "consejos",
    "mensajes_en_hilos",
    "hilos_seguidos",
    "dialogos",
    "reportes",
    "avisos",
    "conversaciones",
    "convocatorias",
)

Export = Callable[["Person"], dict[str, Any]]
# A service of the app that owns the rows, called as ``erase(person=…)``.
Erase = Callable[..., None]
KeepsAccount = Callable[["User"], bool]


@dataclass(frozen=True)
class Handlers:
    app: str
    sections: tuple[str, ...]
    export: Export | None
    erase: Erase | None
    keeps_account: KeepsAccount | None


_HANDLERS: dict[str, Handlers] = {}


def register(
    app: str,
    *,
    sections: tuple[str, ...] = (),
    export: Export | None = None,
    erase: Erase | None = None,
    keeps_account: KeepsAccount | None = None,
) -> None:
    """Plug an app's handlers in (call from ``AppConfig.ready``; registering ``app`` again
    replaces its handlers). ``export`` returns exactly ``sections``, each one of ``SECTIONS``
    and owned by no other app. Erasers run in registration order (``INSTALLED_APPS``)."""
    if bool(sections) != (export is not None):
        raise ImproperlyConfigured(f"privacy: {app} must name the sections its export returns")
    unknown = [s for s in sections if s not in SECTIONS]
    if unknown:
        raise ImproperlyConfigured(f"privacy: {app}'s sections {unknown} are not in SECTIONS")
    owners = {s: h.app for h in _HANDLERS.values() if h.app != app for s in h.sections}
    taken = {s: owners[s] for s in sections if s in owners}
    if taken:
        raise ImproperlyConfigured(f"privacy: {app} registers sections other apps own: {taken}")
    _HANDLERS[app] = Handlers(
        app=app,
        sections=tuple(sections),
        export=export,
        erase=erase,
        keeps_account=keeps_account,
    )


def unregister(app: str) -> None:
    """Remove an app's handlers (tests)."""
    _HANDLERS.pop(app, None)


def handlers() -> list[Handlers]:
    return list(_HANDLERS.values())


def person_export(person: Person) -> dict[str, Any]:
    """Everything stored about a person (rights of access and portability): for ``/mis_datos``
    in the bots and the «Mis datos» page of a web account, sections in ``SECTIONS`` order. The
    web-only parts (account, thread posts, reports…) are empty for someone who only used a bot.
    """
    found: dict[str, Any] = {}
    for h in _HANDLERS.values():
        if h.export is None:
            continue
        part = h.export(person)
        if set(part) != set(h.sections):
            raise ImproperlyConfigured(
                f"privacy: {h.app}'s export returned {sorted(part)}, not {sorted(h.sections)}"
            )
        found.update(part)
    return {section: found[section] for section in SECTIONS if section in found}


def person_erase(*, person: Person) -> None:
    """Erase a person's personal data (right of erasure): every app deletes or anonymises its
    rows of them, in one transaction. Their ideas, supports, thread posts and reports stay,
    pointing to an anonymous, erased person. The caller checks ``account_erase_refusal`` first
    for a person with an account (``account_erase`` does)."""
    with transaction.atomic():
        for h in _HANDLERS.values():
            if h.erase is not None:
                h.erase(person=person)
    person.refresh_from_db()


def account_erase_refusal(*, user: User) -> str | None:
    """Why this account may not erase itself (from «Mis datos» or ``/borrar``), or None if it
    may.

    Staff, moderators, council secretaries and current council members hold a role, and an
    account that ever moderated, answered or hid content is the «who» of audit rows: erasing it
    would leave those rows saying nobody. An administrator handles those requests."""
    if not any(h.keeps_account(user) for h in _HANDLERS.values() if h.keeps_account is not None):
        return None
    return _(
        "Tu cuenta tiene o tuvo un rol de moderación, administración o consejo, y el registro "
        "de auditoría debe seguir mostrando quién hizo cada acción. Por eso no puedes borrarla "
        "desde aquí: escríbenos a %(email)s y un administrador atenderá tu solicitud."
    ) % {"email": settings.CONTACT_EMAIL}
