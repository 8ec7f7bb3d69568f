"""One class per kind of notification: its payload, typed, and its text in the active language.

A producer builds one (``StatusChanged(code=…, to_status=…)``) and hands it to
``services.notification_create_many``, which stores ``to_payload()`` in ``Notification.payload``.
The JSON keys are the ones rows have carried since the first release, so ``from_payload`` reads
the rows already in the database as well as new ones; it never fails on a row (a missing or
mistyped key reads as empty). ``render.render_notification`` finds the class by
``Notification.kind`` in :data:`KINDS`; a kind it does not know renders a generic text
(:class:`UnknownNotice`). How to add a kind: docs/notifications.md.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from forum.participation.codes import format_code
from forum.participation.lifecycle import shown_message
from forum.participation.models import Dialogue

from .formatting import absolute, format_day, idea_url, one_line, status_label, thread_url
from .models import Notification

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
class Merged(Notice):
    kind: ClassVar[str] = Notification.Kind.MERGED
    code: str = ""
    canonical_code: str = ""  # the idea it was merged into
    title: str = ""
    canonical_title: str = ""
    reason: str = ""

    def to_payload(self) -> Payload:
        return {
            "code": self.code,
            "canonical_code": self.canonical_code,
            "title": self.title,
            "canonical_title": self.canonical_title,
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            code=_text(payload.get("code")),
            canonical_code=_text(payload.get("canonical_code")),
            title=_text(payload.get("title")),
            canonical_title=_text(payload.get("canonical_title")),
            reason=_text(payload.get("reason")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = ctx.facts(self.code, self.title)
        canonical = self.canonical_code
        facts |= {
            "canonical": format_code(canonical) if canonical else "",
            "canonical_title": one_line(self.canonical_title, 200),
        }
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
        return Draft(subject, lines, idea_url(canonical) if canonical else url)

    @property
    def tracking_code(self) -> str:
        return self.canonical_code or self.code


@dataclass(frozen=True, kw_only=True)
class Unmerged(Notice):
    kind: ClassVar[str] = Notification.Kind.UNMERGED
    code: str = ""
    canonical_code: str = ""  # the idea it had been merged into
    title: str = ""
    to_status: str = ""  # payload key "to": the status it went back to
    reason: str = ""

    def to_payload(self) -> Payload:
        return {
            "code": self.code,
            "canonical_code": self.canonical_code,
            "title": self.title,
            "to": self.to_status,
            "reason": self.reason,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            code=_text(payload.get("code")),
            canonical_code=_text(payload.get("canonical_code")),
            title=_text(payload.get("title")),
            to_status=_text(payload.get("to")),
            reason=_text(payload.get("reason")),
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts, url = ctx.facts(self.code, self.title)
        facts |= {
            "canonical": format_code(self.canonical_code) if self.canonical_code else "",
            "to": status_label(self.to_status),
        }
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


@dataclass(frozen=True, kw_only=True)
class Invitation(Notice):
    """An organisation's contact invited to a dialogue or a council session (the convocation
    app). ``token`` names the invitation in the answer buttons; ``reminder`` for the reminder
    sent before the date."""

    kind: ClassVar[str] = Notification.Kind.INVITATION
    token: str = ""
    space: str = ""  # the dialogue's or council's name
    organisation: str = ""
    date: str = ""  # ISO date of the meeting
    place: str = ""
    path: str = ""  # the space's page on the site
    reminder: bool = False

    def to_payload(self) -> Payload:
        return {
            "token": self.token,
            "space": self.space,
            "organisation": self.organisation,
            "date": self.date,
            "place": self.place,
            "path": self.path,
            "reminder": self.reminder,
        }

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> Self:
        return cls(
            token=_text(payload.get("token")),
            space=_text(payload.get("space")),
            organisation=_text(payload.get("organisation")),
            date=_text(payload.get("date")),
            place=_text(payload.get("place")),
            path=_text(payload.get("path")),
            reminder=payload.get("reminder") is True,
        )

    def draft(self, ctx: RenderContext) -> Draft:
        facts = {
            "space": one_line(self.space, 200),
            "organisation": one_line(self.organisation, 200),
            "date": self.date,
            "place": one_line(self.place, 200),
        }
        if self.reminder:
            subject = _("Recordatorio: «%(space)s» el %(date)s") % facts
            lines = [_("Te recordamos «%(space)s», el %(date)s.") % facts]
        else:
            subject = _("Invitación: «%(space)s»") % facts
            lines = [
                _(
                    "Invitamos a %(organisation)s a «%(space)s», el %(date)s. Te escribimos "
                    "porque eres su contacto."
                )
                % facts
            ]
        if self.place:
            lines.append(_("Lugar: %(place)s") % facts)
        lines.append(
            _(
                "Responde con los botones: asistiré, no puedo, o propongo a otra persona de mi "
                "organización. Si no puedes, ofreceremos el cupo a otra organización."
            )
        )
        return Draft(subject, lines, absolute(self.path or "/"))

    def buttons(self) -> tuple[tuple[str, str], ...]:
        if not self.token:
            return ()
        return (
            (_("Asistiré"), f"cv:{self.token}:yes"),
            (_("No puedo"), f"cv:{self.token}:no"),
            (_("Propongo a otra persona"), f"cv:{self.token}:other"),
        )


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


KINDS: dict[str, type[Notice]] = {
    cls.kind: cls
    for cls in (
        StatusChanged,
        Merged,
        Unmerged,
        Hidden,
        Restored,
        ThreadPost,
        ThreadReply,
        Invitation,
        DialoguePhase,
        DialogueSurvey,
        DialogueResults,
    )
}


def notice_of(kind: str, payload: Any, *, label: str = "") -> Notice:
    """The typed notice of a stored row; :class:`UnknownNotice` for a kind not in :data:`KINDS`
    (``label``: what to call it)."""
    data = payload if isinstance(payload, Mapping) else {}
    cls = KINDS.get(kind)
    if cls is None:
        return UnknownNotice(label=label or kind, payload=dict(data))
    return cls.from_payload(data)
