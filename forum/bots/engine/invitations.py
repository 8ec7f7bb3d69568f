"""Answer buttons of a convocation's invitation: «asistiré», «no puedo», «propongo a otra
persona». The data is ``cv:<token>:<yes|no|other>`` and is parsed strictly; the convocation
app's service checks the press comes from the chat the invitation was sent to. It works before
the privacy notice is accepted in this chat: the contact consented when registered.

«Propongo a otra persona» goes on in the same chat: the other person's name, then their e-mail
or WhatsApp number (states ``DELEGATE_NAME`` and ``DELEGATE_REACH``; the state it interrupted
comes back after). The person proposed answers the consent request with ``cc:<token>:<yes|no>``
(``convocation.delegations``)."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from forum.convocation import delegations
from forum.convocation import services as convocation
from forum.participation.models import Person

from .. import states
from ..messages import Incoming, Reply
from ..models import Conversation

RSVP_DATA = re.compile(r"cv:(?P<token>[A-Za-z0-9_-]{12}):(?P<answer>yes|no|other)")
CONSENT_DATA = re.compile(r"cc:(?P<token>[A-Za-z0-9_-]{12}):(?P<answer>yes|no)")


def is_rsvp(data: str) -> bool:
    return (data or "").startswith(("cv:", "cc:"))


def _not_understood() -> list[Reply]:
    return [Reply(_("No entendí esa opción (quizás el botón ya no está vigente)."))]


class InvitationsMixin:
    incoming: Incoming
    conv: Conversation

    def rsvp(self) -> list[Reply]:
        data = self.incoming.data or ""
        if data.startswith("cc:"):
            return self.contact_consent(CONSENT_DATA.fullmatch(data))
        match = RSVP_DATA.fullmatch(data)
        if match is None:
            return _not_understood()
        try:
            invitation, _replacement = convocation.invitation_answer(
                token=match["token"],
                answer=match["answer"],
                channel=self.incoming.channel,
                external_id=self.incoming.external_id,
            )
        except convocation.ConvocationError as exc:
            return [Reply(" ".join(exc.messages))]
        person: Person = invitation.person
        with translation.override(person.language or "es"):
            facts = {"organisation": invitation.seat.organisation.name}
            if match["answer"] == "yes":
                text = _("¡Gracias! Anotamos que %(organisation)s asistirá.") % facts
            elif match["answer"] == "no":
                text = (
                    _(
                        "Gracias por avisar. Ofreceremos el cupo de %(organisation)s a otra "
                        "organización."
                    )
                    % facts
                )
            else:
                self._start_delegating(match["token"])
                text = (
                    _(
                        "Gracias. El cupo sigue reservado para %(organisation)s. ¿Cómo se llama "
                        "la otra persona? Escribe su nombre y apellido (o /cancelar)."
                    )
                    % facts
                )
            return [Reply(text)]

    def _start_delegating(self, token: str) -> None:
        conv = self.conv
        kept = conv.data.get("delegate", {}) if conv.state in states.DELEGATING else None
        resume = kept or {"state": conv.state, "data": conv.data}
        conv.state = states.DELEGATE_NAME
        conv.data = {"delegate": {**resume, "token": token}}

    def _stop_delegating(self) -> None:
        kept = self.conv.data.get("delegate") or {}
        self.conv.state = kept.get("state") or states.NEW
        self.conv.data = kept.get("data") or {}

    def delegate_step(self, command: tuple[str, str] | None) -> list[Reply] | None:
        """A text while asking for the other person. None when a command other than /cancelar
        interrupts it: the question is dropped and the command runs as usual."""
        if command is not None:
            self._stop_delegating()
            if command[0] != "cancel":
                return None
            return [
                Reply(
                    _(
                        "Listo, no propusimos a nadie. Puedes responder otra vez con los botones "
                        "de la invitación."
                    )
                )
            ]
        text = self.incoming.text
        kept = self.conv.data["delegate"]
        try:
            if self.conv.state == states.DELEGATE_NAME:
                kept["name"] = delegations.clean_name(text)
                self.conv.state = states.DELEGATE_REACH
                return [
                    Reply(
                        _(
                            "¿Cómo le escribimos a %(name)s? Escribe su correo electrónico o su "
                            "número de WhatsApp con código de país (por ejemplo +56 9 1234 "
                            "5678). Le pediremos su consentimiento por ese medio."
                        )
                        % {"name": kept["name"]}
                    )
                ]
            delegations.invitation_delegate(
                token=kept.get("token", ""),
                name=kept.get("name", ""),
                reach=delegations.parse_reach(text),
                channel=self.incoming.channel,
                external_id=self.incoming.external_id,
            )
        except convocation.ConvocationError as exc:
            return [Reply(" ".join([*exc.messages, _("(o /cancelar)")]))]
        name = kept.get("name", "")
        self._stop_delegating()
        return [
            Reply(
                _(
                    "Gracias. Le pedimos su consentimiento a %(name)s; cuando acepte, le "
                    "enviaremos la invitación. El cupo sigue reservado para tu organización."
                )
                % {"name": name}
            )
        ]

    def contact_consent(self, match: re.Match[str] | None) -> list[Reply]:
        """The proposed person's «Acepto» / «No acepto» to being their organisation's contact."""
        if match is None:
            return _not_understood()
        try:
            delegation, invitation = delegations.delegation_answer(
                token=match["token"],
                accept=match["answer"] == "yes",
                channel=self.incoming.channel,
                external_id=self.incoming.external_id,
            )
        except convocation.ConvocationError as exc:
            return [Reply(" ".join(exc.messages))]
        if invitation is not None:
            return [Reply(_("¡Gracias! Ahora te enviamos la invitación."))]
        if delegation.state == delegation.State.CONSENTED:
            return [Reply(_("Gracias. Ese cupo ya no está disponible."))]
        return [Reply(_("Entendido: borramos tus datos."))]
