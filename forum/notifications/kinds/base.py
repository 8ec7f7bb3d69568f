"""What every kind of notification shares: the :class:`Notice` base class, the :class:`Draft` its
text becomes, the :class:`RenderContext` it is rendered with, the payload readers (``_text``,
``_id``, ``_params``: they never fail on a row) and :class:`UnknownNotice` for a kind this code
does not know."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _

from forum.participation.codes import format_code

from ..formatting import absolute, idea_url, one_line

Payload = dict[str, Any]


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _id(value: Any) -> int | None:
    try:
        return None if value is None or value == "" else int(value)
    except (TypeError, ValueError):
        return None


def _params(value: Any) -> dict[str, str]:
    return {str(k): str(v) for k, v in value.items()} if isinstance(value, Mapping) else {}


@dataclass(frozen=True)
class Draft:
    """A kind's text before the common ending: subject, paragraphs and the link."""

    subject: str
    lines: list[str]
    url: str


@dataclass(frozen=True)
class RenderContext:
    """What rendering takes from the row besides its payload: the date, already in the reader's
    language, and the notification's idea, for payloads that do not name it (thin older rows)."""

    date: str
    idea_code: str = ""
    idea_title: str = ""

    def facts(self, code: str = "", title: str = "") -> tuple[dict[str, str], str]:
        """The idea's shown code, title and the date for the texts, and the idea's link."""
        code = code or self.idea_code
        title = title or self.idea_title
        facts = {
            "code": format_code(code) if code else "",
            "title": one_line(title, 200),
            "date": self.date,
        }
        return facts, idea_url(code) if code else absolute("/")


class Notice(ABC):
    """The payload of one kind of notification (subclasses are frozen dataclasses)."""

    kind: ClassVar[str]

    @abstractmethod
    def to_payload(self) -> Payload:
        """The JSON stored in ``Notification.payload``."""

    @classmethod
    @abstractmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        """Read a stored payload back (old rows included); never raises."""

    @abstractmethod
    def draft(self, ctx: RenderContext) -> Draft:
        """Subject, paragraphs and link in the active language."""

    @property
    def tracking_code(self) -> str:
        """The idea code a bot's ``/estado`` should be pointed at ("" for none)."""
        return ""

    def buttons(self) -> tuple[tuple[str, str], ...]:
        """Answer buttons a bot push carries, as (label in the active language, data)."""
        return ()


def _reason(reason: str) -> list[str]:
    return [_("Motivo: %(reason)s") % {"reason": reason}] if reason else []


@dataclass(frozen=True, kw_only=True)
class UnknownNotice(Notice):
    """A row of a kind this code does not know (added later, or removed): its label and its
    idea's title, so the inbox still says something useful."""

    kind: ClassVar[str] = ""
    label: str = ""
    payload: Payload = field(default_factory=dict)

    def to_payload(self) -> Payload:
        return dict(self.payload)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(payload=dict(payload))

    def draft(self, ctx: RenderContext) -> Draft:
        title = _text(self.payload.get("title"))
        facts, url = ctx.facts(_text(self.payload.get("code")), title)
        lines = [f"«{facts['title']}»"] if title or ctx.idea_title else []
        return Draft(self.label, lines, url)

    @property
    def tracking_code(self) -> str:
        return _text(self.payload.get("canonical_code") or self.payload.get("code"))
