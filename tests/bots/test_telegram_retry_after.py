"""Telegram's flood-control wait (``RetryAfter``) read without python-telegram-bot's warning.

PTB 22.2+ warns (PTBDeprecationWarning) whenever ``RetryAfter.retry_after`` is read without
``PTB_TIMEDELTA``: it will be a ``timedelta`` in v23 and is an int until then. The worker reads it
as seconds either way, without warning.
"""

from __future__ import annotations

import datetime as dt
import warnings
from types import SimpleNamespace

import pytest
from telegram.error import RetryAfter

from forum.bots.telegram import retry_seconds


def _flood(value) -> RetryAfter:
    # PTB's own constructor reads the deprecated property (and warns) in 22.2+; not our code.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return RetryAfter(value)


def _read_without_warnings(exc) -> float:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        seconds = retry_seconds(exc)
    assert [str(w.message) for w in caught] == []
    return seconds


@pytest.mark.parametrize(
    ("given", "seconds"),
    [(30, 30.0), (dt.timedelta(seconds=30), 30.0), (dt.timedelta(milliseconds=1500), 1.5)],
)
def test_retry_after_in_seconds_without_a_warning(given, seconds):
    assert _read_without_warnings(_flood(given)) == seconds


def test_retry_after_when_ptb_hands_out_timedeltas(monkeypatch):
    monkeypatch.setenv("PTB_TIMEDELTA", "true")  # v23's behaviour, opted into early
    exc = _flood(30)
    assert isinstance(exc.retry_after, dt.timedelta)
    assert _read_without_warnings(exc) == 30.0


@pytest.mark.parametrize("value", [12, dt.timedelta(seconds=12)])
def test_retry_after_from_the_public_attribute_alone(value):
    # PTB before 22.2 (an int) or after the deprecation (a timedelta, no private copy).
    assert _read_without_warnings(SimpleNamespace(retry_after=value)) == 12.0
