"""Commands of the engine (``/estado``, ``/mis_ideas``, ``/apoyar``, ``/mis_datos``…)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from forum.dialogues import selectors as d_selectors
from forum.participation import privacy
from forum.participation import selectors as p_selectors
from forum.participation.codes import format_code
from forum.participation.lifecycle import IdeaStatus
from forum.participation.models import Dialogue, Idea

from .. import selectors, states
from ..messages import Button, Incoming, Reply
from ..models import Conversation
from .common import (
    DIALOGUE_DEEP_LINK,
    LANGUAGE_BUTTONS,
    dialogue_url,
    fmt_date,
    fmt_number,
    idea_url,
)

if TYPE_CHECKING:
    from forum.participation.models import Person


class CommandsMixin:
    conv: Conversation
    incoming: Incoming

    if TYPE_CHECKING:
        # Provided by the engine class (forum.bots.engine._Engine) and IdeasMixin.
        @property
        def person(self) -> Person | None: ...
        def help(self) -> Reply: ...
        def reprompt(self) -> list[Reply]: ...
        def ask_region(self) -> Reply: ...
        def support(self, idea: Idea) -> Reply: ...
        def cmd_session(self, arg: str) -> list[Reply]: ...
        def cmd_vote(self, arg: str) -> list[Reply]: ...
        def cmd_word(self, arg: str) -> list[Reply]: ...

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
            "session": self.cmd_session,
            "vote": self.cmd_vote,
            "word": self.cmd_word,
            "dialogue": self.cmd_dialogue,
        }
        handler = handlers.get(name)
        if handler is None:
            return [Reply(_("No conozco ese comando.")), self.help()]
        replies: list[Reply] = []
        if self.conv.state == states.CONFIRM_IDEA and name != "cancel":
            # A command answers «is it an idea?» with no: the short message is let go.
            self.conv.state, self.conv.data = states.IDLE, {}
        state = self.conv.state
        if state == states.RATE_LIMITED and name in {"language", "region"}:
            # The kept idea waits minutes anyway: hold it through the question, as an idea typed
            # at it is held, and go on with it once it is answered.
            self.conv.data = {"held": self.conv.data.get("draft", "")}
            replies.append(Reply(_("Tu idea sigue guardada; seguimos con ella cuando respondas.")))
        elif (
            state in (states.AWAITING_TOPIC, states.AWAITING_SIMILAR)
            and name not in {"status", "help", "my_ideas", "my_data", "cancel"}
        ) or (state == states.RATE_LIMITED and name == "erase"):
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

    def cmd_start(self, arg: str) -> list[Reply]:
        if self.conv.state in (states.AWAITING_LANGUAGE, states.AWAITING_REGION):
            return self.reprompt()
        if arg.startswith(DIALOGUE_DEEP_LINK):
            # t.me/<bot>?start=dlg_<slug>: the link and QR code of a dialogue's page.
            return self.cmd_dialogue(arg.removeprefix(DIALOGUE_DEEP_LINK))
        return [Reply(_("¡Hola de nuevo!")), self.help()]

    def cmd_dialogue(self, arg: str) -> list[Reply]:
        """``/dialogo <slug>``: the dialogue's questions, and the next idea is filed under it."""
        slug = arg.strip().lower()
        dialogue = d_selectors.dialogue_by_slug(slug) if slug else None
        if dialogue is None or dialogue.phase == Dialogue.Phase.CELEBRATION:
            open_now = [
                d
                for d in d_selectors.dialogue_list().filter(is_active=True)[:8]
                if d.phase != Dialogue.Phase.CELEBRATION
            ]
            lines = [_("Escribe /dialogo y el nombre corto del diálogo, por ejemplo:")]
            lines += [f"/dialogo {d.slug} — {d.title}" for d in open_now]
            if dialogue is not None:
                lines.insert(0, _("Ese diálogo ya terminó; sus resultados están en su página."))
            return [Reply("\n".join(lines))]
        self.conv.data = {**self.conv.data, "dialogue": dialogue.pk}
        lines = [
            _("Diálogo «%(title)s» (%(date)s).")
            % {"title": dialogue.title, "date": fmt_date(dialogue.date)}
        ]
        lines += [f"• {q.text}" for q in d_selectors.guiding_questions(dialogue)[:5]]
        lines.append(_("Escribe ahora tu idea: quedará en este diálogo."))
        url = dialogue_url(dialogue)
        if url:
            lines.append(url)
        return [Reply("\n".join(lines))]

    def cmd_help(self, _arg: str) -> list[Reply]:
        return [self.help()]

    def cmd_cancel(self, _arg: str) -> list[Reply]:
        if self.conv.state in (*states.WITH_DRAFT, states.CONFIRM_ERASE, states.CONFIRM_IDEA):
            self.conv.state, self.conv.data = states.IDLE, {}
            return [Reply(_("Listo, lo dejé de lado."))]
        if self.conv.data.get("held"):
            # An idea kept while answering the language/region questions (which still stand).
            self.conv.data = {k: v for k, v in self.conv.data.items() if k != "held"}
            return [Reply(_("Listo, lo dejé de lado.")), *self.reprompt()]
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
            return [_unknown_code(arg)]
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
                % {"date": fmt_date(last.created_at), "message": last.message}
            )
        if idea.status == IdeaStatus.MERGED and idea.merged_into_id:
            # The idea at the end of the merge chain, where its supports are; if it is visible.
            try:
                target: Idea | None = p_selectors.canonical_of(
                    idea, queryset=p_selectors.public_ideas()
                )
            except (p_selectors.MergeChainError, Idea.DoesNotExist):
                target = None
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
            lines += [_idea_line(i) for i in own]
        if supported:
            lines.append(_("Ideas que apoyas:"))
            lines += [_idea_line(i) for i in supported]
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
            return [_unknown_code(arg)]
        return [self.support(idea)]

    def cmd_language(self, _arg: str) -> list[Reply]:
        self.conv.state = states.AWAITING_LANGUAGE
        return [Reply(_("¿En qué idioma prefieres conversar?"), LANGUAGE_BUTTONS)]

    def cmd_region(self, _arg: str) -> list[Reply]:
        return [self.ask_region()]

    def cmd_my_data(self, _arg: str) -> list[Reply]:
        assert self.person is not None
        data = json.dumps(privacy.person_export(self.person), ensure_ascii=False, indent=1)
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


def _unknown_code(arg: str) -> Reply:
    return Reply(
        _(
            "No encontré ninguna idea con el código «%(code)s». Revisa que tenga "
            "8 caracteres, por ejemplo ABCD-EFGH."
        )
        % {"code": arg[:20]}
    )


def _idea_line(idea: Idea) -> str:
    return f"• {format_code(idea.tracking_code)} · {idea.get_status_display()} · {idea.title}"
