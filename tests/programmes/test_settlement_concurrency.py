"""The money under concurrency (PostgreSQL, two connections): two staff closing one settlement close it
once (one Settlement, one receivable, one audit row); two payments that together would exceed the grant
pay once (the agreement's row lock serialises `funds.payment_breach`)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from tests.factories import make_user
from tests.helpers import at_once
from tests.programmes.funds_factories import START, funds_case
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.programmes import fund_services, settlement_services
from yunghap.programmes.models import Agreement, GovernmentPayment, Receivable, Settlement

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks are tested on PostgreSQL (DATABASE_URL=postgres://…)"
)
pytestmark = [needs_postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_two_staff_closing_one_settlement_close_it_once():
    case = funds_case("c-close-race", starts_on=datetime.date(2025, 1, 1), ends_on=datetime.date(2025, 6, 30))
    agreement = case["agreement"]
    fund_services.record_deposit(agreement, actor=None, deposited_on=START, firm_cash_krw=4_000_000)
    fund_services.record_payment(agreement, actor=None, paid_on=START, government_krw=20_000_000)
    one, two = make_user("closer-1", Role.CENTRAL_STAFF), make_user("closer-2", Role.CENTRAL_STAFF)
    results = at_once(
        lambda: settlement_services.close_settlement(Agreement.objects.get(pk=agreement.pk), actor=one),
        lambda: settlement_services.close_settlement(Agreement.objects.get(pk=agreement.pk), actor=two),
    )
    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 1, results
    assert refused[0].messages == ["c-close-race-001 협약의 정산은 이미 확정되었습니다."]
    assert Settlement.objects.filter(agreement=agreement).count() == 1
    assert Receivable.objects.count() == 1
    assert AuditLog.objects.filter(action="programmes.settlement.close").count() == 1


def test_two_payments_at_once_never_exceed_the_grant():
    case = funds_case("c-pay-race")
    agreement = case["agreement"]
    fund_services.record_deposit(agreement, actor=None, deposited_on=START, firm_cash_krw=4_000_000)
    results = at_once(
        lambda: fund_services.record_payment(
            Agreement.objects.get(pk=agreement.pk), actor=None, paid_on=START, government_krw=15_000_000
        ),
        lambda: fund_services.record_payment(
            Agreement.objects.get(pk=agreement.pk), actor=None, paid_on=START, government_krw=15_000_000
        ),
    )
    assert sum(isinstance(r, ValidationError) for r in results) == 1, results
    assert GovernmentPayment.objects.filter(agreement=agreement).count() == 1
