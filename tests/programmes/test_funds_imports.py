"""`yunghap import budgets|deposits|payments|spending FILE --call CODE`: the registry's import rules (dry
run, all or nothing, UTF-8/CP949/XLSX, re-import changes nothing), row errors in Korean naming the row."""

from __future__ import annotations

import datetime

import pytest

from tests.programmes.factories import make_application
from tests.programmes.funds_factories import START, funds_case
from tests.transfer.conftest import csv_bytes, xlsx_bytes
from yunghap.core.imports import import_file
from yunghap.programmes.models import AgreementBudgetLine, Deposit, GovernmentPayment, Spending

pytestmark = pytest.mark.django_db


def run(kind, rows, call, *, dry_run=False, encoding="utf-8", xlsx=False):
    data = xlsx_bytes(rows) if xlsx else csv_bytes(rows, encoding)
    return import_file(
        kind,
        data,
        actor=None,
        dry_run=dry_run,
        filename=f"{kind}.{'xlsx' if xlsx else 'csv'}",
        options={"call": call},
    )


def errors(report):
    return [(e.row, e.column, e.message) for e in report.errors]


BUDGET_HEADER = ["ref", "category", "government_krw", "firm_cash_krw", "firm_inkind_krw"]


def test_budgets_replace_a_refs_lines_when_they_add_up_and_reimport_changes_nothing():
    case = funds_case()
    ref, code = case["agreement"].application.ref, case["call"].code
    rows = [
        BUDGET_HEADER,
        [ref, "personnel", "10,000,000", "2,000,000", "0"],
        [ref, "연구활동비", "10000000", "2000000", "2666667"],
    ]
    dry = run("budgets", rows, code, dry_run=True)
    assert dry.ok and (dry.created, dry.updated) == (1, 1)
    assert (
        AgreementBudgetLine.objects.get(
            agreement=case["agreement"], category__code="personnel"
        ).government_krw
        == 15_000_000
    )
    report = run("budgets", rows, code, encoding="cp949")
    assert report.written and (report.created, report.updated) == (1, 1)
    assert sorted(
        AgreementBudgetLine.objects.filter(agreement=case["agreement"]).values_list(
            "category__code", "government_krw", "firm_cash_krw", "firm_inkind_krw"
        )
    ) == [("activity", 10_000_000, 2_000_000, 2_666_667), ("personnel", 10_000_000, 2_000_000, 0)]
    again = run("budgets", rows, code, xlsx=True)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_budgets_that_do_not_add_up_refuse_the_file_listing_the_refs_rows():
    case = funds_case()
    ref, code = case["agreement"].application.ref, case["call"].code
    report = run(
        "budgets",
        [
            BUDGET_HEADER,
            [ref, "personnel", "19,999,999", "4000000", "0"],
            [ref, "materials", "0", "0", "2666667"],
        ],
        code,
    )
    message = (
        f"접수번호 {ref}의 비목 합계(정부 19,999,999원, 현금 4,000,000원, 현물 2,666,667원)가 신청서의 금액"
        "(정부 20,000,000원, 현금 4,000,000원, 현물 2,666,667원)과 다릅니다(행 2, 3)."
    )
    assert errors(report) == [(2, "", message), (3, "", message)]
    assert (
        AgreementBudgetLine.objects.get(
            agreement=case["agreement"], category__code="personnel"
        ).government_krw
        == 15_000_000
    )


def test_only_selected_applications_with_an_agreement():
    case = funds_case()
    other = make_application(case["call"], case["lead"], ref="c-money-009")  # submitted, never selected
    report = run(
        "deposits",
        [["ref", "deposited_on", "firm_cash_krw"], [other.ref, "2026-03-01", "1"]],
        case["call"].code,
    )
    assert errors(report) == [(2, "ref", "협약이 없는 접수번호입니다(선정된 신청서만 가능): 'c-money-009'")]
    unknown = run("deposits", [["ref", "deposited_on", "firm_cash_krw"], ["x", "2026-03-01", "1"]], "no-call")
    assert errors(unknown) == [(0, "call", "등록되지 않은 공모 코드입니다: 'no-call'")]


def test_deposits_and_payments_in_file_order_and_reimport_changes_nothing():
    case = funds_case()
    ref, code = case["agreement"].application.ref, case["call"].code
    deposits = [
        ["ref", "deposited_on", "firm_cash_krw"],
        [ref, "2026-03-02", "2,000,000"],
        [ref, "2026-03-02", "2,000,000"],
    ]
    assert run("deposits", deposits, code).created == 2
    assert run("deposits", deposits, code).unchanged == 2
    assert Deposit.objects.count() == 2
    payments = [
        ["ref", "paid_on", "government_krw"],
        [ref, "2026-03-02", "15,000,000"],
        [ref, "2026-03-03", "5,000,001"],
    ]
    refused = run("payments", payments, code)
    assert errors(refused) == [
        (
            3,
            "government_krw",
            f"{ref}: 지급액 합계 20,000,001원이 정부지원금 20,000,000원을 넘습니다(남은 지급 가능액 5,000,000원).",
        )
    ]
    assert not GovernmentPayment.objects.exists()
    payments[2][2] = "5,000,000"
    assert run("payments", payments, code).created == 2
    again = run("payments", payments, code)
    assert again.ok and again.unchanged == 2 and GovernmentPayment.objects.count() == 2


def test_spending_import_stores_ineligible_rows_and_refuses_bad_categories_and_amounts():
    case = funds_case()
    ref, code = case["agreement"].application.ref, case["call"].code
    header = ["ref", "spent_on", "category", "amount_krw", "payee", "evidence"]
    bad = run(
        "spending",
        [
            header,
            [ref, "2026-04-01", "travel", "100", "p", "e"],
            [ref, "2026-04-01", "personnel", "-100", "p", "e"],
        ],
        code,
    )
    assert errors(bad) == [
        (2, "category", "알 수 없는 비목입니다: 'travel' (비목 코드 또는 비목명)"),
        (3, "amount_krw", "1 이상이어야 합니다: -100"),
    ]
    good = [
        header,
        [ref, datetime.date(2026, 3, 1), "personnel", 100, "p", "세금계산서 1"],
        [ref, datetime.date(2026, 2, 28), "인건비", 200, "p", "세금계산서 2"],
        [ref, datetime.date(2026, 11, 30), "materials", 300, "p", ""],
    ]
    report = run("spending", good, code, xlsx=True)
    assert report.written and report.created == 3
    assert list(Spending.objects.order_by("amount_krw").values_list("amount_krw", "ineligible_reasons")) == [
        (100, []),
        (200, ["outside_period"]),
        (300, ["no_evidence"]),
    ]
    assert run("spending", good, code, xlsx=True).unchanged == 3


def test_imports_refuse_a_settled_agreement():
    from yunghap.programmes.models import Agreement

    case = funds_case()
    Agreement.objects.filter(pk=case["agreement"].pk).update(status=Agreement.Status.SETTLED)
    ref = case["agreement"].application.ref
    report = run(
        "deposits",
        [["ref", "deposited_on", "firm_cash_krw"], [ref, START.isoformat(), "1"]],
        case["call"].code,
    )
    assert errors(report) == [(2, "ref", f"정산이 완료된 협약입니다: '{ref}'")]


def test_the_command_line_dry_run_then_write(tmp_path):
    import io

    from django.core.management import call_command

    case = funds_case()
    path = tmp_path / "deposits.csv"
    path.write_bytes(
        csv_bytes(
            [
                ["접수번호", "입금일", "입금액"],
                [case["agreement"].application.ref, "2026.03.02", "4,000,000원"],
            ],
            "cp949",
        )
    )
    out = io.StringIO()
    call_command("import", "deposits", str(path), "--call", case["call"].code, "--dry-run", stdout=out)
    assert not Deposit.objects.exists()
    call_command("import", "deposits", str(path), "--call", case["call"].code, stdout=io.StringIO())
    assert list(Deposit.objects.values_list("deposited_on", "firm_cash_krw")) == [
        (datetime.date(2026, 3, 2), 4_000_000)
    ]
