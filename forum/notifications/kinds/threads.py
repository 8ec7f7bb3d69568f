"""Notices from threads: a new post in a thread the person follows, a reply to their post."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from django.utils.translation import gettext as _

from ..formatting import one_line, thread_url
from ..models import Notification
from .base import Draft, Notice, Payload, RenderContext, _id, _text


@dataclass(frozen=True, kw_only=True)
class _ThreadNotice(Notice):
    """A new post in a thread the person follows, or a reply to their post."""

    thread_id: int | None = None
    thread_title: str = ""
    post_id: int | None = None
    excerpt: str = ""  # the post's first words, quoted as written

    @abstractmethod
    def headline(self, facts: Mapping[str, str]) -> tuple[str, str]:
        """The subject and the first paragraph."""

    def to_payload(self) -> Payload:
        return {
            "thread_id": self.thread_id,
            "thread_title": self.thread_title,
            "post_id": self.post_id,
            "excerpt": self.excerpt,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            thread_id=_id(payload.get("thread_id")),
            thread_title=_text(payload.get("thread_title")),
            post_id=_id(payload.get("post_id")),
            excerpt=_text(payload.get("excerpt")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = ctx.facts()
        facts["thread"] = one_line(self.thread_title, 120)
        subject, line = self.headline(facts)
        lines = [line, f"«{self.excerpt}»"] if self.excerpt else [line]
        if self.thread_id:
            url = thread_url(self.thread_id, self.post_id)
        return Draft(subject, lines, url)


@dataclass(frozen=True, kw_only=True)
class ThreadPost(_ThreadNotice):
    kind: ClassVar[str] = Notification.Kind.THREAD_POST

    def headline(self, facts: Mapping[str, str]) -> tuple[str, str]:
        return (
            _("Nuevo mensaje en «%(thread)s»") % facts,
            _("Hay un mensaje nuevo en el hilo «%(thread)s»:") % facts,
        )


@dataclass(frozen=True, kw_only=True)
class ThreadReply(_ThreadNotice):
    kind: ClassVar[str] = Notification.Kind.THREAD_REPLY

    def headline(self, facts: Mapping[str, str]) -> tuple[str, str]:
        return (
            _("Respondieron tu mensaje en «%(thread)s»") % facts,
            _("Alguien respondió tu mensaje en el hilo «%(thread)s»:") % facts,
        )
