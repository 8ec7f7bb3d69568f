"""Delivery channels plug in here.

A channel is a name and a sender: ``sender(delivery) -> None``. A sender raises
:class:`RetryLater` for a temporary failure (with an optional delay, e.g. Telegram's
``retry_after``) and :class:`Unreachable` when the recipient can no longer be reached on that
channel (e.g. they blocked the bot). Apps register their channels in ``AppConfig.ready``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Delivery

Sender = Callable[["Delivery"], None]


class RetryLater(Exception):
    def __init__(self, message: str = "", *, delay: float | None = None) -> None:
        super().__init__(message)
        self.delay = delay


class Unreachable(Exception):
    """The recipient cannot be reached on this channel any more; stop sending there."""


@dataclass(frozen=True)
class ChannelSpec:
    name: str
    sender: Sender
    # Bot channels send to a ChannelIdentity of the same name; others (inbox, email) do not.
    identity_channel: str | None = None
    # Platform limits the worker enforces (token buckets, per worker process): at most
    # ``rate_per_second`` sends overall and one send per ``per_address_interval`` seconds to the
    # same address (Telegram: 30/s overall, 1 s per chat).
    rate_per_second: float | None = None
    per_address_interval: float | None = None
    # The sender only writes to this database (the web inbox): the worker runs it inside the
    # claim transaction, so its effect and the "sent" mark commit together, exactly once.
    transactional: bool = False


_CHANNELS: dict[str, ChannelSpec] = {}


def register_channel(
    name: str,
    sender: Sender,
    *,
    identity_channel: str | None = None,
    rate_per_second: float | None = None,
    per_address_interval: float | None = None,
    transactional: bool = False,
) -> None:
    """Plug a channel in (call from ``AppConfig.ready``; registering a name again replaces it).

    The sender gets the claimed :class:`~forum.notifications.models.Delivery` (with
    ``notification``, its ``person`` and ``idea`` loaded). It runs outside any transaction and
    should pass ``delivery.pk`` to the platform as an idempotency key where one exists.
    """
    _CHANNELS[name] = ChannelSpec(
        name=name,
        sender=sender,
        identity_channel=identity_channel,
        rate_per_second=rate_per_second,
        per_address_interval=per_address_interval,
        transactional=transactional,
    )


def unregister_channel(name: str) -> None:
    """Remove a channel (tests)."""
    _CHANNELS.pop(name, None)


def get_channel(name: str) -> ChannelSpec | None:
    return _CHANNELS.get(name)


def channels() -> dict[str, ChannelSpec]:
    return dict(_CHANNELS)
