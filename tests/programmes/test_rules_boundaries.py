"""Every rule code at its boundaries (tests/programmes/rule_cases.py), through the rule functions directly and
through the applications import: one table, the same answers on both paths."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone, translation

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry
from tests.programmes.factories import make_application, make_call
from tests.programmes.rule_cases import CASES, PLAN_BUDGET, RuleCase
from tests.transfer.conftest import csv_bytes
from yunghap.core.imports import import_file
from yunghap.core.validators import format_brn
from yunghap.network.models import Firm
from yunghap.programmes import rules
from yunghap.programmes.models import Application

HEADER = [
    "ref",
    "title",
    "topic",
    "lead_brn",
    "partner_brns",
    "government_krw",
    "firm_cash_krw",
    "firm_inkind_krw",
    "starts_on",
    "ends_on",
    "summary",
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_rule_functions(case: RuleCase):
    breaches = rules.check_all(case.call_rules(), case.budget, case.member_facts())
    assert tuple(breach.code for breach in breaches) == case.expected


def test_the_table_covers_every_rule_code():
    found = {code for case in CASES for code in case.expected}
    assert found == set(rules.RULE_CODES)


def _firms_of(case: RuleCase, call) -> list[Firm]:
    group = GroupFactory()
    firms = []
    for member in case.members:
        firm = FirmFactory(
            industry=industry(member.division),
            status=Firm.Status.ACTIVE if member.active else Firm.Status.CLOSED,
        )
        if member.current_member:
            MembershipFactory(group=group, firm=firm)
        else:  # a member once, who left
            MembershipFactory(
                group=group,
                firm=firm,
                joined_on=datetime.date(2005, 1, 1),
                left_on=datetime.date(2010, 6, 30),
            )
        for n in range(member.earlier):
            # Whatever its status: a withdrawn earlier submission counts too.
            make_application(
                call,
                firm,
                ref=f"old-{firm.pk}-{n}",
                status=Application.Status.WITHDRAWN,
                submitted_at=timezone.now() - datetime.timedelta(days=1),
            )
        firms.append(firm)
    return firms


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_the_applications_import(case: RuleCase):
    call = make_call(**case.rules)
    firms = _firms_of(case, call)
    budget = case.budget
    row = [
        "new-1",
        "경계 사례",
        "",
        format_brn(firms[0].brn),
        ";".join(format_brn(f.brn) for f in firms[1:]),
        f"{budget.government_krw:,}",
        f"{budget.firm_cash_krw:,}",
        str(budget.firm_inkind_krw),
        "2026-07-01",
        "2027-06-30",
        "",
    ]
    report = import_file(
        "applications",
        csv_bytes([HEADER, row]),
        actor=None,
        dry_run=False,
        filename="a.csv",
        options={"call": call.code},
    )
    assert report.ok, report.errors
    assert report.created == 1
    application = Application.objects.get(call=call, ref="new-1")
    assert application.status == Application.Status.SUBMITTED
    assert application.source == Application.Source.IMPORT
    codes = tuple(breach.code for breach in rules.breaches_of(application))
    assert codes == case.expected
    assert application.eligibility == ("ineligible" if case.expected else "eligible")
    # Checking the stored application again (as a call's correction does) gives the same answer.
    assert tuple(b.code for b in rules.check_application(application)) == case.expected


def test_the_boundary_messages_in_korean_and_english():
    rule_set = CASES[0].call_rules()
    over_cap = rules.check_all(
        rule_set, rules.Budget(20_000_001, 1_400_000, 5_266_667), CASES[0].member_facts()
    )
    over_share = rules.check_all(
        rule_set, rules.Budget(15_000_001, 1_000_000, 4_000_000), CASES[0].member_facts()
    )
    low_cash = rules.check_all(
        rule_set, rules.Budget(15_000_000, 999_999, 4_000_001), CASES[0].member_facts()
    )
    with translation.override("ko"):
        assert [b.message for b in over_cap] == [
            "정부지원금이 지원 상한을 넘습니다: 20,000,001원 (상한 20,000,000원)."
        ]
        assert [b.message for b in over_share] == [
            "정부지원금 비율이 75.01%로, 최대 75%를 넘습니다.",
            "기업부담금 비율이 24.99%로, 최소 25%에 못 미칩니다.",
        ]
        assert [b.message for b in low_cash] == [
            "기업부담금 중 현금 비율이 19.99%로, 최소 20%에 못 미칩니다."
        ]
    assert PLAN_BUDGET.as_dict()["government_share"] == "75.00"
