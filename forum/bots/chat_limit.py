"""How fast the no-JavaScript web chat (``POST /chat/``) takes messages: at most
``WEBCHAT_POSTS_PER_WINDOW`` per conversation (the signed-in person, or the session's chat id)
and ``WEBCHAT_POSTS_PER_ADDRESS`` per client address (a flood without cookies gets a new session
each time) within ``WEBCHAT_POST_WINDOW_SECONDS``.

The one rate limiter's shared window (:class:`forum.core.ratelimit.CacheWindow`): every daphne
process counts in the same cache (Redis in production). A post is counted before it is handled
(``incr`` is atomic), so a burst of simultaneous posts cannot slip past the limit.
"""

from __future__ import annotations

import math

from django.conf import settings
from django.utils.translation import ngettext

from forum.core.ratelimit import CacheWindow
from forum.participation.accounts import address_key

PREFIX = "webchat-posts"


def webchat_post_wait(*, conversation: str, address: str | None) -> int:
    """Count one post; the whole seconds to wait when it is one too many (0: handle it)."""
    limits = {f"chat:{conversation}": settings.WEBCHAT_POSTS_PER_WINDOW}
    if address:
        limits[f"addr:{address_key(address)}"] = settings.WEBCHAT_POSTS_PER_ADDRESS
    window = CacheWindow(PREFIX, seconds=settings.WEBCHAT_POST_WINDOW_SECONDS)
    over = {key: limit for key, limit in limits.items() if limit > 0 and window.hit(key) > limit}
    return math.ceil(window.wait(over)) if over else 0


def too_fast_message(seconds: int) -> str:
    return ngettext(
        "Estás enviando mensajes demasiado rápido. Espera %(seconds)d segundo y vuelve a "
        "intentarlo: tu mensaje no se envió y sigue en el cuadro de texto.",
        "Estás enviando mensajes demasiado rápido. Espera %(seconds)d segundos y vuelve a "
        "intentarlo: tu mensaje no se envió y sigue en el cuadro de texto.",
        seconds,
    ) % {"seconds": seconds}
