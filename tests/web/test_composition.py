"""The cross-industry make-up of a group: Shannon entropy in nats and Pielou's evenness, by hand."""

import math

import pytest

from yunghap.network.selectors import composition


def test_two_equal_divisions_have_entropy_ln2_and_full_evenness():
    result = composition({"26": 2, "28": 2})
    assert result.members == 4
    assert result.divisions == 2
    assert result.entropy == pytest.approx(math.log(2))
    assert result.evenness == pytest.approx(1.0)


def test_three_to_one_split():
    # H = -(0.75 ln 0.75 + 0.25 ln 0.25) = 0.5623 nats; J = H / ln 2 = 0.8113
    result = composition({"26": 3, "28": 1})
    assert result.entropy == pytest.approx(0.562335, abs=1e-6)
    assert result.evenness == pytest.approx(0.811278, abs=1e-6)
    assert result.counts == (("26", 3), ("28", 1))


def test_four_divisions_one_member_each():
    result = composition({"10": 1, "20": 1, "30": 1, "58": 1})
    assert result.entropy == pytest.approx(math.log(4))
    assert result.evenness == pytest.approx(1.0)


def test_a_single_division_has_zero_entropy_and_no_evenness():
    result = composition({"26": 7})
    assert result.divisions == 1
    assert result.entropy == 0.0
    assert result.evenness is None


def test_empty_group_and_zero_counts():
    assert composition({}).members == 0
    assert composition({}).evenness is None
    result = composition({"26": 2, "28": 0, "29": 2})
    assert result.divisions == 2
    assert result.entropy == pytest.approx(math.log(2))


def test_counts_are_ordered_largest_first_then_by_code():
    result = composition({"58": 1, "26": 5, "10": 1})
    assert result.counts == (("26", 5), ("10", 1), ("58", 1))
