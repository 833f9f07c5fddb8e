"""The automatic assignment as a pure function: conflicts, coverage, balance, expertise, determinism.

The property test compares it on small cases with every possible assignment (brute force)."""

from __future__ import annotations

import itertools
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from yunghap.programmes.assignment import Slot, plan_assignments


def _loads_after(pairs, reviewers, loads):
    after = {r: loads.get(r, 0) for r in reviewers}
    for _app, r in pairs:
        after[r] += 1
    return after


def _spread(after):
    return max(after.values()) - min(after.values()) if after else 0


def test_round_robin_without_conflicts():
    slots = [Slot(a, 2) for a in range(1, 6)]
    pairs = plan_assignments(slots, [10, 11, 12], set(), {}, {})
    assert len(pairs) == 10
    after = _loads_after(pairs, [10, 11, 12], {})
    assert sorted(after.values()) == [3, 3, 4]
    assert all(len({r for a, r in pairs if a == app}) == 2 for app in range(1, 6))


def test_never_a_conflicted_pair_and_busy_reviewers_wait():
    slots = [Slot(1, 1), Slot(2, 1)]
    # Reviewer 10 already holds two assignments; 11 and 12 none; 12 has a conflict with application 1.
    pairs = plan_assignments(slots, [10, 11, 12], {(12, 1)}, {}, {10: 2})
    assert pairs == [(1, 11), (2, 12)]


def test_expertise_first_when_the_balance_allows():
    slots = [Slot(1, 1, frozenset({"engine:NGE09-09"})), Slot(2, 1, frozenset({"cap:7"}))]
    expertise = {10: {"cap:7"}, 11: {"engine:NGE09-09"}}
    assert plan_assignments(slots, [10, 11], set(), expertise, {}) == [(1, 11), (2, 10)]


def test_balance_wins_over_expertise():
    # Both applications match only reviewer 10's expertise; balance gives one to 11.
    slots = [Slot(1, 1, frozenset({"x"})), Slot(2, 1, frozenset({"x"}))]
    pairs = plan_assignments(slots, [10, 11], set(), {10: {"x"}}, {})
    assert sorted(r for _a, r in pairs) == [10, 11]


def test_already_assigned_reviewer_is_not_assigned_again():
    pairs = plan_assignments([Slot(1, 1, assigned=frozenset({10}))], [10, 11], set(), {}, {10: 1, 11: 0})
    assert pairs == [(1, 11)]


def test_not_enough_unconflicted_reviewers_fills_what_it_can():
    pairs = plan_assignments([Slot(1, 3)], [10, 11, 12], {(12, 1)}, {}, {})
    assert pairs == [(1, 10), (1, 11)]


@st.composite
def cases(draw):
    reviewers = list(range(100, 100 + draw(st.integers(1, 4))))
    apps = list(range(1, 1 + draw(st.integers(1, 3))))
    needed = {a: draw(st.integers(0, min(2, len(reviewers)))) for a in apps}
    conflicts = {(r, a) for r in reviewers for a in apps if draw(st.integers(0, 4)) == 0}
    loads = {r: draw(st.integers(0, 2)) for r in reviewers}
    keys = ["e1", "e2", "c1"]
    expertise = {r: set(draw(st.lists(st.sampled_from(keys), max_size=2))) for r in reviewers}
    topics = {a: frozenset(draw(st.lists(st.sampled_from(keys), max_size=2))) for a in apps}
    return reviewers, apps, needed, conflicts, loads, expertise, topics


def _brute_force(reviewers, apps, needed, conflicts, loads):
    """Best coverage, and whether some assignment with that coverage is balanced (spread ≤ 1)."""
    options = []
    for a in apps:
        free = [r for r in reviewers if (r, a) not in conflicts]
        k = min(needed[a], len(free))
        options.append([[(a, r) for r in combo] for combo in itertools.combinations(free, k)])
    best_spread = None
    for choice in itertools.product(*options):
        pairs = [p for part in choice for p in part]
        spread = _spread(_loads_after(pairs, reviewers, loads))
        best_spread = spread if best_spread is None else min(best_spread, spread)
    coverage = sum(min(needed[a], len([r for r in reviewers if (r, a) not in conflicts])) for a in apps)
    return coverage, best_spread


@settings(max_examples=300, deadline=None)
@given(cases())
def test_assignment_properties(case):
    reviewers, apps, needed, conflicts, loads, expertise, topics = case
    slots = [Slot(a, needed[a], topics[a]) for a in apps]
    pairs = plan_assignments(slots, reviewers, conflicts, expertise, loads)

    assert not set(pairs) & {(a, r) for r, a in conflicts} and all((r, a) not in conflicts for a, r in pairs)
    assert len(pairs) == len(set(pairs))
    coverage, best_spread = _brute_force(reviewers, apps, needed, conflicts, loads)
    # Each application gets its reviews when enough unconflicted reviewers exist (else as many as exist).
    for a in apps:
        free = len([r for r in reviewers if (r, a) not in conflicts])
        assert len([p for p in pairs if p[0] == a]) == min(needed[a], free)
    assert len(pairs) == coverage
    spread = _spread(_loads_after(pairs, reviewers, loads))
    if best_spread is not None and best_spread <= 1:
        assert spread <= 1
    # Deterministic, whatever the order of the inputs.
    shuffled = list(slots)
    random.Random(7).shuffle(shuffled)
    assert plan_assignments(shuffled, list(reversed(reviewers)), conflicts, expertise, loads) == pairs
