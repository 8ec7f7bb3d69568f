"""Telegram adapter: python-telegram-bot updates → :class:`Incoming`, replies → Bot API calls.

Only translation happens here; the conversation lives in :mod:`forum.bots.engine`.

All Bot API calls go through one initialised ``telegram.Bot`` running on a private event-loop
thread (:class:`TelegramGateway`), so sync code (the outbox worker, management commands) and the
async webhook share one HTTP connection pool. ``TELEGRAM_API_URL`` is python-telegram-bot's
``base_url`` (``https://api.telegram.org/bot`` by default; a fake server in tests).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import threading
from collections.abc import Awaitable, Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from django.conf import settings
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.request import HTTPXRequest

from .messages import Incoming, Kind

log = logging.getLogger(__name__)

PLATFORM = "telegram"
TEXT_LIMIT = 4096
T = TypeVar("T")


def _setting(name: str, default: str = "") -> str:
    return str(getattr(settings, name, "") or default)


def retry_seconds(exc: RetryAfter) -> float:
    """How long Telegram asks us to wait, whichever type python-telegram-bot hands out.

    PTB 22.2+ stores a ``timedelta`` and its public ``retry_after`` converts it back to an int
    with a PTBDeprecationWarning unless ``PTB_TIMEDELTA`` is set; v23 will return the
    ``timedelta``. The stored value is read directly so the worker neither warns nor depends on
    that environment variable; older and newer versions fall back to the public attribute.
    """
    value = getattr(exc, "_retry_after", None)
    if not isinstance(value, dt.timedelta):
        value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)


class TelegramGateway:
    """One python-telegram-bot ``Bot`` on its own event loop thread."""

    def __init__(self, token: str, base_url: str) -> None:
        self.token = token
        self.base_url = base_url
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="telegram-bot", daemon=True
        )
        self._thread.start()
        request = HTTPXRequest(
            connection_pool_size=64,
            connect_timeout=5,
            read_timeout=10,
            write_timeout=10,
            pool_timeout=5,
        )
        self.bot = Bot(token, base_url=base_url, request=request)
        self._init_lock: asyncio.Lock | None = None
        self._initialized = False

    async def _ready(self) -> Bot:
        if self._init_lock is None:
            self._init_lock = asyncio.Lock()
        async with self._init_lock:
            if not self._initialized:
                await self.bot.initialize()
                self._initialized = True
        return self.bot

    async def _call(self, fn: Callable[[Bot], Awaitable[T]]) -> T:
        return await fn(await self._ready())

    def submit(self, fn: Callable[[Bot], Awaitable[T]]) -> Future[T]:
        return asyncio.run_coroutine_threadsafe(self._call(fn), self.loop)

    def call(self, fn: Callable[[Bot], Awaitable[T]], timeout: float = 30) -> T:
        """Run a Bot API call from sync code and wait for it."""
        return self.submit(fn).result(timeout)

    async def acall(self, fn: Callable[[Bot], Awaitable[T]]) -> T:
        """Run a Bot API call from async code (any event loop)."""
        return await asyncio.wrap_future(self.submit(fn))

    def username(self) -> str:
        configured = _setting("TELEGRAM_BOT_USERNAME")
        if configured:
            return configured.lstrip("@")
        try:
            return self.call(lambda bot: _username(bot), timeout=10)
        except Exception:
            log.warning("could not learn the bot's username (getMe failed)")
            return ""

    def close(self) -> None:
        async def _shutdown() -> None:
            if self._initialized:
                await self.bot.shutdown()

        with contextlib.suppress(Exception):  # closing is best effort
            asyncio.run_coroutine_threadsafe(_shutdown(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)


async def _username(bot: Bot) -> str:
    return bot.username or ""


_gateway: TelegramGateway | None = None
_gateway_lock = threading.Lock()


def gateway() -> TelegramGateway:
    """The process-wide gateway for the current settings (tests change the API URL)."""
    global _gateway
    token = _setting("TELEGRAM_BOT_TOKEN") or "0:not-configured"
    base_url = _setting("TELEGRAM_API_URL", "https://api.telegram.org/bot")
    with _gateway_lock:
        if _gateway is None or (_gateway.token, _gateway.base_url) != (token, base_url):
            if _gateway is not None:
                _gateway.close()
            _gateway = TelegramGateway(token, base_url)
        return _gateway


def configured() -> bool:
    return bool(_setting("TELEGRAM_BOT_TOKEN"))


# ---------------------------------------------------------------- inbound


def _is_command_for_us(text: str, username: str) -> bool:
    head = text.strip().split(maxsplit=1)[0] if text.strip() else ""
    if not head.startswith("/") or "@" not in head:
        return False
    return bool(username) and head.split("@", 1)[1].lower() == username.lower()


def shape_problem(data: dict[str, Any]) -> str | None:
    """Why python-telegram-bot's own types cannot read the part of this update the bot acts
    on (None: they can). The webhook refuses such a body with 400 before storing it.

    Only the kinds in :data:`HANDLED_KEYS` are checked: the others (polls, reactions, kinds
    newer than the library) are stored and ignored, whatever the library thinks of them. A
    private text message the library rejects is still read the plain way (``to_incoming``),
    so a typed idea is not refused for a field it does not need."""
    handled = {key: data[key] for key in HANDLED_KEYS.intersection(data)}
    if not handled:
        return None
    try:
        Update.de_json({"update_id": data.get("update_id"), **handled}, None)
    except Exception as exc:  # any failure of the typed parser is a shape it does not know
        if _raw_text_incoming(data) is not None:
            return None
        return f"{type(exc).__name__}: {str(exc)[:200]}"
    return None


def to_incoming(data: dict[str, Any]) -> tuple[Incoming | None, dict[str, Any]]:
    """Translate one raw update. Returns (incoming or None to ignore, side info) where side info
    may carry ``callback_query_id`` (to acknowledge) and ``blocked``/``unblocked`` chat ids."""
    side: dict[str, Any] = {}
    if not HANDLED_KEYS.intersection(data):
        return None, side  # reactions, polls, channel posts, future types: nothing to say
    try:
        update = Update.de_json(data, None)
    except (TypeError, ValueError, KeyError, AttributeError):
        # A shape this python-telegram-bot version rejects: don't lose a typed idea for that.
        log.warning("unparseable Telegram update %s", data.get("update_id"), exc_info=True)
        return _raw_text_incoming(data), side
    if update is None:
        return None, side

    if update.my_chat_member is not None:
        member = update.my_chat_member
        if member.chat.type == "private":
            status = member.new_chat_member.status
            key = "blocked" if status in ("kicked", "left") else "unblocked"
            side[key] = str(member.chat.id)
        return None, side

    if update.callback_query is not None:
        query = update.callback_query
        side["callback_query_id"] = query.id
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != "private":
            return None, side  # buttons are only sent in private chats
        chat_id = chat.id if chat is not None else query.from_user.id
        return Incoming(
            channel=PLATFORM,
            external_id=str(chat_id),
            kind=Kind.BUTTON,
            data=(query.data or "")[:64],
            language_hint=query.from_user.language_code or "",
            extra={"name": _name(query.from_user)},
        ), side

    message = update.message or update.edited_message
    if message is None:
        return None, side  # reactions, polls, channel posts, chat members…: nothing to say
    chat = message.chat
    user = message.from_user
    hint = (user.language_code or "") if user else ""
    extra = {"name": _name(user)}

    def incoming(kind: str, text: str = "", **more: Any) -> Incoming:
        return Incoming(
            channel=PLATFORM,
            external_id=str(chat.id),
            kind=kind,
            text=text,
            language_hint=hint,
            extra=extra,
            **more,
        )

    if chat.type != "private":
        text = message.text or ""
        username = gateway().username()
        if update.edited_message is not None or not _is_command_for_us(text, username):
            return None, side
        extra["bot_username"] = username
        return incoming(Kind.TEXT, text, is_group=True), side
    if update.edited_message is not None:
        return incoming(Kind.EDITED), side
    text = message.text or message.caption or ""
    if text.strip():
        return incoming(Kind.TEXT, text), side
    if message.new_chat_members or message.left_chat_member or message.pinned_message:
        return None, side
    return incoming(Kind.UNSUPPORTED), side


HANDLED_KEYS = frozenset({"message", "edited_message", "callback_query", "my_chat_member"})


def _raw_text_incoming(data: dict[str, Any]) -> Incoming | None:
    message = data.get("message")
    if not isinstance(message, dict):
        return None
    raw_chat = message.get("chat")
    chat = raw_chat if isinstance(raw_chat, dict) else {}
    text = message.get("text") or message.get("caption")
    if chat.get("type") != "private" or not isinstance(text, str) or "id" not in chat:
        return None
    return Incoming(channel=PLATFORM, external_id=str(chat["id"]), kind=Kind.TEXT, text=text)


def _name(user: Any) -> str:
    if user is None:
        return ""
    return " ".join(part for part in (user.first_name, user.last_name) if part)[:150]


# ---------------------------------------------------------------- outbound


def reply_markup(buttons: list[dict[str, str]]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    per_row = 1 if any(len(b["label"]) > 18 for b in buttons) else 2
    rows = [
        [
            InlineKeyboardButton(b["label"][:64], callback_data=b["data"][:64])
            for b in buttons[i : i + per_row]
        ]
        for i in range(0, len(buttons), per_row)
    ]
    return InlineKeyboardMarkup(rows)


class SendOutcome:
    SENT = "sent"
    RETRY = "retry"
    BLOCKED = "blocked"
    FAILED = "failed"


async def send(
    chat_id: str,
    text: str,
    buttons: list[dict[str, str]] | None = None,
    callback_query_id: str | None = None,
) -> tuple[str, float | None, str]:
    """Send one message (and acknowledge a button press) from any event loop.

    Returns (outcome, retry delay in seconds or None, error text)."""
    if not configured():
        return SendOutcome.RETRY, 600.0, "TELEGRAM_BOT_TOKEN is not configured"
    gw = gateway()
    if callback_query_id:
        try:
            await gw.acall(lambda bot: bot.answer_callback_query(callback_query_id))
        except TelegramError as exc:  # too old or already answered: the reply still matters
            log.info("answerCallbackQuery failed: %s", exc)
    if not text:
        return SendOutcome.SENT, None, ""
    markup = reply_markup(buttons or [])
    return await _send_text(gw, chat_id, text, markup)


async def _send_text(
    gw: TelegramGateway, chat_id: str, text: str, markup: InlineKeyboardMarkup | None
) -> tuple[str, float | None, str]:
    try:
        await gw.acall(
            lambda bot: bot.send_message(
                chat_id=int(chat_id), text=text[:TEXT_LIMIT], reply_markup=markup
            )
        )
    except RetryAfter as exc:
        return SendOutcome.RETRY, retry_seconds(exc), str(exc)
    except Forbidden as exc:
        return SendOutcome.BLOCKED, None, str(exc)
    except BadRequest as exc:
        if "chat not found" in str(exc).lower():
            return SendOutcome.BLOCKED, None, str(exc)
        return SendOutcome.FAILED, None, str(exc)
    except (NetworkError, TelegramError, OSError, ValueError) as exc:
        return SendOutcome.RETRY, None, f"{type(exc).__name__}: {exc}"
    return SendOutcome.SENT, None, ""


def send_sync(
    chat_id: str,
    text: str,
    buttons: list[dict[str, str]] | None = None,
    callback_query_id: str | None = None,
) -> tuple[str, float | None, str]:
    """:func:`send` from sync code (the worker), on the gateway's event loop."""
    if not configured():
        return SendOutcome.RETRY, 600.0, "TELEGRAM_BOT_TOKEN is not configured"
    gw = gateway()
    return asyncio.run_coroutine_threadsafe(
        send(chat_id, text, buttons, callback_query_id), gw.loop
    ).result(60)
