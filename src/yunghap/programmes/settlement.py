"""The settlement (정산) of an agreement, computed from the records, never typed:

- the approved total T = government + firm cash + firm in-kind over the budget lines, and the government
  ratio r = government / T;
- eligible spending E = the sum over categories of the smaller of (eligible spending recorded in the
  category, the category's approved budget);
- the government's due share = the smaller of (the grant, r × E rounded down to the won);
- the amount to recover = government paid − the government's due share, when positive.

All integer won: r × E is computed as government × E // T, so no float ever rounds a won.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Line:
    category: str
    government_krw: int
    firm_cash_krw: int
    firm_inkind_krw: int

    @property
    def total_krw(self) -> int:
        return self.government_krw + self.firm_cash_krw + self.firm_inkind_krw


@dataclass(frozen=True)
class SpendingRow:
    category: str
    amount_krw: int
    eligible: bool


@dataclass
class Settlement:
    grant_krw: int
    government_paid_krw: int
    firm_cash_krw: int
    firm_inkind_krw: int
    approved_total_krw: int
    approved_government_krw: int
    spent_krw: int
    eligible_krw: int
    government_due_krw: int
    recovery_krw: int
    categories: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "government_krw": self.grant_krw,
            "government_paid_krw": self.government_paid_krw,
            "firm_cash_krw": self.firm_cash_krw,
            "firm_inkind_krw": self.firm_inkind_krw,
            "approved_total_krw": self.approved_total_krw,
            "spent_krw": self.spent_krw,
            "eligible_krw": self.eligible_krw,
            "government_due_krw": self.government_due_krw,
            "recovery_krw": self.recovery_krw,
            "categories": self.categories,
        }


def compute(
    *,
    grant_krw: int,
    lines: Iterable[Line],
    spending: Iterable[SpendingRow],
    government_paid_krw: int,
    category_order: Mapping[str, int] | None = None,
) -> Settlement:
    lines = list(lines)
    budget = {line.category: line.total_krw for line in lines}
    spent: dict[str, int] = defaultdict(int)
    recognised: dict[str, int] = defaultdict(int)
    for row in spending:
        spent[row.category] += row.amount_krw
        if row.eligible:
            recognised[row.category] += row.amount_krw
    order = category_order or {}
    codes = sorted(set(budget) | set(spent), key=lambda code: (order.get(code, len(order)), code))
    categories = []
    eligible_total = 0
    for code in codes:
        eligible = min(recognised[code], budget.get(code, 0))
        eligible_total += eligible
        categories.append(
            {
                "category": code,
                "budget_krw": budget.get(code, 0),
                "spent_krw": spent[code],
                "eligible_krw": eligible,
            }
        )
    total = sum(line.total_krw for line in lines)
    government = sum(line.government_krw for line in lines)
    share = government * eligible_total // total if total else 0
    due = min(grant_krw, share)
    return Settlement(
        grant_krw=grant_krw,
        government_paid_krw=government_paid_krw,
        firm_cash_krw=sum(line.firm_cash_krw for line in lines),
        firm_inkind_krw=sum(line.firm_inkind_krw for line in lines),
        approved_total_krw=total,
        approved_government_krw=government,
        spent_krw=sum(spent.values()),
        eligible_krw=eligible_total,
        government_due_krw=due,
        recovery_krw=max(0, government_paid_krw - due),
        categories=categories,
    )
