"""The one size and rate limit of every WebSocket a browser opens (live threads, web chat).

Each socket keeps a :class:`FrameGuard`: a frame past :data:`MAX_FRAME_BYTES` is refused, and
so is any frame past :data:`FRAME_RATE` (the one rate limiter, :mod:`forum.core.ratelimit`).
A refused frame is answered and dropped; the socket stays open (a close code such as 1009 is
one daphne refuses to send: the client would see 1011). Frames are then read with
:func:`forum.core.text.load_json` (malformed or too deeply nested: a ValueError, never a
RecursionError that would end the consumer).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from .ratelimit import Clock, Limiter, per_second
from .text import load_json

# Fits the longest post or idea the forms accept (5,000 characters) even if a client sends
# every character as a JSON escape pair (an emoji as "\ud83d\ude00": 12 bytes), with room for
# the rest of the message.
MAX_FRAME_BYTES = 64 * 1024
# Frames one socket may send: 5 a second, 10 at once.
FRAME_RATE = per_second(5.0, burst=10.0)

TOO_LARGE = "too_large"
RATE_LIMITED = "rate_limited"

# A client's own id for the message it sent (thread.js: "c12"), found without parsing a frame
# that is refused for its size.
_CLIENT_ID = re.compile(r'"client_id"\s*:\s*"([A-Za-z0-9_.:-]{1,64})"')


class FrameGuard:
    """The limits of one socket."""

    def __init__(self, *, clock: Clock | None = None) -> None:
        self.limiter = Limiter(clock=clock) if clock is not None else Limiter()

    def refuse(self, text_data: str | None, bytes_data: bytes | None) -> str | None:
        """Why this frame is refused (:data:`RATE_LIMITED`, :data:`TOO_LARGE`), or None."""
        if not self.limiter.take("frame", FRAME_RATE):
            return RATE_LIMITED
        size = len(text_data.encode("utf-8", "surrogatepass")) if text_data else 0
        if size + len(bytes_data or b"") > MAX_FRAME_BYTES:
            return TOO_LARGE
        return None


def refusal_message(reason: str) -> str:
    if reason == TOO_LARGE:
        return _("Mensaje demasiado grande (máximo %(kb)d KB).") % {"kb": MAX_FRAME_BYTES // 1024}
    return _("Demasiados mensajes seguidos; espera un poco.")


def client_id_of(text_data: str | None) -> str | None:
    """The ``client_id`` a refused frame carried, so the page can show the error beside the
    message it belongs to."""
    match = _CLIENT_ID.search(text_data or "")
    return match.group(1) if match else None


def read_frame(text_data: str) -> object:
    """A text frame as JSON; ValueError when malformed or nested too deeply."""
    return load_json(text_data)
