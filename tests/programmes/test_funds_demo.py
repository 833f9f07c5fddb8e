"""`build_funds_demo` on factory agreements: deposits, payments, spending with one row outside the period and
one without evidence, one settlement closed with a recovery; a second run changes nothing."""

from __future__ import annotations

import datetime
import random

import pytest
from django.utils import timezone

from tests.programmes.funds_factories import funds_case
from yunghap.programmes.demo_funds import build_funds_demo
from yunghap.programmes.models import Deposit, GovernmentPayment, Receivable, Settlement, Spending

pytestmark = pytest.mark.django_db


def test_funds_demo_is_deterministic_and_idempotent():
    today = timezone.localdate()
    ended = funds_case(
        "c-demo-1",
        starts_on=today - datetime.timedelta(days=400),
        ends_on=today - datetime.timedelta(days=40),
    )
    running = funds_case("c-demo-2")
    agreements = [ended["agreement"], running["agreement"]]
    counts = build_funds_demo(agreements, random.Random(7))
    assert counts["agreements"] == 2 and counts["settled"] == 1
    assert Deposit.objects.count() == 2 and GovernmentPayment.objects.count() == 2
    reasons = sorted(
        tuple(r)
        for r in Spending.objects.exclude(ineligible_reasons=[]).values_list("ineligible_reasons", flat=True)
    )
    assert reasons == [("no_evidence",), ("outside_period",)]
    closed = Settlement.objects.get()
    assert closed.agreement_id == ended["agreement"].pk and closed.recovery_krw > 0
    assert Receivable.objects.get().amount_krw == closed.recovery_krw
    before = Spending.objects.count()
    again = build_funds_demo(agreements, random.Random(7))
    assert again == {"agreements": 0, "spending": 0, "settled": 0} and Spending.objects.count() == before
