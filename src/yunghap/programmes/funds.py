"""The rules of the matching funds after the award, one function each, called by the services, the forms
and the imports alike:

- the government's payment is released only after the firms' whole cash share is deposited (deposits dated
  on or before the payment), and payments never add up to more than the grant (`payment_breach`);
- spending dated outside the agreement's period, or without evidence, is kept but not recognised
  (`spending_ineligibility`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from .rules import Breach, won

OUTSIDE_PERIOD = "outside_period"
NO_EVIDENCE = "no_evidence"


def payment_breach(
    *,
    grant_krw: int,
    firm_cash_krw: int,
    deposits: Iterable[tuple[date, int]],
    paid_so_far_krw: int,
    paid_on: date,
    amount_krw: int,
) -> Breach | None:
    """Why a payment of `amount_krw` on `paid_on` may not be made, or None. `deposits`: (date, won) pairs."""
    deposited = sum(amount for day, amount in deposits if day <= paid_on)
    if deposited < firm_cash_krw:
        return Breach(
            "funds.payment_before_deposit",
            {"cash": won(firm_cash_krw), "deposited": won(deposited), "date": paid_on.isoformat()},
        )
    if paid_so_far_krw + amount_krw > grant_krw:
        return Breach(
            "funds.payment_over_grant",
            {
                "paid": won(paid_so_far_krw + amount_krw),
                "grant": won(grant_krw),
                "left": won(max(0, grant_krw - paid_so_far_krw)),
            },
        )
    return None


def spending_ineligibility(*, spent_on: date, starts_on: date, ends_on: date, evidence: bool) -> list[str]:
    """The reason codes why spending is not recognised (empty: recognised). Both ends of the period count."""
    reasons = []
    if not starts_on <= spent_on <= ends_on:
        reasons.append(OUTSIDE_PERIOD)
    if not evidence:
        reasons.append(NO_EVIDENCE)
    return reasons
