"""A fake WhatsApp Cloud API (Graph API ``/{phone_number_id}/messages``) on 127.0.0.1.

Records every message posted (with its Authorization header) and can be told to answer with
errors: 429 (rate limit, optional ``Retry-After``), an undeliverable recipient (131026) or 5xx.
Like Meta, it refuses free-form messages to recipients whose 24-hour window is closed (131047;
the test lists them in ``closed_windows``) and checks template messages against the approved
templates in ``templates`` (132001 unknown name/language, 132000 wrong number of variables,
132018 a variable with a line break, a tab or more than four spaces in a row).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from .fake_http import Answer, FakeHTTPServer


@dataclass
class Posted:
    path: str
    body: dict[str, Any]
    authorization: str
    at: float
    status: int = 200


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def rate_limited(retry_after: int | None = None) -> Scripted:
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return Scripted(429, {"error": {"message": "Rate limit hit", "code": 130429}}, headers)


def undeliverable() -> Scripted:
    return Scripted(400, {"error": {"message": "Message Undeliverable.", "code": 131026}})


def server_error(status: int = 500) -> Scripted:
    return Scripted(status, {"error": {"message": "Service temporarily unavailable", "code": 2}})


def _error(code: int, message: str) -> tuple[int, dict[str, Any], dict[str, str]]:
    return 400, {"error": {"message": message, "type": "OAuthException", "code": code}}, {}


_BAD_PARAMETER = re.compile(r"[\n\t]| {5,}")


@dataclass
class FakeWhatsApp(FakeHTTPServer):
    posted: list[Posted] = field(default_factory=list)
    script: list[Scripted] = field(default_factory=list)
    # Recipients who have not written in the last 24 hours.
    closed_windows: set[str] = field(default_factory=set)
    # Approved templates: (name, language code) -> number of body variables.
    templates: dict[tuple[str, str], int] = field(default_factory=dict)
    # Their quick-reply buttons: (name, language code) -> how many (none when not listed).
    template_buttons: dict[tuple[str, str], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> Answer:
        return self.answer(path, json.loads(raw or b"{}"), headers.get("Authorization", ""))

    def _refusal(self, to: str | None, body: dict[str, Any]) -> tuple[int, dict, dict] | None:
        if body.get("type") != "template":
            if to in self.closed_windows:
                return _error(131047, "Re-engagement message")
            return None
        template = body.get("template") or {}
        # JSON values: a malformed name or language (None, a number) is simply not a known key.
        key: tuple[Any, Any] = (template.get("name"), (template.get("language") or {}).get("code"))
        if key not in self.templates:
            return _error(132001, "Template name does not exist in the translation")
        parameters = [
            p
            for c in template.get("components") or []
            if c.get("type") == "body"
            for p in c.get("parameters") or []
        ]
        if len(parameters) != self.templates[key]:
            return _error(132000, "Number of parameters does not match the expected number")
        buttons = [c for c in template.get("components") or [] if c.get("type") == "button"]
        if len(buttons) != self.template_buttons.get(key, 0):
            return _error(132000, "Number of button parameters does not match")
        for n, button in enumerate(buttons):
            payloads = [p.get("payload") for p in button.get("parameters") or []]
            if (
                button.get("sub_type") != "quick_reply"
                or button.get("index") != str(n)
                or len(payloads) != 1
                or not isinstance(payloads[0], str)
                or not payloads[0]
            ):
                return _error(132000, "Invalid quick reply button parameter")
        for p in parameters:
            text = p.get("text")
            if p.get("type") != "text" or not isinstance(text, str) or not text:
                return _error(132000, "Parameter is not text")
            if _BAD_PARAMETER.search(text):
                return _error(132018, "There was an issue with the parameters in your template.")
        return None

    def _create_template(self, body: dict[str, Any]) -> tuple[int, dict, dict]:
        """``POST /{waba_id}/message_templates``: an approved-at-once template (Meta would
        review it first), refused like Meta when malformed or already there."""
        name, language = body.get("name"), body.get("language")
        bodies = [c for c in body.get("components") or [] if c.get("type") == "BODY"]
        if not (isinstance(name, str) and re.fullmatch(r"[a-z0-9_]{1,512}", name)) or not language:
            return _error(100, "Invalid parameter: name")
        if body.get("category") not in {"UTILITY", "MARKETING", "AUTHENTICATION"} or not bodies:
            return _error(100, "Invalid parameter: category or components")
        numbers = [int(n) for n in re.findall(r"\{\{(\d+)\}\}", bodies[0].get("text", ""))]
        examples = (bodies[0].get("example") or {}).get("body_text") or [[]]
        if numbers != list(range(1, len(numbers) + 1)) or len(examples[0]) != len(numbers):
            return _error(100, "Invalid parameter: variables must be {{1}}, {{2}}… with examples")
        if (name, language) in self.templates:
            message = "Content in this language already exists"
            return 400, {"error": {"message": message, "code": 100, "error_subcode": 2388024}}, {}
        self.templates[(name, language)] = len(numbers)
        self.template_buttons[(name, language)] = sum(
            1
            for c in body.get("components") or []
            if c.get("type") == "BUTTONS"
            for b in c.get("buttons") or []
            if b.get("type") == "QUICK_REPLY"
        )
        return 200, {"id": str(next(self._ids)), "status": "PENDING", "category": "UTILITY"}, {}

    def templates_sent(self, to: str | None = None) -> list[dict[str, Any]]:
        return [b["template"] for b in self.delivered(to) if b.get("type") == "template"]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v21.0"

    def answer(
        self, path: str, body: dict[str, Any], auth: str
    ) -> tuple[int, dict[str, Any], dict[str, str]]:
        with self._lock:
            post = Posted(path=path, body=body, authorization=auth, at=time.monotonic())
            self.posted.append(post)
            if self.script:
                scripted = self.script.pop(0)
                post.status = scripted.status
                return scripted.status, scripted.body, scripted.headers
            if path.endswith("/message_templates"):
                result = self._create_template(body)
                post.status = result[0]
                return result
            to = body.get("to") or body.get("recipient")
            refused = self._refusal(to, body)
            if refused is not None:
                post.status = refused[0]
                return refused
            return (
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": to, "wa_id": to}],
                    "messages": [{"id": f"wamid.fake{next(self._ids)}"}],
                },
                {},
            )

    def delivered(self, to: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [
                p.body
                for p in self.posted
                if p.status == 200
                and (to is None or to in (p.body.get("to"), p.body.get("recipient")))
            ]

    def texts(self, to: str | None = None) -> list[str]:
        out = []
        for body in self.delivered(to):
            if body.get("type") == "text":
                out.append(body["text"]["body"])
            elif body.get("type") == "interactive":
                out.append(body["interactive"]["body"]["text"])
        return out


def sign(body: bytes, secret: str) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def text_message(
    wa_id: str, text: str, message_id: str, *, user_id: str | None = None, name: str = "Camila"
) -> dict[str, Any]:
    """A webhook body exactly as Meta sends it for one text message."""
    return _envelope(
        wa_id,
        {
            "from": wa_id,
            "id": message_id,
            "timestamp": str(int(time.time())),
            "type": "text",
            "text": {"body": text},
        },
        user_id=user_id,
        name=name,
    )


def interactive_message(
    wa_id: str, kind: str, reply_id: str, title: str, message_id: str, *, user_id: str | None = None
) -> dict[str, Any]:
    """``kind`` is "button_reply" or "list_reply"."""
    reply: dict[str, Any] = {"id": reply_id, "title": title}
    if kind == "list_reply":
        reply["description"] = ""
    message = {
        "context": {"from": "15550001111", "id": "wamid.prev"},
        "from": wa_id,
        "id": message_id,
        "timestamp": str(int(time.time())),
        "type": "interactive",
        "interactive": {"type": kind, kind: reply},
    }
    return _envelope(wa_id, message, user_id=user_id)


def button_message(
    wa_id: str, payload: str, text: str, message_id: str, *, user_id: str | None = None
) -> dict[str, Any]:
    """A press of a template's quick-reply button, as Meta sends it (type ``button``)."""
    message = {
        "context": {"from": "15550001111", "id": "wamid.template"},
        "from": wa_id,
        "id": message_id,
        "timestamp": str(int(time.time())),
        "type": "button",
        "button": {"payload": payload, "text": text},
    }
    return _envelope(wa_id, message, user_id=user_id)


def status_callback(wa_id: str, status: str, message_id: str) -> dict[str, Any]:
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "15550001111", "phone_number_id": "1234567890"},
        "statuses": [
            {
                "id": message_id,
                "status": status,
                "timestamp": str(int(time.time())),
                "recipient_id": wa_id,
                "conversation": {"id": "c1", "origin": {"type": "service"}},
                "pricing": {"billable": True, "pricing_model": "CBP", "category": "service"},
            }
        ],
    }
    if status == "failed":
        value["statuses"][0]["errors"] = [{"code": 131026, "title": "Message Undeliverable."}]
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"value": value, "field": "messages"}]}],
    }


def _envelope(
    wa_id: str, message: dict[str, Any], *, user_id: str | None = None, name: str = "Camila"
) -> dict[str, Any]:
    contact: dict[str, Any] = {"profile": {"name": name}, "wa_id": wa_id}
    if user_id:
        contact["user_id"] = user_id
        message["from_user_id"] = user_id
    return {
        "object": "whatsapp_business_account",
        "entry": [
            {
                "id": "WABA1",
                "changes": [
                    {
                        "value": {
                            "messaging_product": "whatsapp",
                            "metadata": {
                                "display_phone_number": "15550001111",
                                "phone_number_id": "1234567890",
                            },
                            "contacts": [contact],
                            "messages": [message],
                        },
                        "field": "messages",
                    }
                ],
            }
        ],
    }
