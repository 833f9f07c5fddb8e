"""The score of an application: the mean, trimmed with five reviews or more, rounded half up."""

from decimal import Decimal

from yunghap.programmes.scoring import application_score


def test_no_reviews_no_score():
    assert application_score([]) is None


def test_fewer_than_five_reviews_are_averaged_as_they_are():
    assert application_score([70, 81]) == Decimal("75.50")
    assert application_score([100, 0, 50, 50]) == Decimal("50.00")


def test_exactly_five_reviews_drop_the_single_highest_and_lowest():
    assert application_score([60, 70, 80, 90, 100]) == Decimal("80.00")
    # Only one of two equal highest scores is dropped.
    assert application_score([100, 100, 70, 70, 0]) == Decimal("80.00")


def test_rounding_is_half_up_to_two_decimals():
    assert application_score(["70.005", "70.00"]) == Decimal("70.00")  # 70.0025
    assert application_score(["70.01", "70.00"]) == Decimal("70.01")  # 70.005 → up
    assert application_score([70, 71, 71]) == Decimal("70.67")
