"""Where the shared real data lives: ``shared/`` beside the repository (as in CI), or the
workplace's ``/work/shared``; ``FORO_SHARED_DIR`` overrides both."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

_REPO = Path(__file__).resolve().parents[1]
_CANDIDATES = [
    *([Path(os.environ["FORO_SHARED_DIR"])] if os.environ.get("FORO_SHARED_DIR") else []),
    _REPO.parent / "shared",
    Path("/work/shared"),
]


def shared_file(relative: str) -> Path:
    for base in _CANDIDATES:
        path = base / relative
        if path.exists():
            return path
    return _CANDIDATES[0] / relative


MADRID = shared_file("data/decide_madrid_proposals.csv")


def require(path: Path) -> Path:
    """The file, or a skip (a failure under CI, where shared/ always sits beside the clone)."""
    if not path.exists():
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail(f"CI=true and the shared data file {path} is missing", pytrace=False)
        pytest.skip(f"shared data not present: {path}")
    return path
