"""Property-based tests of the convocation rule: any registry and history gives a valid list
or a clear reason why a quota cannot be filled, always the same one."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from forum.convocation.rule import CATEGORIES, Candidate, Target, propose, quotas

days = st.one_of(st.none(), st.dates(dt.date(2022, 1, 1), dt.date(2026, 12, 1)))
candidates = st.lists(
    st.builds(
        Candidate,
        id=st.integers(1, 60),
        name=st.sampled_from(["Alfa", "alfa", "Álfa", "Beta", "Gamma", "Delta"]),
        category=st.sampled_from(CATEGORIES),
        territory=st.sampled_from(["", "Talca", "Curicó", "Linares"]),
        value_chain=st.sampled_from(["", "vino", "turismo"]),
        at_risk_group=st.sampled_from(["", "youth", "women"]),
        last_convened=days,
        convened_12m=st.integers(0, 8),
    ),
    max_size=60,
    unique_by=lambda c: c.id,
)
shares = st.dictionaries(st.sampled_from(CATEGORIES), st.integers(0, 3), min_size=1).filter(
    lambda d: sum(d.values()) > 0
)
targets = st.builds(
    Target,
    size=st.integers(0, 30),
    shares=shares,
    fatigue_cap=st.integers(1, 6),
    priority_chains=st.frozensets(st.sampled_from(["vino", "turismo"])),
)


@settings(max_examples=80, deadline=None)
@given(candidates, targets, st.randoms(use_true_random=False))
def test_any_registry_gives_a_valid_list_or_says_which_quota_is_short(cands, target, rnd):
    p = propose(cands, target)
    q = quotas(target.size, target.shares)
    assert sum(q.values()) == target.size
    picked = [pick.candidate.id for pick in p.picks]
    assert len(picked) == len(set(picked))  # one seat per organisation
    short = {s.category: s for s in p.shortfalls}
    for category, seats in q.items():
        mine = [pick for pick in p.picks if pick.category == category]
        assert all(pick.candidate.category == category for pick in mine)
        available = len({c.id for c in cands if c.category == category})
        if category in short:
            assert len(mine) + short[category].missing == seats
            assert short[category].available == available < seats
        else:
            assert len(mine) == seats
    # Determinism: the same candidates in another order give the same list.
    shuffled = list(cands)
    rnd.shuffle(shuffled)
    assert propose(shuffled, target) == p


@settings(max_examples=80, deadline=None)
@given(candidates, targets)
def test_a_fatigued_organisation_is_picked_only_when_its_category_ran_out(cands, target):
    p = propose(cands, target)
    for category in {pick.category for pick in p.picks}:
        mine = [pick for pick in p.picks if pick.category == category]
        picked = {pick.candidate.id for pick in mine}
        if any(pick.reason.fatigued for pick in mine):
            fresh = {
                c.id
                for c in cands
                if c.category == category and c.convened_12m < target.fatigue_cap
            }
            assert fresh <= picked
