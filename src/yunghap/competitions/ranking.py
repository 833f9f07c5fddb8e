"""The ranking of a competition: one pure rule over plain rows, the calls' scoring reused.

A reviewer's total for an entry is the weighted sum of their points: each criterion gives
points / maximum × weight (the weights add up to 100), rounded half up to two decimals (`sheet_total`).
An entry's score is `programmes.scoring.application_score` of its reviewers' totals — the same rule as an
application's (the mean; with five or more, the highest and the lowest dropped; half up to two decimals).

Only submitted entries with at least the competition's number of score sheets are ranked. Down the list by
score; equal scores (a tie) are ordered by the earlier submission, then the entry id, so every rank is held
by exactly one entry (an award is unique per rank) and the tie is shown as such.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from yunghap.programmes.scoring import PLACES, application_score

_LATEST = datetime.datetime.max.replace(tzinfo=datetime.UTC)


def sheet_total(points: Iterable[tuple[Decimal, int, int]]) -> Decimal:
    """(points, weight, max points) per criterion → the total out of 100."""
    total = sum((Decimal(p) / Decimal(top) * Decimal(weight) for p, weight, top in points), Decimal(0))
    return total.quantize(PLACES, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Row:
    entry: int
    totals: tuple[Decimal, ...]  # the reviewers' totals
    submitted_at: datetime.datetime | None


@dataclass(frozen=True)
class Ranked:
    entry: int
    rank: int | None  # None: not ranked (fewer score sheets than required)
    score: Decimal | None
    sheets: int
    tie: bool  # the same score as another ranked entry


def rank(rows: Iterable[Row], *, sheets_required: int) -> list[Ranked]:
    """Ranked entries in rank order, then the unranked by entry id; the same for any order of `rows`."""
    scored = [(row, application_score(row.totals)) for row in rows]
    complete = [
        (row, score) for row, score in scored if len(row.totals) >= sheets_required and score is not None
    ]
    complete.sort(key=lambda pair: (-(pair[1] or Decimal(0)), pair[0].submitted_at or _LATEST, pair[0].entry))
    counts: dict[Decimal, int] = {}
    for _row, score in complete:
        assert score is not None
        counts[score] = counts.get(score, 0) + 1
    ranked = [
        Ranked(row.entry, place, score, len(row.totals), counts[score] > 1)  # type: ignore[index]
        for place, (row, score) in enumerate(complete, start=1)
    ]
    done = {r.entry for r in ranked}
    rest = sorted((pair for pair in scored if pair[0].entry not in done), key=lambda pair: pair[0].entry)
    return ranked + [Ranked(row.entry, None, score, len(row.totals), False) for row, score in rest]
