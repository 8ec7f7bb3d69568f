"""The conversation engine shared by Telegram, WhatsApp and the web chat.

``handle(incoming) -> list[Reply]`` takes one normalised message or button press, moves the
conversation's persisted state (see :mod:`forum.bots.states` for the diagram) and returns what
to answer. It writes only through services (``forum.participation.services`` for ideas,
supports and preferences; ``forum.bots.services`` for conversations), inside one transaction
that also locks the conversation row, so updates of one chat never interleave and several web
processes can share the work.

Button payloads (``Button.data``) are short strings ``<verb>:<arg>``; anything unknown, stale
or forged gets a polite "no entendí" and the current question again.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from forum.participation import privacy
from forum.participation import services as p_services
from forum.participation.models import Idea, Person, Region

from .. import selectors, services, states
from ..messages import Button, Incoming, Kind, Reply
from ..models import Conversation
from .commands import CommandsMixin
from .common import (  # noqa: F401 - the engine's public helpers
    COMMANDS,
    GROUP_COMMANDS,
    LANGUAGE_BUTTONS,
    _fold,
    babel_locale,
    fmt_date,
    fmt_number,
    idea_url,
    looks_like_idea,
    parse_command,
    privacy_url,
    submission_limit,
)
from .ideas import IdeasMixin
from .intents import Intent
from .invitations import InvitationsMixin, is_rsvp
from .session import SessionMixin

log = logging.getLogger(__name__)


def button_id(arg: str) -> int | None:
    """The row id a button carries (``top:12``), read strictly: ASCII digits only ("²" and
    "٣" are digits to ``isdecimal``), at most 18 of them (a bigint), else None."""
    if arg.isascii() and arg.isdecimal() and len(arg) <= 18:
        return int(arg)
    return None


def handle(incoming: Incoming) -> list[Reply]:
    """Run one incoming message through the engine; returns the replies (already translated)."""
    with transaction.atomic():
        conv = services.conversation_lock(incoming=incoming)
        return handle_locked(conv, incoming)


def handle_locked(conv: Conversation, incoming: Incoming) -> list[Reply]:
    """Same as :func:`handle` for a conversation the caller already locked in its transaction."""
    engine = _Engine(conv, incoming)
    with translation.override(reply_language(conv, incoming)):
        replies = engine.run()
    services.conversation_save(conv)
    return replies


def reply_language(conv: Conversation, incoming: Incoming) -> str:
    """The language of the replies: the person's (or, before consent, the conversation's);
    except that a signed-in web account chats in the language of the site page it is reading
    (the web chat sends the page's language), as every other page of the site speaks it."""
    person = conv.person
    if person is None:
        return conv.language
    if incoming.channel == "webchat" and person.user_id is not None and incoming.language_hint:
        return services.hint_language(incoming.language_hint) or person.language
    return person.language


class _Engine(CommandsMixin, IdeasMixin, InvitationsMixin, SessionMixin):
    def __init__(self, conv: Conversation, incoming: Incoming) -> None:
        self.conv = conv
        self.incoming = incoming

    @property
    def person(self) -> Person | None:
        return self.conv.person

    # ------------------------------------------------------------ dispatch

    def run(self) -> list[Reply]:
        inc = self.incoming
        command = parse_command(inc.text) if inc.kind == Kind.TEXT else None
        if inc.is_group:
            return self.in_group(command)
        if inc.kind == Kind.EDITED:
            return [
                Reply(
                    _(
                        "Vi que editaste un mensaje. Las ideas no cambian después de "
                        "enviadas: si quieres corregir algo, envíalo como un mensaje nuevo."
                    )
                )
            ]
        if inc.kind == Kind.BUTTON and is_rsvp(inc.data):
            # An invitation's answer: its contact consented when registered (convocation app).
            return self.rsvp()
        if inc.kind == Kind.TEXT and self.conv.state in states.DELEGATING:
            delegating = self.delegate_step(command)
            if delegating is not None:
                return delegating
        if self.person is None:
            return self.before_consent(command)
        if command is not None:
            name, arg = command
            return self.command(name, arg)
        if inc.kind == Kind.UNSUPPORTED:
            return [
                Reply(
                    _(
                        "Por ahora solo entiendo texto. Escribe tu idea en un mensaje (si "
                        "envías una foto, pon la idea en su descripción)."
                    )
                )
            ]
        if inc.kind == Kind.BUTTON:
            return self.button(inc.data)
        return self.text(inc.text)

    # ------------------------------------------------------------ consent

    def welcome(self) -> list[Reply]:
        self.conv.state = states.AWAITING_CONSENT
        return [
            Reply(
                _(
                    "¡Hola! Soy el asistente de Foro Abierto, el espacio de los Consejos "
                    "Regionales de Empleabilidad de SENCE. Aquí puedes enviar ideas, apoyar las "
                    "de otras personas y saber qué pasa con ellas."
                )
            ),
            Reply(
                _(
                    "Para continuar necesitamos tu consentimiento para tratar tus datos personales "
                    "(Ley 21.719): guardaremos tu identificador en este canal, tu idioma, tu "
                    "región y las ideas y apoyos que envíes, solo para tramitarlas y avisarte de "
                    "sus cambios. Puedes ver o borrar tus datos cuando quieras con /mis_datos y "
                    "/borrar. Aviso de privacidad: %(url)s"
                )
                % {"url": privacy_url()},
                (Button(_("Acepto"), "ok:yes"), Button(_("No acepto"), "ok:no")),
            ),
        ]

    def before_consent(self, command: tuple[str, str] | None) -> list[Reply]:
        inc = self.incoming
        if command is not None and command[0] == "status":
            return self.cmd_status(command[1])
        if inc.kind == Kind.BUTTON and self.conv.state == states.AWAITING_CONSENT:
            if inc.data == "ok:yes":
                return self.accept()
            if inc.data == "ok:no":
                self.conv.state = states.NEW
                return [
                    Reply(_("Entendido: no guardamos nada. Si cambias de opinión, escribe /start."))
                ]
        if (
            inc.kind == Kind.TEXT
            and self.conv.state == states.AWAITING_CONSENT
            and _fold(inc.text) in {"acepto", "si", "si acepto", "yes", "accept", "i accept"}
        ):
            return self.accept()
        replies = self.welcome()
        if inc.kind == Kind.TEXT and command is None and looks_like_idea(inc.text):
            # Looks like an idea: say clearly that it was not kept (buttons stay last). Nothing
            # the person writes is stored before they accept, so it cannot be kept as a draft.
            replies.insert(
                1,
                Reply(
                    _(
                        "Tu mensaje no se guardó todavía. Cuando aceptes, "
                        "envíalo de nuevo y lo registramos como idea."
                    )
                ),
            )
        return replies

    def accept(self) -> list[Reply]:
        services.conversation_consent(
            conversation=self.conv, display_name=self.incoming.extra.get("name", "")
        )
        self.conv.state = states.AWAITING_LANGUAGE
        return [Reply(_("¡Gracias! ¿En qué idioma prefieres conversar?"), LANGUAGE_BUTTONS)]

    # ------------------------------------------------------------ prompts

    def ask_region(self) -> Reply:
        self.conv.state = states.AWAITING_REGION
        return Reply(
            _("¿En qué región vives o trabajas? Así tu idea llega a su consejo regional."),
            tuple(Button(r.name, f"reg:{r.slug}") for r in selectors.regions()),
        )

    def reprompt(self) -> list[Reply]:
        state = self.conv.state
        if state == states.AWAITING_LANGUAGE:
            return [Reply(_("¿En qué idioma prefieres conversar?"), LANGUAGE_BUTTONS)]
        if state == states.AWAITING_REGION:
            return [self.ask_region()]
        if state == states.AWAITING_TOPIC:
            return [self.ask_topic()]
        if state == states.AWAITING_SIMILAR:
            return self.offer_similar(self._candidates())
        if state == states.CONFIRM_ERASE:
            return [self.ask_erase()]
        if state == states.RATE_LIMITED:
            return [self.kept_draft_reply(self.submission_wait())]
        if state == states.CONFIRM_IDEA:
            return [self.ask_is_idea(self.conv.data.get("draft", ""), question=False)]
        return [Reply(_("Escribe tu idea en un mensaje, o /ayuda para ver lo que puedo hacer."))]

    def help(self) -> Reply:
        return Reply(
            _(
                "Esto es lo que puedo hacer:\n"
                "• Escribe tu idea en un mensaje y te guío para enviarla.\n"
                "• /estado CÓDIGO: en qué va una idea.\n"
                "• /mis_ideas: tus ideas y las que apoyas.\n"
                "• /apoyar CÓDIGO: apoyar una idea.\n"
                "• /dialogo NOMBRE: enviar ideas a un diálogo presencial.\n"
                "• /sesion CÓDIGO, /votar y /palabra: en la sesión de un diálogo, registrar tu "
                "asistencia, votar y enviar tu palabra de cierre.\n"
                "• /idioma y /region: cambiar tu idioma o tu región.\n"
                "• /mis_datos: ver lo que guardamos sobre ti.\n"
                "• /borrar: borrar tus datos personales.\n"
                "• /cancelar: descartar el borrador actual.\n"
                "También puedes escribirme sin barra: «¿cómo va ABCD-1234?», «quiero apoyar "
                "ABCD-1234», «mis ideas», «cancelar»."
            )
        )

    # ------------------------------------------------------------ buttons

    def button(self, data: str) -> list[Reply]:
        """A button press. Its data comes from outside (a web form field, a platform callback
        anyone can forge): every verb's argument is checked, and anything else is answered
        «No entendí esa opción», never an exception."""
        verb, _sep, arg = (data or "").partition(":")
        state = self.conv.state
        if verb == "start":
            return self.cmd_start("")
        session_replies = self.session_button(verb, arg)
        if session_replies is not None:
            return session_replies
        if verb == "lang" and arg in dict(settings.LANGUAGES):
            return self._button_language(arg)
        if verb == "reg":
            region = Region.objects.filter(slug=arg).first() if arg else None
            if region is not None:
                return self._button_region(region)
        if verb == "top" and state == states.AWAITING_TOPIC:
            if arg == "0":
                return self.after_topic(None)
            topic_id = button_id(arg)
            topic = selectors.topics().filter(pk=topic_id).first() if topic_id else None
            if topic is not None:
                return self.after_topic(topic.pk)
        idea_id = button_id(arg) if verb == "sup" else None
        if (
            idea_id is not None
            and state == states.AWAITING_SIMILAR
            and idea_id in self.conv.data.get("candidates", [])
        ):
            idea = Idea.objects.filter(pk=idea_id).first()
            if idea is not None:
                self.conv.state, self.conv.data = states.IDLE, {}
                return [self.support(idea)]
        if verb == "new" and state == states.AWAITING_SIMILAR:
            self.conv.data["distinct"] = True
            return self.submit()
        if verb == "idea" and state == states.CONFIRM_IDEA and arg in ("yes", "no"):
            return self.understood("", Intent(arg))
        if verb == "dif" and arg.isdecimal() and self.person is not None:
            # «Mi idea es distinta» after a merge on arrival: only the author's own idea.
            idea = Idea.objects.filter(pk=int(arg), author=self.person).first()
            if idea is not None:
                return [self.declare_distinct(idea)]
        if verb == "send" and state == states.RATE_LIMITED:
            return self.send_kept_draft()
        if verb == "drop" and state == states.RATE_LIMITED:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(_("Listo, lo dejé de lado."))]
        if verb == "del" and state == states.CONFIRM_ERASE and arg in ("yes", "no"):
            return self._button_erase(confirmed=arg == "yes")
        if verb == "ok" and self.person is not None:
            return [
                Reply(_("Ya aceptaste el aviso de privacidad. Escribe tu idea cuando quieras."))
            ]
        return [
            Reply(_("No entendí esa opción (quizás el botón ya no está vigente).")),
            *self.reprompt(),
        ]

    def _button_language(self, language: str) -> list[Reply]:
        assert self.person is not None  # run() answers buttons only after consent
        p_services.person_update_preferences(person=self.person, language=language)
        translation.activate(language)
        done = Reply(_("Listo, conversaremos en español."))
        state = self.conv.state
        if state == states.AWAITING_LANGUAGE and self.person.region_id is None:
            return [done, self.ask_region()]
        if state != states.AWAITING_LANGUAGE:
            return [done]
        self.conv.state = states.IDLE
        return [done, *self.resume_held_idea()]

    def _button_region(self, region: Region) -> list[Reply]:
        assert self.person is not None  # run() answers buttons only after consent
        p_services.person_update_preferences(person=self.person, region=region)
        saved = Reply(_("Región guardada: %(region)s.") % {"region": region.name})
        if self.conv.state not in (states.AWAITING_REGION, states.AWAITING_LANGUAGE):
            return [saved]
        self.conv.state = states.IDLE
        resumed = self.resume_held_idea()
        if resumed:
            return [saved, *resumed]
        return [
            saved,
            Reply(_("¡Todo listo! Escribe tu idea en un mensaje cuando quieras.")),
            self.help(),
        ]

    def _button_erase(self, *, confirmed: bool) -> list[Reply]:
        if not confirmed:
            self.conv.state = states.IDLE
            return [Reply(_("Perfecto, no borramos nada."))]
        assert self.person is not None
        refused = self.erase_person(self.person)
        if refused is not None:
            return [refused]
        self.conv.refresh_from_db()
        return [
            Reply(
                _(
                    "Borramos tus datos personales. Tus ideas siguen publicadas de "
                    "forma anónima. Si vuelves a escribir, empezaremos de cero."
                )
            )
        ]

    def erase_person(self, person: Person) -> Reply | None:
        """/borrar confirmed. A person who also has a web account (the signed-in web chat, or
        a bot identity linked to one) loses the account too, as «Mis datos» on the site does:
        otherwise its username and e-mail would outlive the erasure. Returns the refusal for an
        account whose role the audit trail needs (``privacy.account_erase_refusal``), else None."""
        user = person.user
        if user is None:
            privacy.person_erase(person=person)
            return None
        try:
            p_services.account_erase(user=user)
        except p_services.ParticipationError as exc:
            self.conv.state = states.IDLE
            return Reply(" ".join(exc.messages))
        return None

    # ------------------------------------------------------------ groups

    def in_group(self, command: tuple[str, str] | None) -> list[Reply]:
        if command is None:
            return []
        name, arg = command
        if name == "status":
            return self.cmd_status(arg)
        bot = self.incoming.extra.get("bot_username", "")
        link = f" https://t.me/{bot}" if bot else ""
        return [
            Reply(
                _(
                    "Hola. Para enviar o apoyar ideas escríbeme por mensaje privado:%(link)s "
                    "\nEn este grupo respondo /estado CÓDIGO y /ayuda."
                )
                % {"link": link}
            )
        ]
