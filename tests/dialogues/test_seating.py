"""The seating rule (pure Python, no database): every table mixes the actor categories and no
organisation crowds a table while another table has room for its people."""

from __future__ import annotations

from collections import Counter

import pytest

from forum.dialogues.seating import Guest, seat

CATS = ["employers", "self_employment", "exclusion_groups", "training_providers"]


def _guests(n: int, orgs: int) -> list[Guest]:
    return [Guest(i, i % orgs if orgs else None, CATS[i % len(CATS)]) for i in range(n)]


def test_everyone_is_seated_once_and_sizes_differ_by_at_most_one():
    tables = seat(_guests(37, 20), table_size=8)
    assert len(tables) == 5
    ids = [g.person_id for t in tables for g in t]
    assert sorted(ids) == list(range(37))
    sizes = [len(t) for t in tables]
    assert max(sizes) - min(sizes) <= 1


def test_each_table_mixes_every_category():
    tables = seat(_guests(40, 40), table_size=8)
    for t in tables:
        assert set(g.category for g in t) == set(CATS)


def test_colleagues_are_spread_over_tables():
    # Ten people of one organisation, thirty of others: at most two per table of five tables.
    guests = [Guest(i, 1, "employers") for i in range(10)]
    guests += [Guest(100 + i, 2 + i, CATS[i % 4]) for i in range(30)]
    tables = seat(guests, table_size=8)
    for t in tables:
        assert Counter(g.organisation_id for g in t)[1] <= 2


def test_the_rule_is_deterministic_whatever_the_input_order():
    guests = _guests(30, 7)
    assert seat(guests) == seat(list(reversed(guests)))


def test_empty_and_bad_sizes():
    assert seat([]) == []
    with pytest.raises(ValueError, match="table_size"):
        seat(_guests(3, 1), table_size=0)
