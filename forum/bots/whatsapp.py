"""WhatsApp Cloud API adapter and a small Graph API client on httpx.

Inbound: one webhook POST may carry several messages and status callbacks; each message is
stored as its own update (idempotent on the message id ``wamid…``). Status callbacks
(sent/delivered/read/failed) are never messages. The person is keyed on the business-scoped
user id (``user_id``/``from_user_id``) when Meta sends one, else on the phone number.

Outbound: ``POST {WHATSAPP_API_URL}/{WHATSAPP_PHONE_NUMBER_ID}/messages`` with a Bearer token.
Buttons become interactive reply buttons (at most 3, titles ≤ 20 characters) or lists (at most
10 rows per message; more rows are sent as several lists). Pushes outside the 24-hour customer
service window go as an approved message template (:meth:`WhatsAppClient.send_template`).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import threading
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

import httpx
from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from .messages import Incoming, Kind

log = logging.getLogger(__name__)

PLATFORM = "whatsapp"
TEXT_LIMIT = 4096
INTERACTIVE_BODY_LIMIT = 1024
BUTTON_TITLE = 20
ROW_TITLE = 24
ROW_DESCRIPTION = 72
MAX_ROWS = 10
RETRY_CODES = {4, 80007, 130429, 131048, 131056, 133016}
UNREACHABLE_CODES = {131026, 131030}
# "Re-engagement message": more than 24 hours since the participant last wrote.
WINDOW_CLOSED_CODE = 131047
TEMPLATE_PARAMETER_LIMIT = 700


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or default)


def signature_valid(body: bytes, header: str) -> bool:
    """``X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>``."""
    secret = _setting("WHATSAPP_APP_SECRET")
    if not secret or not header or not header.startswith("sha256="):
        return False
    expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, header[len("sha256=") :].strip().lower())


# ---------------------------------------------------------------- inbound: shapes

# The column that keeps a message id (InboundUpdate.update_id) holds 128 characters.
KEY_MAX = 128


class ShapeError(ValueError):
    """A signed body that is not a WhatsApp webhook (the whole body is refused)."""


class _Shape(BaseModel):
    # Meta adds fields over time: unknown ones are kept, only the ones read here are typed.
    model_config = ConfigDict(extra="allow")


class _Reply(_Shape):
    id: str | None = None
    title: str | None = None


class _Interactive(_Shape):
    type: str | None = None
    button_reply: _Reply | None = None
    list_reply: _Reply | None = None


class _Text(_Shape):
    body: str | None = None


class _Button(_Shape):
    payload: str | None = None
    text: str | None = None


class _Media(_Shape):
    caption: str | None = None


class Message(_Shape):
    """One inbound message, as much of it as :func:`to_incoming` reads."""

    id: str = Field(min_length=1)
    from_: str | None = Field(None, alias="from")
    from_user_id: str | None = None
    type: str | None = None
    text: _Text | None = None
    interactive: _Interactive | None = None
    button: _Button | None = None
    image: _Media | None = None
    video: _Media | None = None
    document: _Media | None = None


class _Profile(_Shape):
    name: str | None = None


class _Contact(_Shape):
    wa_id: str | None = None
    user_id: str | None = None
    profile: _Profile | None = None


class _Value(_Shape):
    # Messages are checked one by one (a bad one must not cost the others of the body).
    messages: list[dict[str, Any]] | None = None
    contacts: list[_Contact] | None = None
    statuses: list[dict[str, Any]] | None = None
    metadata: dict[str, Any] | None = None


class _Change(_Shape):
    field: str | None = None
    value: _Value | None = None


class _Entry(_Shape):
    id: str | None = None
    changes: list[_Change] | None = None


class _Body(_Shape):
    object: str | None = None
    entry: list[_Entry] | None = None


@dataclass
class Batch:
    """What one webhook POST carries: messages as (key, payload to store), status callbacks,
    and why each message of an unexpected shape was refused."""

    messages: list[tuple[str, dict]] = dataclass_field(default_factory=list)
    statuses: list[dict] = dataclass_field(default_factory=list)
    refused: list[str] = dataclass_field(default_factory=list)


def message_key(message_id: str) -> str:
    """The stored key of a message id: itself, or, past the column's 128 characters, a digest
    of all of it (cutting it would make two long ids sharing a prefix one "duplicate")."""
    if len(message_id) <= KEY_MAX:
        return message_id
    return "sha256:" + hashlib.sha256(message_id.encode()).hexdigest()


def _problem(exc: PydanticValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in error['loc']) or 'body'}: {error['msg']}"
        for error in exc.errors()[:5]
    )


def split_webhook(body: Any) -> Batch:
    """Read a webhook body with the types above. :class:`ShapeError` when the body itself is
    not a webhook; a message of another shape is refused alone (``Batch.refused``)."""
    try:
        parsed = _Body.model_validate(body)
    except PydanticValidationError as exc:
        raise ShapeError(_problem(exc)) from exc
    batch = Batch()
    for entry in parsed.entry or []:
        for change in entry.changes or []:
            value = change.value
            if value is None:
                continue
            contacts = [c.model_dump(by_alias=True) for c in value.contacts or []]
            for raw in value.messages or []:
                try:
                    message = Message.model_validate(raw)
                except PydanticValidationError as exc:
                    batch.refused.append(_problem(exc))
                    continue
                sender = message.from_
                contact = next(
                    (c for c in contacts if c.get("wa_id") and c.get("wa_id") == sender),
                    contacts[0] if len(contacts) == 1 else {},
                )
                batch.messages.append(
                    (
                        message_key(message.id),
                        {"message": raw, "contact": contact, "metadata": value.metadata or {}},
                    )
                )
            batch.statuses += value.statuses or []
    return batch


def identity_of(payload: dict[str, Any]) -> str:
    message = payload.get("message") or {}
    contact = payload.get("contact") or {}
    return str(
        contact.get("user_id")
        or message.get("from_user_id")
        or message.get("from")
        or contact.get("wa_id")
        or ""
    )


def to_incoming(payload: dict[str, Any]) -> tuple[Incoming | None, dict[str, Any]]:
    message = payload.get("message") or {}
    contact = payload.get("contact") or {}
    address = identity_of(payload)
    if not address:
        return None, {}
    name = str((contact.get("profile") or {}).get("name") or "")[:150]
    base: dict[str, Any] = {"channel": PLATFORM, "external_id": address, "extra": {"name": name}}
    kind = message.get("type")
    if kind == "text":
        return Incoming(
            kind=Kind.TEXT, text=str((message.get("text") or {}).get("body") or ""), **base
        ), {}
    if kind == "interactive":
        interactive = message.get("interactive") or {}
        reply = interactive.get("button_reply") or interactive.get("list_reply") or {}
        if reply.get("id"):
            return Incoming(
                kind=Kind.BUTTON,
                data=str(reply["id"])[:200],
                extra={"name": name, "label": str(reply.get("title") or "")},
                channel=PLATFORM,
                external_id=address,
            ), {}
        return Incoming(kind=Kind.UNSUPPORTED, **base), {}
    if kind == "button":  # quick-reply button of a template message
        payload_text = str((message.get("button") or {}).get("payload") or "")
        return Incoming(kind=Kind.BUTTON, data=payload_text[:200], **base), {}
    if kind in ("image", "video", "document"):
        caption = str((message.get(kind) or {}).get("caption") or "")
        if caption.strip():
            return Incoming(kind=Kind.TEXT, text=caption, **base), {}
    if kind in ("reaction", "system", "ephemeral", "request_welcome"):
        return None, {}
    return Incoming(kind=Kind.UNSUPPORTED, **base), {}


# ---------------------------------------------------------------- client


class GraphError(Exception):
    def __init__(
        self, outcome: str, message: str, delay: float | None = None, code: int | None = None
    ) -> None:
        super().__init__(message)
        self.outcome = outcome
        self.delay = delay
        self.code = code


class WhatsAppClient:
    """POSTs messages to the Graph API; maps errors to retry / unreachable / failed."""

    def __init__(self, base_url: str, phone_number_id: str, token: str) -> None:
        self.url = f"{base_url.rstrip('/')}/{phone_number_id}/messages"
        self.http = httpx.Client(
            timeout=httpx.Timeout(10, connect=5),
            headers={"Authorization": f"Bearer {token}"},
            limits=httpx.Limits(max_connections=32),
        )
        self.key = (base_url, phone_number_id, token)

    def post(self, to: str, body: dict[str, Any]) -> dict[str, Any]:
        payload: dict[str, Any] = {"messaging_product": "whatsapp", "recipient_type": "individual"}
        # Phone numbers go in "to"; business-scoped user ids (e.g. "CL.123…") in "recipient".
        payload["to" if to.isdigit() else "recipient"] = to
        payload.update(body)
        try:
            response = self.http.post(self.url, json=payload)
        except httpx.HTTPError as exc:
            raise GraphError("retry", f"{type(exc).__name__}: {exc}") from exc
        if response.status_code < 300:
            try:
                return response.json()
            except ValueError:
                return {}
        try:
            error = response.json().get("error") or {}
        except ValueError:
            error = {}
        code = error.get("code")
        text = f"HTTP {response.status_code} code={code}: {error.get('message', '')}"
        retry_after = response.headers.get("Retry-After")
        delay = float(retry_after) if retry_after and retry_after.isdigit() else None
        if response.status_code == 429 or code in RETRY_CODES or response.status_code >= 500:
            raise GraphError("retry", text, delay, code)
        if code in UNREACHABLE_CODES:
            raise GraphError("blocked", text, code=code)
        raise GraphError("failed", text, code=code)

    def send_text(self, to: str, text: str) -> None:
        self.post(to, {"type": "text", "text": {"body": text[:TEXT_LIMIT], "preview_url": False}})

    def send_template(
        self,
        to: str,
        name: str,
        language: str,
        parameters: list[str],
        quick_replies: list[str] | None = None,
    ) -> None:
        """An approved template with text variables {{1}}, {{2}}… in its body. Meta refuses
        variables holding line breaks, tabs or more than four spaces in a row. ``quick_replies``
        are the payloads of the template's quick-reply buttons, in their order (a press comes
        back as a message of type ``button`` with that payload)."""
        components: list[dict[str, Any]] = [
            {
                "type": "body",
                "parameters": [{"type": "text", "text": template_parameter(p)} for p in parameters],
            }
        ]
        components += [
            {
                "type": "button",
                "sub_type": "quick_reply",
                "index": str(n),
                "parameters": [{"type": "payload", "payload": payload}],
            }
            for n, payload in enumerate(quick_replies or [])
        ]
        self.post(
            to,
            {
                "type": "template",
                "template": {
                    "name": name,
                    "language": {"code": language},
                    "components": components,
                },
            },
        )

    def send_buttons(self, to: str, text: str, buttons: list[dict[str, str]]) -> None:
        if len(text) > INTERACTIVE_BODY_LIMIT:
            self.send_text(to, text)
            text = "👇"
        if len(buttons) <= 3 and all(len(b["label"]) <= BUTTON_TITLE for b in buttons):
            self.post(
                to,
                {
                    "type": "interactive",
                    "interactive": {
                        "type": "button",
                        "body": {"text": text},
                        "action": {
                            "buttons": [
                                {"type": "reply", "reply": {"id": b["data"], "title": b["label"]}}
                                for b in buttons
                            ]
                        },
                    },
                },
            )
            return
        pages = [buttons[i : i + MAX_ROWS] for i in range(0, len(buttons), MAX_ROWS)]
        for n, page in enumerate(pages):
            body = text if n == 0 else f"({n + 1}/{len(pages)})"
            self.post(
                to,
                {
                    "type": "interactive",
                    "interactive": {
                        "type": "list",
                        "body": {"text": body},
                        "action": {
                            "button": _list_button_label(),
                            "sections": [
                                {
                                    "title": "Opciones"[:ROW_TITLE],
                                    "rows": [_row(b) for b in page],
                                }
                            ],
                        },
                    },
                },
            )


def template_parameter(text: str) -> str:
    """One line, single spaces, at most TEMPLATE_PARAMETER_LIMIT characters."""
    flat = " ".join(str(text).split())
    if len(flat) > TEMPLATE_PARAMETER_LIMIT:
        flat = flat[: TEMPLATE_PARAMETER_LIMIT - 1].rstrip() + "…"
    return flat or "-"


def push_template() -> tuple[str, dict[str, str]]:
    """The configured push template's name ("" if none) and its language per person language."""
    languages = {}
    for pair in _setting("WHATSAPP_PUSH_TEMPLATE_LANGUAGES", "es:es,en:en").split(","):
        ours, _sep, theirs = pair.partition(":")
        if ours.strip() and theirs.strip():
            languages[ours.strip()] = theirs.strip()
    return _setting("WHATSAPP_PUSH_TEMPLATE"), languages


def _list_button_label() -> str:

    return _("Ver opciones")[:BUTTON_TITLE]


def _row(button: dict[str, str]) -> dict[str, str]:
    label = button["label"]
    row = {"id": button["data"][:200], "title": label[:ROW_TITLE]}
    if len(label) > ROW_TITLE:
        row["description"] = label[:ROW_DESCRIPTION]
    return row


def configured() -> bool:
    return bool(_setting("WHATSAPP_ACCESS_TOKEN") and _setting("WHATSAPP_PHONE_NUMBER_ID"))


_client: WhatsAppClient | None = None
_client_lock = threading.Lock()


def client() -> WhatsAppClient:
    global _client
    key = (
        _setting("WHATSAPP_API_URL", "https://graph.facebook.com/v21.0"),
        _setting("WHATSAPP_PHONE_NUMBER_ID", "not-configured"),
        _setting("WHATSAPP_ACCESS_TOKEN"),
    )
    with _client_lock:
        if _client is None or _client.key != key:
            _client = WhatsAppClient(*key)
        return _client


def send_reply(
    to: str, text: str, buttons: list[dict[str, str]] | None = None
) -> tuple[str, float | None, str]:
    """Send one reply; returns (outcome, retry delay, error) like the Telegram adapter."""
    if not configured():
        return "retry", 600.0, "WHATSAPP_ACCESS_TOKEN is not configured"
    try:
        if buttons:
            client().send_buttons(to, text, buttons)
        elif text:
            client().send_text(to, text)
    except GraphError as exc:
        return exc.outcome, exc.delay, str(exc)
    return "sent", None, ""
