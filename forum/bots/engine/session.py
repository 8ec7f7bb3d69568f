"""The live session of a dialogue from the bot: ``/sesion CÓDIGO`` to check in, ``/votar`` for
the ballot (one button per idea: ``vot:<id>`` to give a dot, ``unv:<id>`` to take it back) and
``/palabra`` for the closing word. Every write goes through ``forum.dialogues.session_services``,
which holds the rules (phase, check-in first, the dot budget)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.dialogues import services as d_services
from forum.dialogues.models import CheckIn, SurveyAnswer
from forum.dialogues.selectors import live as session_selectors
from forum.dialogues.services import live as session_services
from forum.participation.models import Dialogue as DialogueModel
from forum.participation.models import Idea

from ..messages import Button, Incoming, Reply
from ..models import Conversation

if TYPE_CHECKING:
    from forum.participation.models import Dialogue, Person

BALLOT_BUTTONS = 10  # WhatsApp lists hold ten rows; Telegram shows them as a column


class SessionMixin:
    conv: Conversation
    incoming: Incoming

    if TYPE_CHECKING:

        @property
        def person(self) -> Person | None: ...

    def _channel(self) -> str:
        return self.conv.channel

    def cmd_session(self, arg: str) -> list[Reply]:
        assert self.person is not None
        dialogue = session_services.dialogue_by_session_code(arg)
        if dialogue is None:
            return [
                Reply(
                    _(
                        "No encontré esa sesión. Escribe /sesion y el código que aparece en la "
                        "pantalla de la sala, por ejemplo: /sesion ABC123."
                    )
                )
            ]
        try:
            _checkin, created = session_services.checkin_record(
                dialogue=dialogue,
                person=self.person,
                method=CheckIn.Method.CODE,
                channel=self._channel(),
            )
        except session_services.SessionError as exc:
            return [Reply(" ".join(exc.messages))]
        state = session_selectors.attendee_state(dialogue, self.person)
        first = (
            _("¡Bienvenida/o a «%(title)s»! Registramos tu asistencia.")
            if created
            else _("Ya tenías tu asistencia registrada en «%(title)s».")
        ) % {"title": dialogue.title}
        return [Reply(first), self._ballot(dialogue, state)]

    def cmd_vote(self, _arg: str) -> list[Reply]:
        assert self.person is not None
        dialogue = session_selectors.current_session(self.person)
        if dialogue is None:
            return [self._no_session()]
        return [self._ballot(dialogue, session_selectors.attendee_state(dialogue, self.person))]

    def cmd_word(self, arg: str) -> list[Reply]:
        assert self.person is not None
        dialogue = session_selectors.current_session(self.person)
        if dialogue is None:
            return [self._no_session()]
        if not arg.strip():
            return [Reply(_("¿Qué palabra te llevas? Escríbela así: /palabra confianza"))]
        try:
            session_services.closing_word_send(dialogue=dialogue, person=self.person, word=arg)
        except session_services.SessionError as exc:
            return [Reply(" ".join(exc.messages))]
        return [Reply(_("¡Gracias! Tu palabra ya está en la pantalla."))]

    def session_button(self, verb: str, arg: str) -> list[Reply] | None:
        """``vot:<id>``, ``unv:<id>`` and the survey's ``srv:<dialogue id>:<rating>``; None when
        the button is not the session's (or is forged: ids must be plain ASCII digits)."""
        if verb == "srv":
            return self._survey_button(arg)
        if verb not in ("vot", "unv") or not (arg.isascii() and arg.isdecimal()):
            return None
        assert self.person is not None
        dialogue = session_selectors.current_session(self.person)
        if dialogue is None:
            return [self._no_session()]
        idea = Idea.objects.filter(pk=int(arg)).first()
        if idea is None:
            return None
        try:
            if verb == "vot":
                left = session_services.vote_cast(
                    dialogue=dialogue, idea=idea, person=self.person, channel=self._channel()
                )
                done = _("Voto registrado para «%(title)s».") % {"title": idea.title}
            else:
                left = session_services.vote_withdraw(
                    dialogue=dialogue, idea=idea, person=self.person
                )
                done = _("Retiraste tu voto de «%(title)s».") % {"title": idea.title}
        except session_services.SessionError as exc:
            return [Reply(" ".join(exc.messages))]
        state = session_selectors.attendee_state(dialogue, self.person)
        del left  # the ballot below says it again, with the buttons
        return [Reply(done), self._ballot(dialogue, state)]

    def _survey_button(self, arg: str) -> list[Reply] | None:
        """«¿Cómo evalúas el método?» answered with one tap on the survey's push."""
        dialogue_id, _sep, rating = arg.partition(":")
        if not (dialogue_id.isascii() and dialogue_id.isdecimal() and len(dialogue_id) <= 18):
            return None
        if rating not in SurveyAnswer.Rating.values:
            return None
        dialogue = DialogueModel.objects.filter(pk=int(dialogue_id)).first()
        if dialogue is None:
            return None
        assert self.person is not None
        try:
            d_services.survey_answer_submit(
                dialogue=dialogue, person=self.person, rating=rating, channel=self._channel()
            )
        except d_services.DialogueError as exc:
            return [Reply(" ".join(exc.messages))]
        return [
            Reply(
                _(
                    "¡Gracias por tu respuesta! Si quieres, escribe un comentario en la "
                    "encuesta de la web; puedes cambiar tu respuesta tocando otro botón."
                )
            )
        ]

    def _ballot(self, dialogue: Dialogue, state: session_selectors.AttendeeState) -> Reply:
        ideas = list(session_selectors.ballot(dialogue)[:BALLOT_BUTTONS])
        text = ngettext(
            "Te queda %(n)d voto. Toca una idea para votar por ella (o para quitar tu voto).",
            "Te quedan %(n)d votos. Toca una idea para votar por ella (o para quitar tu voto).",
            state.dots_left,
        ) % {"n": state.dots_left}
        if not ideas:
            return Reply(_("Todavía no hay ideas en votación. Escribe /votar en un rato."))
        buttons = tuple(
            Button(f"✓ {idea.title}"[:60], f"unv:{idea.pk}")
            if idea.pk in state.voted
            else Button(idea.title[:60], f"vot:{idea.pk}")
            for idea in ideas
        )
        return Reply(text, buttons)

    def _no_session(self) -> Reply:
        return Reply(
            _(
                "No estás en una sesión en curso. Escribe /sesion y el código que aparece en "
                "la pantalla de la sala."
            )
        )
