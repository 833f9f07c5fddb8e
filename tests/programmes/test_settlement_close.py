"""The settlement from the records: the live figures on GET, closing it once (frozen figures, agreement
settled, a receivable for a recovery above zero, repayments), the schedule (`yunghap remind_settlements`),
the overdue list and `yunghap report settlement` with the issue's keys, in a fixed number of queries."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.programmes.funds_factories import END, START, funds_case
from yunghap.core.models import AuditLog, Notification
from yunghap.programmes import fund_services, settlement_services
from yunghap.programmes.models import Agreement, Receivable, Settlement

pytestmark = pytest.mark.django_db

AFTER = END + datetime.timedelta(days=1)


@pytest.fixture
def today(monkeypatch):
    """Pin `timezone.localdate()` in the services and views (the agreement ended on 2026-11-30)."""

    def pin(day):
        from django.utils import timezone

        monkeypatch.setattr(timezone, "localdate", lambda *a, **k: day)

    pin(datetime.date(2027, 1, 10))
    return pin


def paid_and_spent(case, *, spent=((("personnel", START, 10_000_000, "영수증"),))):
    agreement, central = case["agreement"], case["central"]
    fund_services.record_deposit(agreement, actor=central, deposited_on=START, firm_cash_krw=4_000_000)
    fund_services.record_payment(agreement, actor=central, paid_on=START, government_krw=20_000_000)
    for category, day, amount, evidence in spent:
        fund_services.record_spending(
            agreement,
            actor=central,
            category=category,
            spent_on=day,
            amount_krw=amount,
            payee="p",
            evidence=evidence,
        )


def test_closing_freezes_the_figures_settles_the_agreement_and_opens_a_receivable(today):
    case = funds_case()
    paid_and_spent(
        case,
        spent=[
            ("personnel", START, 18_000_001, "영수증 1"),  # one won over the personnel budget (18,000,000)
            ("materials", END, 3_000_000, "영수증 2"),
            ("materials", AFTER, 500_000, "영수증 3"),  # after the period: kept, not recognised
        ],
    )
    agreement = case["agreement"]
    closed = settlement_services.close_settlement(agreement, actor=case["central"], note="검토 완료")
    # T = 26,666,667; E = 18,000,000 + 3,000,000; due = 20,000,000 × 21,000,000 // 26,666,667 = 15,749,999
    assert (closed.spent_krw, closed.eligible_krw, closed.government_due_krw, closed.recovery_krw) == (
        21_500_001,
        21_000_000,
        15_749_999,
        4_250_001,
    )
    assert closed.figures["categories"][0] == {
        "category": "personnel",
        "budget_krw": 18_000_000,
        "spent_krw": 18_000_001,
        "eligible_krw": 18_000_000,
    }
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.SETTLED
    receivable = Receivable.objects.get(settlement=closed)
    assert (receivable.amount_krw, receivable.due_on, receivable.status) == (
        4_250_001,
        datetime.date(2027, 2, 9),
        "open",
    )
    assert AuditLog.objects.filter(action="programmes.settlement.close").count() == 1
    with pytest.raises(ValidationError) as again:
        settlement_services.close_settlement(agreement, actor=case["central"])
    assert again.value.messages == [f"{agreement.application.ref} 협약의 정산은 이미 확정되었습니다."]
    with pytest.raises(ValidationError):
        fund_services.record_spending(
            agreement,
            actor=case["central"],
            category="personnel",
            spent_on=START,
            amount_krw=1,
            payee="p",
            evidence="e",
        )


def test_a_recovery_of_zero_opens_no_receivable(today):
    case = funds_case()
    paid_and_spent(case, spent=[("personnel", START, 18_000_000, "e"), ("materials", START, 8_666_667, "e")])
    closed = settlement_services.close_settlement(case["agreement"], actor=case["central"])
    assert (closed.government_due_krw, closed.recovery_krw) == (20_000_000, 0)
    assert not Receivable.objects.exists()


def test_no_settlement_before_the_end(today):
    today(END)
    case = funds_case()
    with pytest.raises(ValidationError) as early:
        settlement_services.close_settlement(case["agreement"], actor=case["central"])
    assert early.value.messages == ["협약 기간(2026-11-30까지)이 끝난 뒤 정산할 수 있습니다."]


def test_repayments_until_paid(today):
    case = funds_case()
    paid_and_spent(case)
    closed = settlement_services.close_settlement(case["agreement"], actor=case["central"])
    receivable = closed.receivable
    left = receivable.amount_krw
    with pytest.raises(ValidationError) as over:
        settlement_services.record_repayment(
            receivable, actor=case["central"], paid_on=AFTER, amount_krw=left + 1
        )
    assert over.value.message_dict == {"amount_krw": [f"남은 환수금 {left:,}원보다 많이 납부할 수 없습니다."]}
    settlement_services.record_repayment(receivable, actor=case["central"], paid_on=AFTER, amount_krw=1)
    settlement_services.record_repayment(
        receivable, actor=case["central"], paid_on=AFTER, amount_krw=left - 1
    )
    receivable.refresh_from_db()
    assert receivable.status == Receivable.Status.PAID


def test_staff_close_on_the_page_and_see_the_recovery(client, today):
    case = funds_case()
    paid_and_spent(case)
    client.force_login(case["central"])
    close_url = reverse("programmes:settlement_close", kwargs={"pk": case["agreement"].pk})
    ask = client.get(close_url)
    # T = 26,666,667, E = 10,000,000: due 20,000,000 × E // T = 7,499,999 (rounded down), recovery 12,500,001.
    assert ask.status_code == 200 and "환수액 12,500,001원." in ask.content.decode()
    token = ask.context["form"]["form_token"].value()
    done = client.post(close_url, {"form_token": token, "note": "확인"})
    detail = reverse("programmes:settlement_detail", kwargs={"pk": case["agreement"].pk})
    assert done.status_code == 302 and done["Location"] == detail
    page = client.get(detail).content.decode()
    assert "환수 금액 12,500,001원, 납부 기한 2027-02-09, 미납." in page
    assert Settlement.objects.get().recovery_krw == 12_500_001
    receivables = client.get(reverse("programmes:receivable_list"))
    assert receivables.status_code == 200 and "12,500,001원" in receivables.content.decode()


def test_reminders_end_agreements_notify_once_and_list_the_overdue(today):
    case = funds_case()
    agreement = case["agreement"]
    due = settlement_services.due_on(agreement)
    assert due == datetime.date(2027, 2, 28)  # 2026-11-30 + 3 months
    out = io.StringIO()
    call_command("remind_settlements", "--date", "2027-01-29", stdout=out)
    assert out.getvalue().startswith("정산 대기 전환 1건, 기한 전 알림 1건, 기한 경과 0건")
    agreement.refresh_from_db()
    assert agreement.status == Agreement.Status.ENDED
    note = Notification.objects.get(recipient=case["member"])
    assert note.message == (
        f"협약 {agreement.application.ref} «{agreement.application.title}»의 정산 기한(2027-02-28)이 30일 남았습니다. "
        "집행 내역과 증빙을 확인해 주세요."
    )
    call_command("remind_settlements", "--date", "2027-01-29", stdout=io.StringIO())
    assert Notification.objects.filter(recipient=case["member"]).count() == 1
    out = io.StringIO()
    call_command("remind_settlements", "--date", "2027-03-01", stdout=out)
    assert (
        f"기한 경과: {case['call'].code} {agreement.application.ref} (정산 기한 2027-02-28)" in out.getvalue()
    )


def test_the_overdue_page_computes_and_writes_nothing(client, today):
    today(datetime.date(2027, 3, 5))
    case = funds_case()
    client.force_login(case["central"])
    response = client.get(reverse("programmes:settlement_overdue"))
    assert response.status_code == 200
    assert [row["agreement"].pk for row in response.context["rows"]] == [case["agreement"].pk]
    assert response.context["rows"][0]["days"] == 5
    case["agreement"].refresh_from_db()
    assert case["agreement"].status == Agreement.Status.ACTIVE  # GET never writes


def test_report_settlement_has_the_issues_keys_in_few_queries(tmp_path):
    first = funds_case("c-report")
    paid_and_spent(first)
    second = funds_case(call=first["call"], ref="c-report-002")
    out = io.StringIO()
    with CaptureQueriesContext(connection) as queries:
        call_command("report", "settlement", "--call", "c-report", "--format", "json", stdout=out)
    assert len(queries) <= 8
    body = json.loads(out.getvalue())
    assert [row["ref"] for row in body["agreements"]] == ["c-report-001", "c-report-002"]
    row = body["agreements"][0]
    assert list(row) == [
        "ref",
        "government_krw",
        "government_paid_krw",
        "firm_cash_krw",
        "firm_inkind_krw",
        "spent_krw",
        "eligible_krw",
        "government_due_krw",
        "recovery_krw",
        "categories",
    ]
    assert row["categories"][0] == {
        "category": "personnel",
        "budget_krw": 18_000_000,
        "spent_krw": 10_000_000,
        "eligible_krw": 10_000_000,
    }
    assert (row["government_paid_krw"], row["eligible_krw"], row["government_due_krw"]) == (
        20_000_000,
        10_000_000,
        7_499_999,
    )
    target = tmp_path / "s.xlsx"
    call_command(
        "report",
        "settlement",
        "--call",
        "c-report",
        "--format",
        "xlsx",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    sheet = load_workbook(target).active
    assert [c.value for c in next(sheet.iter_rows(max_row=1))][:3] == [
        "ref",
        "government_krw",
        "government_paid_krw",
    ]
    assert second["agreement"].pk


def test_staff_download_on_the_call(client):
    case = funds_case("c-dl")
    client.force_login(case["central"])
    response = client.get(
        reverse("programmes:call_settlement_download", kwargs={"code": "c-dl"}) + "?format=csv"
    )
    assert response.status_code == 200 and "c-dl-001" in response.content.decode("utf-8-sig")
    bad = client.get(reverse("programmes:call_settlement_download", kwargs={"code": "c-dl"}) + "?format=pdf")
    assert bad.status_code == 400
