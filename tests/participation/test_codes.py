"""Tracking codes: short, typeable, and found however a person types them."""

from __future__ import annotations

import pytest

from forum.participation import codes, selectors
from forum.participation.models import Idea
from tests import factories


def test_generated_codes_use_crockford_alphabet():
    seen = {codes.generate_code() for _ in range(500)}
    assert len(seen) == 500
    for code in seen:
        assert len(code) == 8
        assert not set(code) & set("ILOU")
        assert set(code) <= set(codes.ALPHABET)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ABCD-EFGH", "ABCDEFGH"),
        ("abcd-efgh", "ABCDEFGH"),
        (" ABCD EFGH ", "ABCDEFGH"),
        ("abcd  efgh\n", "ABCDEFGH"),
        ("AB1D-EF0H", "AB1DEF0H"),
        ("abId-efoh", "AB1DEF0H"),  # I → 1, o → 0
        ("ABLD.EFOH", "AB1DEF0H"),  # L → 1
        ("abcd_efgh", "ABCDEFGH"),
    ],
)
def test_normalise_accepts_what_people_type(typed, expected):
    assert codes.normalise_code(typed) == expected


@pytest.mark.parametrize(
    "typed", ["", "   ", "ABCDEFG", "ABCDEFGHJ", "ABCD-EFGU", "ABCD-EF#H", None]
)
def test_normalise_rejects_non_codes(typed):
    assert codes.normalise_code(typed) is None


def test_format_code():
    assert codes.format_code("ABCDEFGH") == "ABCD-EFGH"


@pytest.mark.django_db
def test_idea_by_code_is_case_and_separator_insensitive():
    idea = factories.idea()
    Idea.objects.filter(pk=idea.pk).update(tracking_code="AB1DEF0H")
    for typed in ("ab1d-ef0h", " AB1D EF0H ", "abid-efoh", "ABLDEFOH"):
        found = selectors.idea_by_code(typed)
        assert found is not None, typed
        assert found.pk == idea.pk, typed
    assert selectors.idea_by_code("ZZZZ-ZZZZ") is None
    assert selectors.idea_by_code("hola") is None


@pytest.mark.django_db
def test_submitted_ideas_get_distinct_valid_codes():
    author = factories.person()
    ideas = [factories.idea(author=author) for _ in range(30)]
    got = [i.tracking_code for i in ideas]
    assert len(set(got)) == 30
    assert all(codes.normalise_code(c) == c for c in got)
