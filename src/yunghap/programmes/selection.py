"""The selection (선정) of a call within its budget and quota: one pure rule over plain rows.

`select(rows, rules, call=CODE)` decides from plain rows (one per submitted application) and the call's rule
set, whatever the order of the rows; `propose(call)` reads those rows in two queries and returns the same
proposal `yunghap select --format json` prints, the staff's proposal page shows and a decision records.

The rule: an application's score is `scoring.application_score` of its submitted reviews. An eligible
application with fewer reviews than the call asks is not ranked (`incomplete_review`); one under the pass
score is not selected (`below_pass`). The rest are funded down the list by rounded score (ties: the smaller
government request first, then the earlier submission, then the ref) while the quota lasts (`quota`); one
whose government grant exceeds the budget still left is skipped (`budget`) and the next one considered.
Ineligible applications are listed with the codes of the rules they break.
"""

from __future__ import annotations

import datetime
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .rules import CallRules
from .scoring import application_score

INCOMPLETE_REVIEW = "incomplete_review"
BELOW_PASS = "below_pass"  # noqa: S105  (a reason code, not a password)
QUOTA = "quota"
BUDGET = "budget"
# The first that applies is an application's reason.
REASONS = (INCOMPLETE_REVIEW, BELOW_PASS, QUOTA, BUDGET)

SELECTED = "selected"
NOT_SELECTED = "not_selected"
INELIGIBLE = "ineligible"

# Submissions without a time (none should exist) sort after every dated one.
_LATEST = datetime.datetime.max.replace(tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Row:
    """One submitted application as the selection sees it."""

    ref: str
    eligible: bool
    rules: tuple[str, ...]  # codes of the broken rules (ineligible applications)
    scores: tuple[Decimal, ...]  # its submitted reviews' scores
    government_krw: int
    submitted_at: datetime.datetime | None


@dataclass(frozen=True)
class Outcome:
    ref: str
    outcome: str  # selected, not_selected, ineligible
    rank: int | None
    score: Decimal | None
    government_krw: int
    reason: str  # not_selected only
    rules: tuple[str, ...]  # ineligible only


def _rank_key(row: Row, score: Decimal | None) -> tuple[Any, ...]:
    # Higher score first (no score last), then the smaller government request, the earlier submission, the ref.
    return (
        score is None,
        -(score or Decimal(0)),
        row.government_krw,
        row.submitted_at or _LATEST,
        row.ref,
    )


def outcomes(rows: Iterable[Row], rules: CallRules) -> list[Outcome]:
    """Every application's outcome: the selected in rank order, then the not selected in ranking order,
    then the ineligible by ref. The same for any order of `rows` (refs are unique within a call)."""
    scored = [(row, application_score(row.scores)) for row in rows]
    scored.sort(key=lambda pair: _rank_key(*pair))
    selected: list[Outcome] = []
    not_selected: list[Outcome] = []
    left = rules.budget_krw
    for row, score in scored:
        if not row.eligible:
            continue
        reason = ""
        if len(row.scores) < rules.reviews_per_application:
            reason = INCOMPLETE_REVIEW
        elif score is None or score < rules.pass_score:
            reason = BELOW_PASS
        elif len(selected) >= rules.quota:
            reason = QUOTA
        elif row.government_krw > left:
            reason = BUDGET
        if reason:
            not_selected.append(Outcome(row.ref, NOT_SELECTED, None, score, row.government_krw, reason, ()))
            continue
        left -= row.government_krw
        selected.append(Outcome(row.ref, SELECTED, len(selected) + 1, score, row.government_krw, "", ()))
    ineligible = [
        Outcome(row.ref, INELIGIBLE, None, score, row.government_krw, "", row.rules)
        for row, score in sorted(scored, key=lambda pair: pair[0].ref)
        if not row.eligible
    ]
    return [*selected, *not_selected, *ineligible]


def select(rows: Iterable[Row], rules: CallRules, *, call: str) -> dict[str, Any]:
    """The proposal as data (scores as `Decimal` with two places, or None): see `proposal_json`."""
    results = outcomes(rows, rules)
    selected = [o for o in results if o.outcome == SELECTED]
    return {
        "call": call,
        "budget_krw": rules.budget_krw,
        "quota": rules.quota,
        "government_total_krw": sum(o.government_krw for o in selected),
        "selected": [
            {"ref": o.ref, "rank": o.rank, "score": o.score, "government_krw": o.government_krw}
            for o in selected
        ],
        "not_selected": [
            {"ref": o.ref, "score": o.score, "reason": o.reason} for o in results if o.outcome == NOT_SELECTED
        ],
        "ineligible": [{"ref": o.ref, "rules": list(o.rules)} for o in results if o.outcome == INELIGIBLE],
    }


def rows_of(call: Any) -> list[Row]:
    """The submitted applications of `call` as rows: two queries, whatever their number."""
    from django.db.models import F, JSONField, Value, When
    from django.db.models.expressions import Case

    from .models import Application, Review

    ineligible = Application.Eligibility.INELIGIBLE
    scores: dict[int, list[Decimal]] = defaultdict(list)
    for application_id, score in Review.objects.filter(
        application__call=call, application__status=Application.Status.SUBMITTED
    ).values_list("application_id", "score"):
        scores[application_id].append(score)
    # The broken rules are read for the ineligible only (decoding 5,000 empty lists costs more than the rest).
    breaches = Case(
        When(eligibility=ineligible, then=F("breaches")), default=Value(None), output_field=JSONField()
    )
    return [
        Row(
            ref=ref,
            eligible=eligibility != ineligible,
            rules=tuple(str(breach["code"]) for breach in found or ()),
            scores=tuple(scores.get(pk, ())),
            government_krw=government_krw,
            submitted_at=submitted_at,
        )
        for pk, ref, eligibility, found, government_krw, submitted_at in Application.objects.filter(
            call=call, status=Application.Status.SUBMITTED
        )
        .annotate(broken=breaches)
        .values_list("pk", "ref", "eligibility", "broken", "government_krw", "submitted_at")
    ]


def propose(call: Any, *, rules: CallRules | None = None) -> dict[str, Any]:
    """The selection proposal of `call` under its current rule set (or `rules`)."""
    return select(rows_of(call), rules or CallRules.of(call), call=call.code)


# --- the proposal as JSON -----------------------------------------------------------------------------------

_MARK = "\u0000decimal:"
_MARKED = re.compile(r'"\\u0000decimal:(-?[0-9]+\.[0-9]{2})"')


def proposal_json(proposal: dict[str, Any], *, indent: int | None = 2) -> str:
    """The proposal as printed: scores as JSON numbers with exactly two decimals (`85.50`) or `null`."""
    text = json.dumps(_marked(proposal), ensure_ascii=False, indent=indent)
    return _MARKED.sub(r"\1", text)


def _marked(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{_MARK}{value.quantize(Decimal('0.01'))}"
    if isinstance(value, dict):
        return {k: _marked(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_marked(v) for v in value]
    return value


def proposal_data(proposal: dict[str, Any]) -> dict[str, Any]:
    """The printed JSON read back (what a decision stores): scores as numbers."""
    loaded: dict[str, Any] = json.loads(proposal_json(proposal, indent=None))
    return loaded


def outcome_by_ref(proposal: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """ref → {outcome, rank, score, government_krw, reason, rules} over the three lists of a proposal."""
    found: dict[str, dict[str, Any]] = {}
    for item in proposal["selected"]:
        found[item["ref"]] = {"outcome": SELECTED, "reason": "", "rules": [], **item}
    for item in proposal["not_selected"]:
        found[item["ref"]] = {"outcome": NOT_SELECTED, "rank": None, "rules": [], **item}
    for item in proposal["ineligible"]:
        found[item["ref"]] = {"outcome": INELIGIBLE, "rank": None, "score": None, "reason": "", **item}
    return found
