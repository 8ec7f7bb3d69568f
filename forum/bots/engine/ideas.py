"""Sending an idea: draft → topic → similar ideas → support or submit."""

from __future__ import annotations

import datetime as dt
import math
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forum.core.ratelimit import moving_window_wait
from forum.moderation import services as moderation_services
from forum.moderation.matcher.groups import identity_key
from forum.participation import services as p_services
from forum.participation.codes import format_code
from forum.participation.models import Dialogue, Idea

from .. import selectors, states
from ..messages import Button, Incoming, Reply
from ..models import Conversation
from .common import (
    _fold,
    fmt_number,
    idea_url,
    looks_like_idea,
    region_named,
    submission_limit,
    supports_text,
)
from .intents import Intent, classify

# Plain requests that do what a slash command does (intents.py's kind → the command's name).
INTENT_COMMANDS = {
    "help": "help",
    "cancel": "cancel",
    "status": "status",
    "my_ideas": "my_ideas",
    "support": "support",
    "language": "language",
    "my_data": "my_data",
    "erase": "erase",
}

if TYPE_CHECKING:
    from forum.participation.models import Person


class IdeasMixin:
    conv: Conversation
    incoming: Incoming

    if TYPE_CHECKING:
        # Provided by the engine class (forum.bots.engine._Engine).
        @property
        def person(self) -> Person | None: ...
        def button(self, data: str) -> list[Reply]: ...
        def reprompt(self) -> list[Reply]: ...
        def command(self, name: str, arg: str) -> list[Reply]: ...

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
            return self.hold_idea(text)
        if state == states.AWAITING_REGION:
            region = region_named(text)
            if region is not None:
                return self.button(f"reg:{region.slug}")
            return self.hold_idea(text)
        intent = classify(text)
        if state == states.CONFIRM_ERASE:
            if intent.kind in ("yes", "no"):
                return self.button(f"del:{intent.kind}")
            return self.reprompt()
        return self.understood(text, intent)

    def understood(self, text: str, intent: Intent) -> list[Reply]:
        """A typed message once the onboarding is done: a greeting, thanks, a plain request
        (``intents.classify``), or an idea. One message gets one coherent answer."""
        state, kind = self.conv.state, intent.kind
        if state == states.CONFIRM_IDEA:
            if kind == "yes":
                draft = self.conv.data.get("draft", "")
                self.conv.state, self.conv.data = states.IDLE, {}
                return self.new_draft(draft)
            if kind in ("no", "cancel"):
                self.conv.state, self.conv.data = states.IDLE, {}
                return [
                    Reply(
                        _(
                            "De acuerdo, no lo envío como idea. Escribe tu idea cuando quieras, "
                            "o «ayuda» para ver lo que puedo hacer."
                        )
                    )
                ]
            # Anything else: the question is dropped and the new message read on its own.
            self.conv.state, self.conv.data = states.IDLE, {}
            state = states.IDLE
        if kind in INTENT_COMMANDS:
            return self.command(INTENT_COMMANDS[kind], intent.arg)
        pending = list(self.reprompt()) if state in states.WITH_DRAFT else []
        if kind == "greeting":
            return [
                Reply(
                    _(
                        "¡Hola! Escribe tu idea en un mensaje y te guío para enviarla. También "
                        "puedes preguntarme por una idea con su código (por ejemplo «¿cómo va "
                        "ABCD-1234?») o escribir «ayuda»."
                    )
                ),
                *pending,
            ]
        if kind == "thanks":
            return [Reply(_("¡De nada! Aquí estoy si necesitas algo más.")), *pending]
        if kind in ("yes", "no") or (pending and kind in ("short", "question")):
            # An answer to no question, or a few words while a draft waits: its question stands.
            return pending or self.reprompt()
        if kind in ("short", "question"):
            return [self.ask_is_idea(text, question=kind == "question")]
        return self.new_draft(text, replacing=state in states.WITH_DRAFT)

    def ask_is_idea(self, text: str, *, question: bool) -> Reply:
        """A message too short to tell, or a question the bot has no answer for: ask before
        taking it for an idea (state CONFIRM_IDEA, the text kept as the would-be draft)."""
        self.conv.state, self.conv.data = states.CONFIRM_IDEA, {"draft": text.strip()}
        if question:
            lead = _(
                "No sé responder esa pregunta: puedo recibir ideas, apoyarlas y decirte en qué "
                "va una idea (escribe «ayuda» para ver todo)."
            )
        else:
            lead = _("Tu mensaje es muy corto y no sé si es una idea.")
        return Reply(
            lead + " " + _("¿Quieres enviar «%(text)s» como idea?") % {"text": _excerpt(text)},
            (Button(_("Sí, es mi idea"), "idea:yes"), Button(_("No"), "idea:no")),
        )

    # ------------------------------------------------------------ rate limit

    def submission_wait(self) -> float | None:
        """Seconds until this person may send another idea (the oldest of their submissions in
        the window leaves it), or None when they may send one now."""
        assert self.person is not None
        limit, window = submission_limit()
        now = timezone.now()
        sent = selectors.submission_times_since(self.person, now - dt.timedelta(seconds=window))
        return moving_window_wait(
            [t.timestamp() for t in sent], limit=limit, seconds=window, now=now.timestamp()
        )

    def keep_for_later(self, wait: float, data: dict[str, Any]) -> list[Reply]:
        """The rate limit refuses an idea now: keep it as the conversation's draft (``data``:
        the text, and the topic when one was chosen already) and say when it can be sent."""
        self.conv.state, self.conv.data = states.RATE_LIMITED, data
        return [self.kept_draft_reply(wait, first=True)]

    def kept_draft_reply(self, wait: float | None, *, first: bool = False, lead: str = "") -> Reply:
        """What the bot says about the draft the rate limit keeps (state RATE_LIMITED): how
        long to wait (``wait`` seconds, None when it can go now), with buttons to send or
        discard it."""
        limit, window = submission_limit()
        send, drop = _("Enviar mi idea"), _("Descartar")
        lines = [lead] if lead else []
        if wait is not None:
            ideas = ngettext("%(n)s idea", "%(n)s ideas", limit) % {"n": fmt_number(limit)}
            lines.append(
                _("Puedes enviar hasta %(ideas)s cada %(window)s y ya llegaste a ese límite.")
                % {"ideas": ideas, "window": _minutes(window)}
            )
        start = _excerpt(self.conv.data.get("draft", ""))
        if first:
            kept = _("Guardé tu idea como borrador, así que no se pierde: «%(start)s»")
        else:
            kept = _("Tu idea sigue guardada como borrador: «%(start)s»")
        lines.append(kept % {"start": start})
        if wait is None:
            lines.append(_("Ya puedes enviarla: pulsa «%(send)s».") % {"send": send})
        else:
            lines.append(
                _("Espera un poco: podrás enviarla en %(wait)s con el botón «%(send)s».")
                % {"wait": _minutes(wait), "send": send}
            )
        lines.append(
            _("Si ya no la quieres, pulsa «%(drop)s» o escribe /cancelar.") % {"drop": drop}
        )
        return Reply("\n".join(lines), (Button(send, "send"), Button(drop, "drop")))

    def send_kept_draft(self) -> list[Reply]:
        """«Enviar mi idea» on a draft the rate limit kept: refused again (kept) while still
        limited; otherwise on through the usual flow, from where it was stopped."""
        draft = self.conv.data.get("draft", "")
        if not draft:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(_("Perdí el borrador; por favor envía tu idea de nuevo."))]
        wait = self.submission_wait()
        if wait is not None:
            return [self.kept_draft_reply(wait, lead=_("Todavía no puedo enviarla."))]
        if "topic" in self.conv.data:
            # Stopped at the very end: topic chosen and similar ideas already seen.
            return self.submit()
        return self.new_draft(draft)

    def draft_problem(self, text: str) -> Reply | None:
        """Why ``text`` cannot be an idea's draft (too long, too short), or None."""
        if len(text) > settings.IDEA_MAX_LENGTH:
            return Reply(
                _(
                    "Tu idea tiene %(n)s caracteres; el máximo es %(max)s. Resúmela y "
                    "vuelve a enviarla: no hemos guardado nada todavía."
                )
                % {"n": fmt_number(len(text)), "max": fmt_number(settings.IDEA_MAX_LENGTH)},
                refused_too_long=True,
            )
        title, _body = p_services.split_title(text)
        if len(title) < 3:
            return Reply(_("Cuéntame tu idea con un poco más de detalle (una frase basta)."))
        return None

    def hold_idea(self, text: str) -> list[Reply]:
        """An idea typed while the bot asks the language or the region (people start by typing
        their idea): keep it, and continue with it once the question is answered
        (:meth:`resume_held_idea`). A short text is a wrong answer, and is said to be one."""
        text = text.strip()
        if not looks_like_idea(text):
            return [Reply(_("No entendí esa respuesta.")), *self.reprompt()]
        problem = self.draft_problem(text)
        if problem is not None:
            return [problem, *self.reprompt()]
        replaced = bool(self.conv.data.get("held"))
        self.conv.data = {**self.conv.data, "held": text}
        kept = (
            _("Reemplacé el borrador anterior por este nuevo mensaje.")
            if replaced
            else _("Guardé tu mensaje como borrador de tu idea.")
        )
        return [
            Reply(
                kept + " " + _("Responde esta pregunta y seguimos con él; /cancelar lo descarta.")
            ),
            *self.reprompt(),
        ]

    def resume_held_idea(self) -> list[Reply]:
        """The onboarding questions are answered: continue with the idea typed meanwhile."""
        held = self.conv.data.pop("held", "")
        if not held:
            return []
        going_on = Reply(_("Sigamos con tu idea: «%(start)s»") % {"start": _excerpt(held)})
        return [going_on, *self.new_draft(held)]

    def new_draft(self, text: str, *, replacing: bool = False) -> list[Reply]:
        """``text`` becomes the draft (``replacing`` the one the conversation has: said so)."""
        text = text.strip()
        problem = self.draft_problem(text)
        if problem is not None:
            # Refused whole: the earlier draft, if any, still stands (and its question).
            return [problem, *self.reprompt()] if replacing else [problem]
        replies = (
            [Reply(_("Reemplacé el borrador anterior por este nuevo mensaje."))]
            if replacing
            else []
        )
        wait = self.submission_wait()
        if wait is not None:
            return replies + self.keep_for_later(wait, {"draft": text})
        # A dialogue chosen with /dialogo (or its deep link) goes with the draft.
        chosen = self.conv.data.get("dialogue")
        self.conv.data = {"draft": text, **({"dialogue": chosen} if chosen else {})}
        if not selectors.topics().exists():
            return replies + self.after_topic(None)
        self.conv.state = states.AWAITING_TOPIC
        return [*replies, self.ask_topic()]

    def ask_topic(self) -> Reply:
        buttons = [Button(t.label[:60], f"top:{t.pk}") for t in selectors.topics()[:30]]
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
        # Matched on the whole message as the body (the matcher weighs the body's words).
        similar = [idea for idea, _score in selectors.similar_ideas(title, draft, limit=3)]
        if not similar or (
            moderation_services.auto_merge_enabled()
            and any(identity_key(i.title, i.body) == identity_key(title, body) for i in similar)
        ):
            # Nothing alike, or the very same text: sent at once (the same text joins the
            # existing idea on arrival, and the reply offers «Mi idea es distinta»).
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
                _("%(n)s. «%(title)s» (%(code)s · %(status)s · %(supports)s)")
                % {
                    "n": n,
                    "title": idea.title,
                    "code": format_code(idea.tracking_code),
                    "status": idea.get_status_display(),
                    "supports": supports_text(idea.support_count),
                }
            )
            buttons.append(Button(_("Apoyar la %(n)s") % {"n": n}, f"sup:{idea.pk}"))
        buttons.append(Button(_("La mía es distinta"), "new"))
        return [Reply("\n".join(lines), tuple(buttons))]

    def submit(self) -> list[Reply]:
        assert self.person is not None
        draft = self.conv.data.get("draft", "")
        topic_id = self.conv.data.get("topic")
        # «La mía es distinta»: the person saw the similar ideas and said no; never merged on
        # arrival (a moderator still sees it grouped).
        distinct = bool(self.conv.data.get("distinct"))
        wait = self.submission_wait()
        if wait is not None:
            return self.keep_for_later(
                wait, {"draft": draft, "topic": topic_id, "distinct": distinct}
            )
        title, body = p_services.split_title(draft)
        topic = selectors.topics().filter(pk=topic_id).first() if topic_id else None
        dialogue_id = self.conv.data.get("dialogue")
        dialogue = (
            Dialogue.objects.filter(pk=dialogue_id, is_active=True).first() if dialogue_id else None
        )
        try:
            idea = p_services.idea_submit(
                author=self.person,
                title=title,
                body=body,
                channel=self.conv.channel,
                region=self.person.region,
                topic=topic,
                dialogue=dialogue,
                original_text=draft,
                auto_merge=not distinct,
            )
        except p_services.ParticipationError as exc:
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(" ".join(exc.messages))]
        self.conv.state, self.conv.data = states.IDLE, {}
        if idea.merged_into_id is not None:
            return [self.joined_identical(idea)]
        code = format_code(idea.tracking_code)
        text = _(
            "¡Gracias! Recibimos tu idea «%(title)s».\nCódigo de seguimiento: %(code)s\n"
            "Te avisaré aquí cada vez que avance; también puedes escribir /estado %(code)s."
        ) % {"title": idea.title, "code": code}
        url = idea_url(idea)
        if url:
            text += "\n" + url
        return [Reply(text)]

    def joined_identical(self, idea: Idea) -> Reply:
        """The system merged the new idea into one with the same text: say so, with the
        one-tap way back (``dif:<idea id>``)."""
        twin = Idea.objects.get(pk=idea.merged_into_id or 0)
        text = _(
            "Tu idea tiene el mismo texto que «%(title)s» (%(code)s), que ya estaba en el foro: "
            "la sumamos a ella y ya tiene %(supports)s. Te avisaré aquí de cada avance; también "
            "puedes escribir /estado %(code)s.\nSi tu idea es distinta, toca el botón y el "
            "equipo de moderación la revisará."
        ) % {
            "title": twin.title,
            "code": format_code(twin.tracking_code),
            "supports": supports_text(twin.support_count),
        }
        return Reply(text, (Button(_("Mi idea es distinta"), f"dif:{idea.pk}"),))

    def declare_distinct(self, idea: Idea) -> Reply:
        assert self.person is not None
        try:
            moderation_services.idea_declare_distinct(idea=idea, person=self.person)
        except moderation_services.ModerationError as exc:
            return Reply(" ".join(exc.messages))
        return Reply(
            _(
                "Listo: tu idea %(code)s quedó separada y el equipo de moderación la revisará. "
                "Te avisaré aquí cuando avance."
            )
            % {"code": format_code(idea.tracking_code)}
        )

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
            "supports": supports_text(target.support_count),
        }
        if not created:
            return Reply(
                _("Ya apoyabas la idea «%(title)s» (%(code)s). Tiene %(supports)s.") % values
            )
        return Reply(
            _(
                "Sumaste tu apoyo a «%(title)s» (%(code)s); ya tiene %(supports)s. Te "
                "avisaré aquí cuando cambie de estado."
            )
            % values
        )


def _minutes(seconds: float) -> str:
    """«1 minuto», «10 minutos»: a wait or a window, rounded up to whole minutes."""
    n = max(1, math.ceil(seconds / 60))
    return ngettext("%(n)s minuto", "%(n)s minutos", n) % {"n": fmt_number(n)}


def _excerpt(text: str, limit: int = 80) -> str:
    first = " ".join(text.split())
    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
