"""The convocation rule without a database: quotas, rotation, fatigue, ties, spread."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from forum.convocation.rule import (
    CATEGORIES,
    Candidate,
    Target,
    national_rotation,
    propose,
    quotas,
)
from forum.convocation.rule.rotation import cycle_length

EMP, SELF, EXC, TRAIN, PUB = CATEGORIES


def org(i, category=EMP, **kw):
    return Candidate(id=i, name=kw.pop("name", f"Organización {i:03d}"), category=category, **kw)


def ids(proposal):
    return [p.candidate.id for p in proposal.picks]


def test_default_quotas_are_four_equal_shares_plus_a_public_sector_share():
    assert quotas(9, {EMP: 2, SELF: 2, EXC: 2, TRAIN: 2, PUB: 1}) == {
        EMP: 2,
        SELF: 2,
        EXC: 2,
        TRAIN: 2,
        PUB: 1,
    }
    q = quotas(60, Target(size=60).shares)
    assert sum(q.values()) == 60
    four = [q[EMP], q[SELF], q[EXC], q[TRAIN]]
    assert max(four) - min(four) <= 1  # equal but for one remainder seat
    assert min(four) > q[PUB] > 0


def test_quotas_can_be_configured_per_space():
    assert quotas(10, {EMP: 1, TRAIN: 1}) == {EMP: 5, TRAIN: 5}
    assert quotas(3, {EMP: 1, SELF: 1}) == {EMP: 2, SELF: 1}  # the tie goes to the first


def test_rotation_puts_never_convened_first_then_the_longest_since_the_last_time():
    cands = [
        org(1, last_convened=dt.date(2025, 9, 1), convened_12m=1),
        org(2, last_convened=dt.date(2024, 3, 5), convened_12m=0),
        org(3),
    ]
    p = propose(cands, Target(size=3, shares={EMP: 1}))
    assert ids(p) == [3, 2, 1]
    assert p.picks[0].reason.sentence().startswith("rota: nunca convocada")
    assert p.picks[1].reason.sentence().startswith("rota: no convocada desde 2024-03")


def test_fewer_convocations_in_twelve_months_break_a_tie_of_months():
    cands = [
        org(1, last_convened=dt.date(2025, 3, 20), convened_12m=3),
        org(2, last_convened=dt.date(2025, 3, 2), convened_12m=1),
    ]
    assert ids(propose(cands, Target(size=1, shares={EMP: 1}))) == [2]


def test_a_fatigued_organisation_only_gets_a_seat_nobody_else_can_fill():
    tired = org(1, last_convened=dt.date(2020, 1, 1), convened_12m=5)
    fresh = org(2, last_convened=dt.date(2025, 11, 1), convened_12m=2)
    target = Target(size=1, shares={EMP: 1}, fatigue_cap=4)
    assert ids(propose([tired, fresh], target)) == [2]
    p = propose([tired, fresh], Target(size=2, shares={EMP: 1}, fatigue_cap=4))
    assert ids(p) == [2, 1]
    assert p.picks[1].reason.fatigued
    assert "sobre el tope" in p.picks[1].reason.sentence()


def test_self_employment_in_the_regions_priority_chains_comes_first():
    cands = [
        org(1, SELF, value_chain="minería"),
        org(2, SELF, value_chain="vitivinícola", last_convened=dt.date(2025, 1, 1)),
    ]
    p = propose(
        cands, Target(size=1, shares={SELF: 1}, priority_chains=frozenset({"vitivinícola"}))
    )
    assert ids(p) == [2]
    assert "cadena prioritaria: vitivinícola" in p.picks[0].reason.sentence()


def test_territories_and_groups_not_yet_on_the_list_win_ties():
    cands = [
        org(1, EXC, territory="Talca", at_risk_group="youth"),
        org(2, EXC, territory="Talca", at_risk_group="youth"),
        org(3, EXC, territory="Linares", at_risk_group="youth"),
        org(4, EXC, territory="Talca", at_risk_group="women"),
    ]
    p = propose(cands, Target(size=3, shares={EXC: 1}))
    assert ids(p) == [1, 3, 4]
    assert {p.candidate.territory for p in p.picks} == {"Talca", "Linares"}
    assert {p.candidate.at_risk_group for p in p.picks} == {"youth", "women"}


def test_one_seat_per_organisation_even_when_listed_twice():
    cands = [org(1), org(1), org(2), org(2, TRAIN)]
    p = propose(cands, Target(size=4, shares={EMP: 1, TRAIN: 1}))
    assert sorted(ids(p)) == [1, 2]


def test_a_quota_that_cannot_be_filled_says_why():
    p = propose([org(1), org(2, TRAIN)], Target(size=4, shares={EMP: 1, SELF: 1, TRAIN: 2}))
    assert not p.complete
    by_cat = {s.category: s for s in p.shortfalls}
    assert EMP not in by_cat
    assert (by_cat[TRAIN].missing, by_cat[TRAIN].available) == (1, 1)
    assert "faltan 1 cupos" in by_cat[TRAIN].sentence()
    assert by_cat[SELF].available == 0
    assert "no hay organizaciones disponibles" in by_cat[SELF].sentence()


def test_same_inputs_in_any_order_give_the_same_list():
    cands = [
        org(
            i,
            CATEGORIES[i % 5],
            territory=f"t{i % 4}",
            convened_12m=i % 3,
            last_convened=None if i % 4 == 0 else dt.date(2025, 1 + i % 12, 1),
        )
        for i in range(60)
    ]
    first = propose(cands, Target(size=18))
    shuffled = cands[:]
    random.Random(7).shuffle(shuffled)
    assert propose(shuffled, Target(size=18)) == first


def test_ties_break_by_name_then_id():
    cands = [org(5, name="Beta"), org(4, name="Álamo"), org(3, name="alamo")]
    # Accents and case fold first ("Álamo" = "alamo"), then the exact name, then the id.
    assert ids(propose(cands, Target(size=3, shares={EMP: 1}))) == [3, 4, 5]


def test_excluded_and_already_seated_organisations_are_not_picked_again():
    cands = [org(1), org(2), org(3)]
    p = propose(cands, Target(size=1, shares={EMP: 1}), exclude={1}, already=[org(2)])
    assert ids(p) == [3]


def test_rotation_over_a_cycle_convenes_everyone_before_anyone_twice():
    cands = {i: org(i, territory=f"t{i % 3}") for i in range(10)}
    seen: list[int] = []
    day = dt.date(2025, 1, 1)
    for meeting in range(5):
        p = propose(cands.values(), Target(size=2, shares={EMP: 1}))
        for pick in p.picks:
            c = pick.candidate
            cands[c.id] = org(
                c.id, territory=c.territory, last_convened=day, convened_12m=c.convened_12m + 1
            )
            seen.append(c.id)
        day = dt.date(2025, 2 + meeting, 1)
    assert sorted(seen) == list(range(10))


def test_national_rotation_gives_every_region_every_category_over_a_cycle():
    regions = [f"r{i:02d}" for i in range(16)]
    cats = list(CATEGORIES)
    cycle = national_rotation(regions, cats, 2)
    assert len(cycle) == cycle_length(16, 2) == 8
    for cat in cats:
        held = [r for term in cycle for r in term[cat]]
        assert sorted(held) == regions
    for term in cycle:
        for cat in cats:
            assert len(set(term[cat])) == 2


def test_national_rotation_refuses_more_seats_than_regions():
    with pytest.raises(ValueError, match="more seats"):
        national_rotation(["a"], [EMP], 2)
