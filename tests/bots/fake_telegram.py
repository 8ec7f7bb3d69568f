"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

It speaks enough of the Bot API for python-telegram-bot's real HTTP client (``getMe``,
``sendMessage``, ``answerCallbackQuery``, ``setWebhook``, ``deleteWebhook``), records every call,
and can be told to fail: a scripted answer per call (429 with ``retry_after``, 403 "bot was
blocked by the user", 5xx), or a set of chats that blocked the bot.
"""

from __future__ import annotations

import itertools
import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

BOT_USERNAME = "ForoAbiertoBot"
# Bot API parameters python-telegram-bot sends JSON-encoded inside a form field.
JSON_FIELDS = {"reply_markup", "entities", "allowed_updates", "link_preview_options"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    at: float
    status: int = 200


def _decode(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


@dataclass
class Scripted:
    status: int
    body: dict[str, Any]


def too_many_requests(retry_after: int = 2) -> Scripted:
    return Scripted(
        429,
        {
            "ok": False,
            "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after},
        },
    )


def blocked() -> Scripted:
    return Scripted(
        403,
        {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"},
    )


def server_error(status: int = 500) -> Scripted:
    return Scripted(
        status, {"ok": False, "error_code": status, "description": "Internal Server Error"}
    )


@dataclass
class FakeTelegram:
    calls: list[Call] = field(default_factory=list)
    # Answers for the next sendMessage calls, in order (then normal answers again).
    script: list[Scripted] = field(default_factory=list)
    blocked_chats: set[str] = field(default_factory=set)
    delay: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self.server: ThreadingHTTPServer | None = None
        self.sent_event = threading.Condition(self._lock)

    # ------------------------------------------------------------ control

    def start(self) -> FakeTelegram:
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
                raw = self.rfile.read(length) if length else b""
                ctype = self.headers.get("Content-Type", "")
                if "json" in ctype:
                    params = json.loads(raw or b"{}")
                else:
                    params = {
                        k: _decode(v[0]) if k in JSON_FIELDS else v[0]
                        for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()
                    }
                method = self.path.rstrip("/").rsplit("/", 1)[-1]
                status, body = fake.answer(method, params)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

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
        return f"http://127.0.0.1:{self.server.server_address[1]}/bot"

    # ------------------------------------------------------------ behaviour

    def answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self.delay:
            time.sleep(self.delay)
        with self._lock:
            call = Call(method=method, params=params, at=time.monotonic())
            self.calls.append(call)
            if method == "getMe":
                return 200, {
                    "ok": True,
                    "result": {
                        "id": 424242,
                        "is_bot": True,
                        "first_name": "Foro Abierto",
                        "username": BOT_USERNAME,
                    },
                }
            if method == "sendMessage":
                scripted = None
                if str(params.get("chat_id")) in self.blocked_chats:
                    scripted = blocked()
                elif self.script:
                    scripted = self.script.pop(0)
                if scripted is not None:
                    call.status = scripted.status
                    self.sent_event.notify_all()
                    return scripted.status, scripted.body
                self.sent_event.notify_all()
                return 200, {
                    "ok": True,
                    "result": {
                        "message_id": next(self._ids),
                        "date": int(time.time()),
                        "chat": {"id": int(params.get("chat_id", 0)), "type": "private"},
                        "text": params.get("text", ""),
                    },
                }
            return 200, {"ok": True, "result": True}

    def sent(self, chat_id: str | int | None = None) -> list[dict[str, Any]]:
        """sendMessage calls that succeeded (optionally to one chat)."""
        with self._lock:
            return [
                c.params
                for c in self.calls
                if c.method == "sendMessage"
                and c.status == 200
                and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
            ]

    def attempts(self, chat_id: str | int | None = None) -> list[Call]:
        with self._lock:
            return [
                c
                for c in self.calls
                if c.method == "sendMessage"
                and (chat_id is None or str(c.params.get("chat_id")) == str(chat_id))
            ]

    def texts(self, chat_id: str | int | None = None) -> list[str]:
        return [p.get("text", "") for p in self.sent(chat_id)]

    def wait_for(self, count: int, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        with self._lock:
            while True:
                n = sum(1 for c in self.calls if c.method == "sendMessage" and c.status == 200)
                if n >= count:
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.sent_event.wait(left)

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
