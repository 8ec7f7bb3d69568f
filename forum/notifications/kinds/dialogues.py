"""Notices about a dialogue: its next phase, the satisfaction survey, its published results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum.participation.codes import format_code
from forum.participation.models import Dialogue

from ..formatting import absolute, format_day, one_line
from ..models import Notification
from .base import Draft, Notice, Payload, RenderContext, _id, _params, _text


def dialogue_url(slug: str, suffix: str = "") -> str:
    """A dialogue's public page (``/dialogos/<slug>/``; the dialogues app, above, serves it)."""
    return absolute(f"/dialogos/{slug}/{suffix}") if slug else absolute("/dialogos/")


def _phase_label(value: str) -> str:
    try:
        return str(Dialogue.Phase(value).label)
    except ValueError:
        return value


@dataclass(frozen=True, kw_only=True)
class DialoguePhase(Notice):
    """A dialogue the person takes part in moved to its next phase."""

    kind: ClassVar[str] = Notification.Kind.DIALOGUE_PHASE
    slug: str = ""
    title: str = ""
    phase: str = ""

    def to_payload(self) -> Payload:
        return {"slug": self.slug, "title": self.title, "phase": self.phase}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            slug=_text(payload.get("slug")),
            title=_text(payload.get("title")),
            phase=_text(payload.get("phase")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {"title": one_line(self.title, 200), "phase": _phase_label(self.phase)}
        return Draft(
            _("Diálogo «%(title)s»: %(phase)s") % facts,
            [_("El diálogo «%(title)s» pasó a la fase «%(phase)s».") % facts],
            dialogue_url(self.slug),
        )


@dataclass(frozen=True, kw_only=True)
class DialogueSurvey(Notice):
    """After the session: «¿Cómo evalúas el método?», with the person's own answer link."""

    kind: ClassVar[str] = Notification.Kind.DIALOGUE_SURVEY
    slug: str = ""
    title: str = ""
    token: str = ""  # signed (dialogue, person): the answer page needs no login
    dialogue_id: int = 0  # for the bots' answer buttons (the chat knows who answers)

    def to_payload(self) -> Payload:
        return {
            "slug": self.slug,
            "title": self.title,
            "token": self.token,
            "dialogue_id": self.dialogue_id,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            slug=_text(payload.get("slug")),
            title=_text(payload.get("title")),
            token=_text(payload.get("token")),
            dialogue_id=_id(payload.get("dialogue_id")) or 0,
        )

    def buttons(self) -> tuple[tuple[str, str], ...]:
        """One tap answers on Telegram and WhatsApp: ``srv:<dialogue id>:<rating>``."""
        if not self.dialogue_id:
            return ()
        return (
            (_("Excelente"), f"srv:{self.dialogue_id}:excellent"),
            (_("Bueno"), f"srv:{self.dialogue_id}:good"),
            (_("Regular"), f"srv:{self.dialogue_id}:fair"),
            (_("Malo"), f"srv:{self.dialogue_id}:poor"),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {"title": one_line(self.title, 200)}
        return Draft(
            _("¿Cómo evalúas el método?"),
            [
                _("Gracias por venir al diálogo «%(title)s».") % facts,
                _("¿Cómo evalúas el método? Excelente, bueno, regular o malo: responde aquí."),
            ],
            dialogue_url(self.slug, f"encuesta/{self.token}/"),
        )


@dataclass(frozen=True, kw_only=True)
class DialogueResults(Notice):
    """A dialogue's results are published: what came out and what happens next (which ideas
    went to which council, and by when it must answer)."""

    kind: ClassVar[str] = Notification.Kind.DIALOGUE_RESULTS
    slug: str = ""
    title: str = ""
    summary: str = ""  # staff's «qué viene ahora», as typed
    # [{"code", "title", "council", "due"}] for the ideas routed to a council (a few, see the
    # service); "due" is an ISO date or "".
    routed: list[dict[str, str]] = field(default_factory=list)

    def to_payload(self) -> Payload:
        return {
            "slug": self.slug,
            "title": self.title,
            "summary": self.summary,
            "routed": [dict(r) for r in self.routed],
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        routed = payload.get("routed")
        return cls(
            slug=_text(payload.get("slug")),
            title=_text(payload.get("title")),
            summary=_text(payload.get("summary")),
            routed=[_params(r) for r in routed] if isinstance(routed, list) else [],
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {"title": one_line(self.title, 200)}
        lines = [_("Ya están los resultados del diálogo «%(title)s».") % facts]
        if self.summary:
            lines.append(self.summary)
        for r in self.routed:
            item = {
                "code": format_code(r.get("code", "")),
                "title": one_line(r.get("title", ""), 120),
                "council": r.get("council", ""),
            }
            if r.get("due"):
                try:
                    item["due"] = format_day(dt.date.fromisoformat(r["due"]), get_language())
                except ValueError:
                    item["due"] = r["due"]
                lines.append(
                    _(
                        "«%(title)s» (%(code)s) va al %(council)s, "
                        "que debe responder a más tardar el %(due)s."
                    )
                    % item
                )
            else:
                lines.append(_("«%(title)s» (%(code)s) va al %(council)s.") % item)
        return Draft(_("Resultados: %(title)s") % facts, lines, dialogue_url(self.slug))
