"""The matching funds' objects of the permission matrix's world (helper 2).

An agreement of the firm persona's firm (새영테크 leads, with the Seoul chair firm and 구로전자) that ended
last month and awaits its settlement, with a deposit, a payment and a spending row with an evidence file;
and a second, settled agreement of the same consortium members with a recovery (a receivable)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.programmes.factories import make_agreement, make_application, make_call
from yunghap.network.models import Firm
from yunghap.programmes import fund_services, settlement_services
from yunghap.programmes.models import Agreement

PDF = b"%PDF-1.4\n%evidence\n"


def add_funds(w: dict[str, Any], network: Any) -> dict[str, Any]:
    central = w["users"]["central"]
    today = timezone.localdate()
    call = make_call(
        code="c-funds",
        opens_on=today - datetime.timedelta(days=500),
        closes_on=today - datetime.timedelta(days=470),
        published_at=timezone.now() - datetime.timedelta(days=501),
    )
    partners = [network.chair_firm, Firm.objects.get(name="구로전자")]
    starts, ends = today - datetime.timedelta(days=400), today - datetime.timedelta(days=30)
    ended = make_agreement(
        make_application(call, network.member_firm, partners, ref="c-funds-001"),
        starts_on=starts,
        ends_on=ends,
        status=Agreement.Status.ENDED,
    )
    fund_services.record_deposit(ended, actor=central, deposited_on=starts, firm_cash_krw=ended.firm_cash_krw)
    fund_services.record_payment(ended, actor=central, paid_on=starts, government_krw=ended.government_krw)
    spending = fund_services.record_spending(
        ended,
        actor=central,
        category="personnel",
        spent_on=starts + datetime.timedelta(days=10),
        amount_krw=5_000_000,
        payee="(주)한빛소재",
        evidence_file=SimpleUploadedFile("receipt.pdf", PDF, content_type="application/pdf"),
    )
    settled = make_agreement(
        make_application(call, network.member_firm, partners, ref="c-funds-002"),
        starts_on=starts,
        ends_on=ends,
        status=Agreement.Status.ENDED,
    )
    fund_services.record_deposit(
        settled, actor=central, deposited_on=starts, firm_cash_krw=settled.firm_cash_krw
    )
    fund_services.record_payment(
        settled, actor=central, paid_on=starts, government_krw=settled.government_krw
    )
    closed = settlement_services.close_settlement(settled, actor=central)
    return {
        "funds_call": call,
        "funds_agreement": ended,
        "funds_spending": spending,
        "settled_agreement": settled,
        "settlement": closed,
        "receivable": closed.receivable,
    }
