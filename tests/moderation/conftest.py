"""Shared fixtures of the moderation tests: the Madrid proposals and a matcher index of them."""

from __future__ import annotations

import csv

import pytest

from forum.moderation.matcher import DuplicateIndex
from tests.shared_data import MADRID, require


@pytest.fixture(scope="module")
def madrid() -> dict[str, tuple[str, str]]:
    """The 2,738 real proposals, id -> (title, description)."""
    with require(MADRID).open(encoding="utf-8", newline="") as f:
        return {r["id"]: (r["title"], r["description"]) for r in csv.DictReader(f, delimiter=";")}


@pytest.fixture(scope="module")
def madrid_index(madrid) -> DuplicateIndex:
    """All of them in one index, as the product scores: IDF and place names from the corpus."""
    index = DuplicateIndex()
    for key, (title, body) in madrid.items():
        index.add(key, title, body)
    return index
