from __future__ import annotations

import pytest

from forum.notifications import registry


@pytest.fixture
def channels():
    """Register test channels for one test; the registry is restored afterwards."""
    saved = dict(registry._CHANNELS)
    yield registry.register_channel
    registry._CHANNELS.clear()
    registry._CHANNELS.update(saved)


class Recorder:
    """A sender that records calls and plays a script of outcomes (exceptions or None)."""

    def __init__(self, *script: BaseException | None) -> None:
        self.script = list(script)
        self.calls: list[int] = []

    def __call__(self, delivery) -> None:
        self.calls.append(delivery.pk)
        if self.script:
            outcome = self.script.pop(0)
            if outcome is not None:
                raise outcome


@pytest.fixture
def recorder_factory():
    return Recorder
