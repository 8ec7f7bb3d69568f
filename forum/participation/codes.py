"""Tracking codes: 8 characters of Crockford base32, typed on a phone, read aloud on the radio.

Crockford's alphabet leaves out I, L, O and U; on input, I and L read as 1 and O as 0, case and
dashes or spaces are ignored. 32**8 ≈ 1.1e12 codes, so a random code is practically unguessable
for the few thousand ideas a region produces, and collisions are retried.
"""

from __future__ import annotations

import re
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 8
_TRANSLATE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_IGNORED = re.compile(r"[\s\-_.·]+")


def generate_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalise_code(raw: str) -> str | None:
    """Return the canonical code for what a person typed, or None if it cannot be one."""
    value = _IGNORED.sub("", (raw or "").upper()).translate(_TRANSLATE)
    if len(value) != LENGTH or any(ch not in ALPHABET for ch in value):
        return None
    return value


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"
