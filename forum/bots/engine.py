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

import datetime as dt
import json
import logging
import unicodedata
from collections.abc import Callable

from babel.dates import format_date
from babel.numbers import format_decimal
from django.conf import settings
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forum.participation import selectors as p_selectors
from forum.participation import services as p_services
from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Idea, Person, Region

from . import selectors, services, states
from .messages import Button, Incoming, Kind, Reply
from .models import Conversation

log = logging.getLogger(__name__)

BABEL_LOCALES = {"es": "es_CL", "en": "en"}
LANGUAGE_BUTTONS = (Button("Español", "lang:es"), Button("English", "lang:en"))

COMMANDS: dict[str, str] = {
    "start": "start",
    "inicio": "start",
    "hola": "start",
    "estado": "status",
    "status": "status",
    "mis_ideas": "my_ideas",
    "misideas": "my_ideas",
    "my_ideas": "my_ideas",
    "apoyar": "support",
    "support": "support",
    "idioma": "language",
    "language": "language",
    "region": "region",
    "ayuda": "help",
    "help": "help",
    "mis_datos": "my_data",
    "misdatos": "my_data",
    "my_data": "my_data",
    "borrar": "erase",
    "delete": "erase",
    "cancelar": "cancel",
    "cancel": "cancel",
}
# Commands a group chat may use (no personal data in a group).
GROUP_COMMANDS = {"start", "help", "status"}


def submission_limit() -> tuple[int, int]:
    return (
        int(getattr(settings, "BOTS_SUBMISSIONS_PER_WINDOW", 5)),
        int(getattr(settings, "BOTS_SUBMISSION_WINDOW_SECONDS", 600)),
    )


def babel_locale() -> str:
    return BABEL_LOCALES.get((translation.get_language() or "es")[:2], "es_CL")


def fmt_number(n: int) -> str:
    return format_decimal(n, locale=babel_locale())


def fmt_date(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return format_date(value, format="long", locale=babel_locale())


def parse_command(text: str) -> tuple[str, str] | None:
    """``/estado ABCD-EFGH`` → ("status", "ABCD-EFGH"); None when it is not a command."""
    text = text.strip()
    if not text.startswith("/"):
        return None
    head, _sep, arg = text[1:].partition(" ")
    head = head.split("@", 1)[0]
    head = unicodedata.normalize("NFKD", head.lower())
    head = "".join(ch for ch in head if not unicodedata.combining(ch))
    return COMMANDS.get(head, "unknown:" + head[:32]), arg.strip()


def privacy_url() -> str:
    try:
        path = reverse("participation:privacy")
    except NoReverseMatch:
        path = "/privacidad/"
    return settings.SITE_URL.rstrip("/") + path


def idea_url(idea: Idea) -> str | None:
    for args in ((idea.tracking_code,), (idea.pk,)):
        try:
            return settings.SITE_URL.rstrip("/") + reverse("participation:idea_detail", args=args)
        except NoReverseMatch:
            continue
    return None


def handle(incoming: Incoming) -> list[Reply]:
    """Run one incoming message through the engine; returns the replies (already translated)."""
    with transaction.atomic():
        conv = services.conversation_lock(
            channel=incoming.channel,
            external_id=incoming.external_id,
            language_hint=incoming.language_hint,
            person_id=incoming.person_id,
        )
        return handle_locked(conv, incoming)


def handle_locked(conv: Conversation, incoming: Incoming) -> list[Reply]:
    """Same as :func:`handle` for a conversation the caller already locked in its transaction."""
    engine = _Engine(conv, incoming)
    lang = conv.person.language if conv.person else conv.language
    with translation.override(lang):
        replies = engine.run()
    services.conversation_save(conv)
    return replies


class _Engine:
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
        if inc.kind == Kind.TEXT and command is None and len(inc.text.split()) >= 4:
            # Looks like an idea: say clearly that it was not kept (buttons stay last).
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
        return [Reply(_("Escribe tu idea en un mensaje, o /ayuda para ver lo que puedo hacer."))]

    def help(self) -> Reply:
        return Reply(
            _(
                "Esto es lo que puedo hacer:\n"
                "• Escribe tu idea en un mensaje y te guío para enviarla.\n"
                "• /estado CÓDIGO: en qué va una idea.\n"
                "• /mis_ideas: tus ideas y las que apoyas.\n"
                "• /apoyar CÓDIGO: apoyar una idea.\n"
                "• /idioma y /region: cambiar tu idioma o tu región.\n"
                "• /mis_datos: ver lo que guardamos sobre ti.\n"
                "• /borrar: borrar tus datos personales.\n"
                "• /cancelar: descartar el borrador actual."
            )
        )

    # ------------------------------------------------------------ commands

    def command(self, name: str, arg: str) -> list[Reply]:
        handlers: dict[str, Callable[[str], list[Reply]]] = {
            "start": self.cmd_start,
            "status": self.cmd_status,
            "my_ideas": self.cmd_my_ideas,
            "support": self.cmd_support,
            "language": self.cmd_language,
            "region": self.cmd_region,
            "help": self.cmd_help,
            "my_data": self.cmd_my_data,
            "erase": self.cmd_erase,
            "cancel": self.cmd_cancel,
        }
        handler = handlers.get(name)
        if handler is None:
            return [Reply(_("No conozco ese comando.")), self.help()]
        replies: list[Reply] = []
        if self.conv.state in (states.AWAITING_TOPIC, states.AWAITING_SIMILAR) and name not in {
            "status",
            "help",
            "my_ideas",
            "my_data",
            "cancel",
        }:
            replies.append(
                Reply(
                    _(
                        "Dejé de lado el borrador de tu idea; puedes enviarla de "
                        "nuevo cuando quieras."
                    )
                )
            )
            self.conv.state, self.conv.data = states.IDLE, {}
        return replies + handler(arg)

    def cmd_start(self, _arg: str) -> list[Reply]:
        if self.conv.state in (states.AWAITING_LANGUAGE, states.AWAITING_REGION):
            return self.reprompt()
        return [Reply(_("¡Hola de nuevo!")), self.help()]

    def cmd_help(self, _arg: str) -> list[Reply]:
        return [self.help()]

    def cmd_cancel(self, _arg: str) -> list[Reply]:
        if self.conv.state in (
            states.AWAITING_TOPIC,
            states.AWAITING_SIMILAR,
            states.CONFIRM_ERASE,
        ):
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(_("Listo, lo dejé de lado."))]
        return [Reply(_("No había nada que cancelar."))]

    def cmd_status(self, arg: str) -> list[Reply]:
        if not arg:
            return [
                Reply(
                    _(
                        "Escribe el código de seguimiento después del comando, por ejemplo: "
                        "/estado ABCD-EFGH. Tus ideas están en /mis_ideas."
                    )
                )
            ]
        idea = p_selectors.idea_by_code(arg)
        if idea is None:
            return [
                Reply(
                    _(
                        "No encontré ninguna idea con el código «%(code)s». Revisa que tenga "
                        "8 caracteres, por ejemplo ABCD-EFGH."
                    )
                    % {"code": arg[:20]}
                )
            ]
        return [Reply(self.describe(idea))]

    def describe(self, idea: Idea) -> str:
        lines = [
            _("Idea %(code)s: «%(title)s»")
            % {"code": format_code(idea.tracking_code), "title": idea.title},
            _("Estado: %(status)s (desde el %(date)s)")
            % {"status": idea.get_status_display(), "date": fmt_date(idea.updated_at)},
            _("Apoyos: %(n)s") % {"n": fmt_number(idea.support_count)},
        ]
        last = selectors.last_public_message(idea)
        if last is not None:
            lines.append(
                _("Último mensaje (%(date)s): %(message)s")
                % {"date": fmt_date(last.created_at), "message": last.public_message}
            )
        if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
            target = p_selectors.idea_by_code(idea.merged_into.tracking_code)  # type: ignore[union-attr]
            if target is not None:
                lines.append(
                    _("Se fusionó con la idea %(code)s, que está: %(status)s.")
                    % {
                        "code": format_code(target.tracking_code),
                        "status": target.get_status_display(),
                    }
                )
        url = idea_url(idea)
        if url:
            lines.append(url)
        return "\n".join(lines)

    def cmd_my_ideas(self, _arg: str) -> list[Reply]:
        assert self.person is not None
        own = list(p_selectors.ideas_of_person(self.person)[:20])
        supported = list(p_selectors.supported_by(self.person)[:20])
        if not own and not supported:
            return [
                Reply(
                    _(
                        "Todavía no has enviado ni apoyado ideas. Escribe tu idea en un "
                        "mensaje para empezar."
                    )
                )
            ]
        lines = []
        if own:
            lines.append(_("Tus ideas:"))
            lines += [
                f"• {format_code(i.tracking_code)} · {i.get_status_display()} · {i.title}"
                for i in own
            ]
        if supported:
            lines.append(_("Ideas que apoyas:"))
            lines += [
                f"• {format_code(i.tracking_code)} · {i.get_status_display()} · {i.title}"
                for i in supported
            ]
        return [Reply("\n".join(lines))]

    def cmd_support(self, arg: str) -> list[Reply]:
        if not arg:
            return [
                Reply(
                    _(
                        "Escribe el código de la idea que quieres apoyar, por ejemplo: "
                        "/apoyar ABCD-EFGH."
                    )
                )
            ]
        idea = p_selectors.idea_by_code(arg)
        if idea is None:
            return [
                Reply(
                    _(
                        "No encontré ninguna idea con el código «%(code)s». Revisa que tenga "
                        "8 caracteres, por ejemplo ABCD-EFGH."
                    )
                    % {"code": arg[:20]}
                )
            ]
        return [self.support(idea)]

    def cmd_language(self, _arg: str) -> list[Reply]:
        self.conv.state = states.AWAITING_LANGUAGE
        return [Reply(_("¿En qué idioma prefieres conversar?"), LANGUAGE_BUTTONS)]

    def cmd_region(self, _arg: str) -> list[Reply]:
        return [self.ask_region()]

    def cmd_my_data(self, _arg: str) -> list[Reply]:
        assert self.person is not None
        data = json.dumps(selectors.person_export(self.person), ensure_ascii=False, indent=1)
        return [Reply(_("Estos son todos los datos que guardamos sobre ti:")), Reply(data)]

    def ask_erase(self) -> Reply:
        return Reply(
            _(
                "¿Seguro que quieres borrar tus datos personales? Tus ideas seguirán publicadas, "
                "pero de forma anónima, y dejarás de recibir avisos."
            ),
            (Button(_("Sí, borrar"), "del:yes"), Button(_("No"), "del:no")),
        )

    def cmd_erase(self, _arg: str) -> list[Reply]:
        self.conv.state = states.CONFIRM_ERASE
        return [self.ask_erase()]

    # ------------------------------------------------------------ buttons

    def button(self, data: str) -> list[Reply]:
        verb, _sep, arg = (data or "").partition(":")
        state = self.conv.state
        if verb == "start":
            return self.cmd_start("")
        if verb == "lang" and arg in dict(settings.LANGUAGES):
            p_services.person_update_preferences(person=self.person, language=arg)
            translation.activate(arg)
            if state == states.AWAITING_LANGUAGE and self.person.region_id is None:  # type: ignore[union-attr]
                return [Reply(_("Listo, conversaremos en español.")), self.ask_region()]
            self.conv.state = states.IDLE if state == states.AWAITING_LANGUAGE else state
            return [Reply(_("Listo, conversaremos en español."))]
        if verb == "reg":
            region = Region.objects.filter(slug=arg).first() if arg else None
            if region is not None:
                p_services.person_update_preferences(person=self.person, region=region)
                if state in (states.AWAITING_REGION, states.AWAITING_LANGUAGE):
                    self.conv.state = states.IDLE
                    return [
                        Reply(_("Región guardada: %(region)s.") % {"region": region.name}),
                        Reply(_("¡Todo listo! Escribe tu idea en un mensaje cuando quieras.")),
                        self.help(),
                    ]
                return [Reply(_("Región guardada: %(region)s.") % {"region": region.name})]
        if verb == "top" and state == states.AWAITING_TOPIC:
            if arg == "0":
                return self.after_topic(None)
            topic = selectors.topics().filter(pk=int(arg)).first() if arg.isdigit() else None
            if topic is not None:
                return self.after_topic(topic.pk)
        if (
            verb == "sup"
            and state == states.AWAITING_SIMILAR
            and arg.isdigit()
            and int(arg) in self.conv.data.get("candidates", [])
        ):
            idea = Idea.objects.filter(pk=int(arg)).first()
            if idea is not None:
                self.conv.state, self.conv.data = states.IDLE, {}
                return [self.support(idea)]
        if verb == "new" and state == states.AWAITING_SIMILAR:
            return self.submit()
        if verb == "del" and state == states.CONFIRM_ERASE:
            if arg == "yes":
                assert self.person is not None
                services.person_erase(person=self.person)
                self.conv.refresh_from_db()
                return [
                    Reply(
                        _(
                            "Borramos tus datos personales. Tus ideas siguen publicadas de "
                            "forma anónima. Si vuelves a escribir, empezaremos de cero."
                        )
                    )
                ]
            if arg == "no":
                self.conv.state = states.IDLE
                return [Reply(_("Perfecto, no borramos nada."))]
        if verb == "ok" and self.person is not None:
            return [
                Reply(_("Ya aceptaste el aviso de privacidad. Escribe tu idea cuando quieras."))
            ]
        return [
            Reply(_("No entendí esa opción (quizás el botón ya no está vigente).")),
            *self.reprompt(),
        ]

    # ------------------------------------------------------------ ideas

    def text(self, text: str) -> list[Reply]:
        state = self.conv.state
        if state == states.AWAITING_LANGUAGE:
            folded = _fold(text)
            for code, words in (
                ("es", {"es", "espanol", "castellano"}),
                ("en", {"en", "english", "ingles"}),
            ):
                if folded in words:
                    return self.button(f"lang:{code}")
            return self.reprompt()
        if state in (states.AWAITING_REGION, states.CONFIRM_ERASE):
            return self.reprompt()
        replies: list[Reply] = []
        if state in (states.AWAITING_TOPIC, states.AWAITING_SIMILAR):
            replies.append(Reply(_("Reemplacé el borrador anterior por este nuevo mensaje.")))
        return replies + self.new_draft(text)

    def rate_limited(self) -> Reply | None:
        limit, window = submission_limit()
        since = timezone.now() - dt.timedelta(seconds=window)
        assert self.person is not None
        if selectors.submissions_since(self.person, since) >= limit:
            return Reply(
                _(
                    "Ya enviaste %(n)s ideas en los últimos %(minutes)s minutos. Espera un "
                    "poco antes de enviar otra; tu mensaje no se registró."
                )
                % {"n": fmt_number(limit), "minutes": fmt_number(window // 60)}
            )
        return None

    def new_draft(self, text: str) -> list[Reply]:
        text = text.strip()
        limited = self.rate_limited()
        if limited is not None:
            return [limited]
        if len(text) > settings.IDEA_MAX_LENGTH:
            return [
                Reply(
                    _(
                        "Tu idea tiene %(n)s caracteres; el máximo es %(max)s. Resúmela y "
                        "vuelve a enviarla: no hemos guardado nada todavía."
                    )
                    % {"n": fmt_number(len(text)), "max": fmt_number(settings.IDEA_MAX_LENGTH)}
                )
            ]
        title, _body = p_services.split_title(text)
        if len(title) < 3:
            return [Reply(_("Cuéntame tu idea con un poco más de detalle (una frase basta)."))]
        self.conv.data = {"draft": text}
        if not selectors.topics().exists():
            return self.after_topic(None)
        self.conv.state = states.AWAITING_TOPIC
        return [self.ask_topic()]

    def ask_topic(self) -> Reply:
        buttons = [Button(t.name[:60], f"top:{t.pk}") for t in selectors.topics()[:30]]
        buttons.append(Button(_("Otro tema"), "top:0"))
        return Reply(_("¿De qué tema es tu idea?"), tuple(buttons))

    def _candidates(self) -> list[Idea]:
        ids = self.conv.data.get("candidates", [])
        ideas = Idea.objects.in_bulk(ids)
        return [ideas[i] for i in ids if i in ideas]

    def after_topic(self, topic_id: int | None) -> list[Reply]:
        draft = self.conv.data.get("draft", "")
        if not draft:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(_("Perdí el borrador; por favor envía tu idea de nuevo."))]
        self.conv.data["topic"] = topic_id
        title, body = p_services.split_title(draft)
        similar = [idea for idea, _score in selectors.similar_ideas(title, body, limit=3)]
        if not similar:
            return self.submit()
        self.conv.state = states.AWAITING_SIMILAR
        self.conv.data["candidates"] = [i.pk for i in similar]
        return self.offer_similar(similar)

    def offer_similar(self, similar: list[Idea]) -> list[Reply]:
        lines = [
            _(
                "Encontré ideas parecidas que ya están en el foro. Si una dice lo mismo que la "
                "tuya, apóyala: juntas pesan más."
            )
        ]
        buttons = []
        for n, idea in enumerate(similar, start=1):
            lines.append(
                _("%(n)s. «%(title)s» (%(code)s · %(status)s · %(supports)s apoyos)")
                % {
                    "n": n,
                    "title": idea.title,
                    "code": format_code(idea.tracking_code),
                    "status": idea.get_status_display(),
                    "supports": fmt_number(idea.support_count),
                }
            )
            buttons.append(Button(_("Apoyar la %(n)s") % {"n": n}, f"sup:{idea.pk}"))
        buttons.append(Button(_("La mía es distinta"), "new"))
        return [Reply("\n".join(lines), tuple(buttons))]

    def submit(self) -> list[Reply]:
        assert self.person is not None
        draft = self.conv.data.get("draft", "")
        topic_id = self.conv.data.get("topic")
        limited = self.rate_limited()
        if limited is not None:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [limited]
        title, body = p_services.split_title(draft)
        topic = selectors.topics().filter(pk=topic_id).first() if topic_id else None
        try:
            idea = p_services.idea_submit(
                author=self.person,
                title=title,
                body=body,
                channel=self.conv.channel,
                region=self.person.region,
                topic=topic,
                original_text=draft,
            )
        except p_services.ParticipationError as exc:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(" ".join(exc.messages))]
        self.conv.state, self.conv.data = states.IDLE, {}
        code = format_code(idea.tracking_code)
        text = _(
            "¡Gracias! Recibimos tu idea «%(title)s».\nCódigo de seguimiento: %(code)s\n"
            "Te avisaré aquí cada vez que avance; también puedes escribir /estado %(code)s."
        ) % {"title": idea.title, "code": code}
        url = idea_url(idea)
        if url:
            text += "\n" + url
        return [Reply(text)]

    def support(self, idea: Idea) -> Reply:
        assert self.person is not None
        try:
            support, created = p_services.support_add(
                idea=idea, person=self.person, channel=self.conv.channel
            )
        except p_services.ParticipationError as exc:
            return Reply(" ".join(exc.messages))
        target = Idea.objects.get(pk=support.idea_id)
        values = {
            "title": target.title,
            "code": format_code(target.tracking_code),
            "n": fmt_number(target.support_count),
        }
        if not created:
            return Reply(
                _("Ya apoyabas la idea «%(title)s» (%(code)s). Tiene %(n)s apoyos.") % values
            )
        return Reply(
            _(
                "Sumaste tu apoyo a «%(title)s» (%(code)s); ya tiene %(n)s apoyos. Te "
                "avisaré aquí cuando cambie de estado."
            )
            % values
        )

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


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", (text or "").strip().lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "!.¡,")
