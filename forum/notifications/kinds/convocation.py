"""Notices from the convocation app: an organisation's contact invited to a dialogue or a
council session, and the reminder before the date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _

from ..formatting import absolute, one_line
from ..models import Notification
from .base import Draft, Notice, Payload, RenderContext, _text


@dataclass(frozen=True, kw_only=True)
class Invitation(Notice):
    """An organisation's contact invited to a dialogue or a council session (the convocation
    app). ``token`` names the invitation in the answer buttons; ``reminder`` for the reminder
    sent before the date."""

    kind: ClassVar[str] = Notification.Kind.INVITATION
    token: str = ""
    space: str = ""  # the dialogue's or council's name
    organisation: str = ""
    date: str = ""  # ISO date of the meeting
    place: str = ""
    path: str = ""  # the space's page on the site
    reminder: bool = False
    answer_path: str = ""  # the invitation's own page: answer there (e-mail has no buttons)

    def to_payload(self) -> Payload:
        return {
            "token": self.token,
            "space": self.space,
            "organisation": self.organisation,
            "date": self.date,
            "place": self.place,
            "path": self.path,
            "reminder": self.reminder,
            "answer_path": self.answer_path,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            token=_text(payload.get("token")),
            space=_text(payload.get("space")),
            organisation=_text(payload.get("organisation")),
            date=_text(payload.get("date")),
            place=_text(payload.get("place")),
            path=_text(payload.get("path")),
            reminder=payload.get("reminder") is True,
            answer_path=_text(payload.get("answer_path")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {
            "space": one_line(self.space, 200),
            "organisation": one_line(self.organisation, 200),
            "date": self.date,
            "place": one_line(self.place, 200),
        }
        if self.reminder:
            subject = _("Recordatorio: «%(space)s» el %(date)s") % facts
            lines = [_("Te recordamos «%(space)s», el %(date)s.") % facts]
        else:
            subject = _("Invitación: «%(space)s»") % facts
            lines = [
                _(
                    "Invitamos a %(organisation)s a «%(space)s», el %(date)s. Te escribimos "
                    "porque eres su contacto."
                )
                % facts
            ]
        if self.place:
            lines.append(_("Lugar: %(place)s") % facts)
        lines.append(
            _(
                "Responde con los botones: asistiré, no puedo, o propongo a otra persona de mi "
                "organización. Si no puedes, ofreceremos el cupo a otra organización."
            )
        )
        if self.answer_path:
            lines.append(_("Responder en la web: %(url)s") % {"url": absolute(self.answer_path)})
        return Draft(subject, lines, absolute(self.path or "/"))

    def buttons(self) -> tuple[tuple[str, str], ...]:
        if not self.token:
            return ()
        return (
            (_("Asistiré"), f"cv:{self.token}:yes"),
            (_("No puedo"), f"cv:{self.token}:no"),
            (_("Propongo a otra persona"), f"cv:{self.token}:other"),
        )


@dataclass(frozen=True, kw_only=True)
class ContactConsent(Notice):
    """A person proposed by an invitee («propongo a otra persona de mi organización») asked to
    consent to being the organisation's contact; only then are they invited. ``token`` names
    the request in the buttons and ``path`` is its page on the site."""

    kind: ClassVar[str] = Notification.Kind.CONTACT_CONSENT
    token: str = ""
    proposer: str = ""
    space: str = ""
    organisation: str = ""
    date: str = ""
    path: str = ""

    def to_payload(self) -> Payload:
        return {
            "token": self.token,
            "proposer": self.proposer,
            "space": self.space,
            "organisation": self.organisation,
            "date": self.date,
            "path": self.path,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            token=_text(payload.get("token")),
            proposer=_text(payload.get("proposer")),
            space=_text(payload.get("space")),
            organisation=_text(payload.get("organisation")),
            date=_text(payload.get("date")),
            path=_text(payload.get("path")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {
            "proposer": one_line(self.proposer, 150),
            "space": one_line(self.space, 200),
            "organisation": one_line(self.organisation, 200),
            "date": self.date,
        }
        return Draft(
            _("%(organisation)s te propone para «%(space)s»") % facts,
            [
                _(
                    "%(proposer)s, de %(organisation)s, te propuso para asistir en su lugar a "
                    "«%(space)s», el %(date)s."
                )
                % facts,
                _(
                    "Para invitarte necesitamos tu consentimiento (Ley 21.719): guardaremos tu "
                    "nombre y este medio de contacto como contacto de %(organisation)s, solo "
                    "para sus convocatorias. Si no aceptas, borramos tus datos."
                )
                % facts,
                _("Responde «Acepto» o «No acepto» con los botones o en la página."),
            ],
            absolute(self.path or "/"),
        )

    def buttons(self) -> tuple[tuple[str, str], ...]:
        if not self.token:
            return ()
        return ((_("Acepto"), f"cc:{self.token}:yes"), (_("No acepto"), f"cc:{self.token}:no"))
