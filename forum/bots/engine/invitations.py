"""Answer buttons of a convocation's invitation: «asistiré», «no puedo», «propongo a otra
persona». The data is ``cv:<token>:<yes|no|other>`` and is parsed strictly; the convocation
app's service checks the press comes from the chat the invitation was sent to. It works before
the privacy notice is accepted in this chat: the contact consented when registered."""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from forum.convocation import services as convocation
from forum.participation.models import Person

from ..messages import Incoming, Reply

RSVP_DATA = re.compile(r"cv:(?P<token>[A-Za-z0-9_-]{12}):(?P<answer>yes|no|other)")


def is_rsvp(data: str) -> bool:
    return (data or "").startswith("cv:")


class InvitationsMixin:
    incoming: Incoming

    def rsvp(self) -> list[Reply]:
        match = RSVP_DATA.fullmatch(self.incoming.data or "")
        if match is None:
            return [Reply(_("No entendí esa opción (quizás el botón ya no está vigente)."))]
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
                text = (
                    _(
                        "Gracias. El equipo te escribirá para registrar a la otra persona de "
                        "%(organisation)s."
                    )
                    % facts
                )
            return [Reply(text)]
