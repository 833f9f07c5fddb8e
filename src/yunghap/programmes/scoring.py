"""The score of an application: one rule, used by the selection, the reports and the applicant's page.

The mean of its reviews; with five or more, the single highest and the single lowest are dropped first;
rounded half up to two decimals. No reviews: no score (None).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

TRIM_FROM = 5  # with this many reviews or more, drop the highest and the lowest
PLACES = Decimal("0.01")


def application_score(scores: Iterable[Decimal | int | str]) -> Decimal | None:
    values = sorted(Decimal(str(score)) for score in scores)
    if not values:
        return None
    if len(values) >= TRIM_FROM:
        values = values[1:-1]
    return (sum(values, Decimal(0)) / len(values)).quantize(PLACES, rounding=ROUND_HALF_UP)
