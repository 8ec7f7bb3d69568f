"""A fake Telegram Bot API server on 127.0.0.1 for tests and benchmarks.

It speaks enough of the Bot API for python-telegram-bot's real HTTP client (``getMe``,
``sendMessage``, ``answerCallbackQuery``, ``setWebhook``, ``deleteWebhook``), records every call,
and can be told to fail: a scripted answer per call (429 with ``retry_after``, 403 "bot was
blocked by the user", 5xx), or a set of chats that blocked the bot.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from .fake_http import Answer, FakeHTTPServer

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
class FakeTelegram(FakeHTTPServer):
    calls: list[Call] = field(default_factory=list)
    # Answers for the next sendMessage calls, in order (then normal answers again).
    script: list[Scripted] = field(default_factory=list)
    blocked_chats: set[str] = field(default_factory=set)
    delay: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._ids = itertools.count(1000)
        self.sent_event = threading.Condition(self._lock)

    # ------------------------------------------------------------ control

    def handle(self, method: str, path: str, headers: Any, raw: bytes) -> Answer:
        if "json" in headers.get("Content-Type", ""):
            params = json.loads(raw or b"{}")
        else:
            params = {
                k: _decode(v[0]) if k in JSON_FIELDS else v[0]
                for k, v in parse_qs(raw.decode(), keep_blank_values=True).items()
            }
        status, body = self.answer(path.rstrip("/").rsplit("/", 1)[-1], params)
        return status, body, {}

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

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
