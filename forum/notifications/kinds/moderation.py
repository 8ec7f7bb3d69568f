"""Notices from moderation: an author's idea or thread post was hidden, or restored."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _

from ..formatting import thread_url
from ..models import Notification
from .base import Draft, Notice, Payload, RenderContext, _id, _reason, _text


@dataclass(frozen=True, kw_only=True)
class _ContentNotice(Notice):
    """Moderation hid or restored an author's idea (``code``) or thread post (``post_id``)."""

    title: str = ""
    reason: str = ""
    code: str = ""  # an idea
    post_id: int | None = None  # a post, and its thread
    thread_id: int | None = None

    @abstractmethod
    def headline(self) -> tuple[str, str]:
        """The subject and the first paragraph's pattern."""

    def to_payload(self) -> Payload:
        payload: Payload = {"reason": self.reason, "title": self.title}
        if self.code:
            payload["code"] = self.code
        if self.post_id is not None:
            payload["post_id"] = self.post_id
        if self.thread_id is not None:
            payload["thread_id"] = self.thread_id
        return payload

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            title=_text(payload.get("title")),
            reason=_text(payload.get("reason")),
            code=_text(payload.get("code")),
            post_id=_id(payload.get("post_id")),
            thread_id=_id(payload.get("thread_id")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = ctx.facts(self.code, self.title)
        subject, line = self.headline()
        if not (self.code or ctx.idea_code) and self.thread_id:
            url = thread_url(self.thread_id, self.post_id)
        return Draft(subject, [line % facts, *_reason(self.reason)], url)

    @property
    def tracking_code(self) -> str:
        return self.code


@dataclass(frozen=True, kw_only=True)
class Hidden(_ContentNotice):
    kind: ClassVar[str] = Notification.Kind.HIDDEN

    def headline(self) -> tuple[str, str]:
        return (
            _("Tu contenido fue ocultado por moderación"),
            _("«%(title)s» fue ocultado por moderación el %(date)s."),
        )


@dataclass(frozen=True, kw_only=True)
class Restored(_ContentNotice):
    kind: ClassVar[str] = Notification.Kind.RESTORED

    def headline(self) -> tuple[str, str]:
        return (
            _("Tu contenido vuelve a estar visible"),
            _("«%(title)s» vuelve a estar visible desde el %(date)s."),
        )
