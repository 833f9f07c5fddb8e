"""Demo money for given agreements (helper 2): the firms' deposits, the government's payments and spending,
through the services, so that the demo shows what the rules do.

Deterministic for a given `rng` and idempotent: an agreement that already has deposits is left alone.
Every agreement gets its whole cash share deposited on its first day and its grant paid the next day,
then spending in its budget's categories; the first agreement's spending includes one row dated after the
period and one without evidence (both kept, ineligible). The first agreement whose period is over is
settled by the system with a recovery above zero (its spending stays well under its budget).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from . import fund_services, settlement_services
from .models import Agreement, Settlement

PAYEES = ["(주)한빛소재", "대성정밀", "미래계측", "에이스금형", "서울테크랩"]


def build_funds_demo(agreements: Iterable[Agreement], rng: random.Random) -> dict[str, Any]:
    today = timezone.localdate()
    counts = {"agreements": 0, "spending": 0, "settled": 0}
    agreements = list(agreements)
    for index, agreement in enumerate(agreements):
        if agreement.deposits.exists():
            continue
        counts["agreements"] += 1
        if agreement.firm_cash_krw:
            fund_services.record_deposit(
                agreement,
                actor=None,
                deposited_on=agreement.starts_on,
                firm_cash_krw=agreement.firm_cash_krw,
                evidence="사업비 계좌 입금 확인서",
            )
        if agreement.government_krw:
            fund_services.record_payment(
                agreement,
                actor=None,
                paid_on=agreement.starts_on + datetime.timedelta(days=1),
                government_krw=agreement.government_krw,
            )
        days = max(1, (agreement.ends_on - agreement.starts_on).days)
        lines = list(agreement.budget_lines.select_related("category"))
        for number, line in enumerate(lines):
            # About 40–70 % of each category: the demo's settlements recover part of the grant.
            amount = line.total_krw * rng.randint(40, 70) // 100
            if amount <= 0:
                continue
            fund_services.record_spending(
                agreement,
                actor=None,
                category=line.category,
                spent_on=agreement.starts_on + datetime.timedelta(days=rng.randint(0, days)),
                amount_krw=amount,
                payee=PAYEES[(index + number) % len(PAYEES)],
                evidence=f"세금계산서 {agreement.pk}-{number + 1}",
            )
            counts["spending"] += 1
        if index == 0 and lines:
            category = lines[0].category
            fund_services.record_spending(
                agreement,
                actor=None,
                category=category,
                spent_on=agreement.ends_on + datetime.timedelta(days=5),
                amount_krw=300_000,
                payee=PAYEES[0],
                evidence="영수증 기간 외",
            )
            fund_services.record_spending(
                agreement,
                actor=None,
                category=category,
                spent_on=agreement.starts_on,
                amount_krw=150_000,
                payee=PAYEES[1],
            )
            counts["spending"] += 2
    if not Settlement.objects.filter(agreement__in=agreements).exists():
        for agreement in agreements:
            agreement.refresh_from_db()
            if agreement.ends_on < today and agreement.status != Agreement.Status.SETTLED:
                closed = settlement_services.close_settlement(agreement, actor=None, note="데모 정산")
                counts["settled"] += 1
                if closed.recovery_krw > 0:
                    break
    return counts
