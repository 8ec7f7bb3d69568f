"""A fake WhatsApp Cloud API (Graph API ``/{phone_number_id}/messages``) on 127.0.0.1.

Records every message posted (with its Authorization header) and can be told to answer with
errors: 429 (rate limit, optional ``Retry-After``), an undeliverable recipient (131026) or 5xx.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


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


@dataclass
class FakeWhatsApp:
    posted: list[Posted] = field(default_factory=list)
    script: list[Scripted] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.server: ThreadingHTTPServer | None = None

    def start(self) -> FakeWhatsApp:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle + delayed ACK
                # stall every keep-alive response on loopback by ~40 ms.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                status, answer, headers = fake.answer(
                    self.path, body, self.headers.get("Authorization", "")
                )
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for key, value in headers.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base_url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.server_address[1]}/v21.0"

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
            to = body.get("to") or body.get("recipient")
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
