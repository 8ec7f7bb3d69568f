"""Notices about an idea: its status changed, it was merged into another, or unmerged."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _

from forum.participation.codes import format_code
from forum.participation.lifecycle import shown_message

from ..formatting import idea_url, one_line, status_label
from ..models import Notification
from .base import Draft, Notice, Payload, RenderContext, _id, _params, _reason, _text


@dataclass(frozen=True, kw_only=True)
class StatusChanged(Notice):
    kind: ClassVar[str] = Notification.Kind.STATUS_CHANGED
    code: str = ""
    title: str = ""
    from_status: str = ""  # payload key "from"; "" for an idea's first status
    to_status: str = ""  # payload key "to"
    message: str = ""  # what the moderator or council typed, as typed
    # The system's own explanation, rendered in each reader's language (lifecycle.SystemMessage).
    system_message: str = ""
    system_params: dict[str, str] = field(default_factory=dict)
    change_id: int | None = None  # the StatusChange row (the demo dates notices by it)

    def to_payload(self) -> Payload:
        payload: Payload = {
            "code": self.code,
            "title": self.title,
            "from": self.from_status,
            "to": self.to_status,
            "message": self.message,
        }
        if self.system_message:
            payload |= {
                "system_message": self.system_message,
                "system_params": dict(self.system_params),
            }
        if self.change_id is not None:
            payload["change_id"] = self.change_id
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            code=_text(payload.get("code")),
            title=_text(payload.get("title")),
            from_status=_text(payload.get("from")),
            to_status=_text(payload.get("to")),
            message=_text(payload.get("message")),
            system_message=_text(payload.get("system_message")),
            system_params=_params(payload.get("system_params")),
            change_id=_id(payload.get("change_id")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = ctx.facts(self.code, self.title)
        facts |= {"from": status_label(self.from_status), "to": status_label(self.to_status)}
        if self.from_status:
            line = _("La idea «%(title)s» (%(code)s) pasó de «%(from)s» a «%(to)s» el %(date)s.")
        else:
            line = _("La idea «%(title)s» (%(code)s) quedó en «%(to)s» el %(date)s.")
        lines = [line % facts]
        message = shown_message(self.system_message, self.system_params or None, self.message)
        if message:
            lines.append(_("Mensaje público: %(message)s") % {"message": message})
        return Draft(_("Idea %(code)s: %(to)s") % facts, lines, url)

    @property
    def tracking_code(self) -> str:
        return self.code


@dataclass(frozen=True, kw_only=True)
class _MergeNotice(Notice):
    """What a merge and its undoing share: the idea, the one it was merged into, the reason,
    their payload keys and the facts their texts are written from. A subclass names its own
    text fields in ``own_fields``."""

    # The kind's own text fields: payload key -> field name.
    own_fields: ClassVar[dict[str, str]] = {}
    code: str = ""
    canonical_code: str = ""  # the idea it was (or had been) merged into
    title: str = ""
    reason: str = ""

    def to_payload(self) -> Payload:
        return {
            "code": self.code,
            "canonical_code": self.canonical_code,
            "title": self.title,
            **{key: getattr(self, name) for key, name in self.own_fields.items()},
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            code=_text(payload.get("code")),
            canonical_code=_text(payload.get("canonical_code")),
            title=_text(payload.get("title")),
            reason=_text(payload.get("reason")),
            **{name: _text(payload.get(key)) for key, name in cls.own_fields.items()},
        )

    def _facts(self, ctx: RenderContext) -> tuple[dict[str, str], str]:
        """The idea's facts (``RenderContext.facts``) plus the shown code of the other idea."""
        facts, url = ctx.facts(self.code, self.title)
        facts["canonical"] = format_code(self.canonical_code) if self.canonical_code else ""
        return facts, url


@dataclass(frozen=True, kw_only=True)
class Merged(_MergeNotice):
    kind: ClassVar[str] = Notification.Kind.MERGED
    own_fields: ClassVar[dict[str, str]] = {"canonical_title": "canonical_title"}
    canonical_title: str = ""

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = self._facts(ctx)
        facts["canonical_title"] = one_line(self.canonical_title, 200)
        lines = [
            _(
                "La idea «%(title)s» (%(code)s) se fusionó el %(date)s con %(canonical)s, que "
                "plantea lo mismo. Sus apoyos se suman a esa idea y te seguiremos avisando de sus "
                "cambios."
            )
            % facts
        ]
        if facts["canonical_title"]:
            lines.append(_("Idea resultante: «%(canonical_title)s».") % facts)
        lines += _reason(self.reason)
        subject = _("La idea %(code)s se fusionó con %(canonical)s") % facts
        return Draft(subject, lines, idea_url(self.canonical_code) if self.canonical_code else url)

    @property
    def tracking_code(self) -> str:
        return self.canonical_code or self.code


@dataclass(frozen=True, kw_only=True)
class Unmerged(_MergeNotice):
    kind: ClassVar[str] = Notification.Kind.UNMERGED
    own_fields: ClassVar[dict[str, str]] = {"to": "to_status"}
    to_status: str = ""  # payload key "to": the status it went back to

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = self._facts(ctx)
        facts["to"] = status_label(self.to_status)
        lines = [
            _(
                "La idea «%(title)s» (%(code)s) ya no está fusionada con %(canonical)s y vuelve al "
                "estado «%(to)s» (%(date)s)."
            )
            % facts,
            *_reason(self.reason),
        ]
        return Draft(_("Se deshizo la fusión de la idea %(code)s") % facts, lines, url)

    @property
    def tracking_code(self) -> str:
        # The idea stands on its own again: /estado follows it, not the one it left.
        return self.code
