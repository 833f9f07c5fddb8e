"""Matching funds through the services, the web pages and the imports: the same rule gives the same
Korean answer whichever path records it; members record deposits and spending, central staff payments;
another consortium's member gets 404 for the funds page and the evidence file."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.programmes.funds_factories import END, PDF, START, funds_case
from tests.transfer.conftest import csv_bytes
from yunghap.core.imports import import_file
from yunghap.core.models import AuditLog
from yunghap.programmes import fund_services
from yunghap.programmes.models import Agreement, Deposit, GovernmentPayment, Spending

pytestmark = pytest.mark.django_db

BEFORE_DEPOSIT = (
    "기업부담 현금 4,000,000원 중 3,000,000원만 2026-03-10까지 입금되어 정부지원금을 지급할 수 없습니다"
    "(기업부담 현금 전액 입금 후 지급)."
)
OVER_GRANT = "지급액 합계 20,000,001원이 정부지원금 20,000,000원을 넘습니다(남은 지급 가능액 0원)."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_payment_waits_for_the_whole_cash_share_in_the_service():
    case = funds_case()
    agreement, central = case["agreement"], case["central"]
    fund_services.record_deposit(agreement, actor=case["member"], deposited_on=START, firm_cash_krw=3_000_000)
    fund_services.record_deposit(
        agreement, actor=case["member"], deposited_on=datetime.date(2026, 3, 11), firm_cash_krw=1_000_000
    )
    with pytest.raises(ValidationError) as refused:
        fund_services.record_payment(
            agreement, actor=central, paid_on=datetime.date(2026, 3, 10), government_krw=10_000_000
        )
    assert refused.value.messages == [BEFORE_DEPOSIT]
    assert refused.value.code == "funds.payment_before_deposit"
    fund_services.record_payment(
        agreement, actor=central, paid_on=datetime.date(2026, 3, 11), government_krw=20_000_000
    )
    with pytest.raises(ValidationError) as over:
        fund_services.record_payment(
            agreement, actor=central, paid_on=datetime.date(2026, 4, 1), government_krw=1
        )
    assert over.value.messages == [OVER_GRANT]
    assert GovernmentPayment.objects.filter(agreement=agreement).count() == 1
    assert AuditLog.objects.filter(action="programmes.payment.record").count() == 1


def test_payments_are_central_staffs_and_spending_the_members():
    case = funds_case()
    with pytest.raises(PermissionDenied):
        fund_services.record_payment(case["agreement"], actor=case["member"], paid_on=START, government_krw=1)
    with pytest.raises(PermissionDenied):
        fund_services.record_spending(
            case["agreement"],
            actor=case["stranger"],
            category="personnel",
            spent_on=START,
            amount_krw=1,
            payee="x",
            evidence="영수증 1",
        )


def test_spending_outside_the_period_or_without_evidence_is_kept_with_reasons():
    case = funds_case()
    agreement, member = case["agreement"], case["member"]
    kwargs = {"actor": member, "category": "personnel", "amount_krw": 1_000, "payee": "(주)한빛"}
    first = fund_services.record_spending(agreement, spent_on=START, evidence="영수증 1", **kwargs)
    last = fund_services.record_spending(agreement, spent_on=END, evidence="영수증 2", **kwargs)
    late = fund_services.record_spending(
        agreement, spent_on=END + datetime.timedelta(days=1), evidence="영수증 3", **kwargs
    )
    bare = fund_services.record_spending(agreement, spent_on=START, **kwargs)
    by_name = fund_services.record_spending(
        agreement,
        actor=member,
        category="연구재료비",
        spent_on=START,
        amount_krw=5,
        payee="p",
        evidence_file=SimpleUploadedFile("a.pdf", PDF),
    )
    assert [s.ineligible_reasons for s in (first, last, late, bare, by_name)] == [
        [],
        [],
        ["outside_period"],
        ["no_evidence"],
        [],
    ]
    assert by_name.category.code == "materials" and by_name.evidence_file.name.endswith(".pdf")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"category": "travel"}, "category", "이 협약의 비목(2026 기준)이 아닙니다."),
        ({"amount_krw": 0}, "amount_krw", "금액은 0보다 큰 정수(원)여야 합니다."),
        ({"amount_krw": -5}, "amount_krw", "금액은 0보다 큰 정수(원)여야 합니다."),
        ({"payee": "  "}, "payee", "지급처를 입력해 주세요."),
        (
            {"evidence_file": SimpleUploadedFile("a.exe", b"MZ\x90\x00")},
            "evidence_file",
            "증빙 파일은 PDF, JPG, PNG, XLSX 형식만 올릴 수 있습니다.",
        ),
        (
            {"evidence_file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00")},
            "evidence_file",
            "파일 내용이 확장자(pdf)와 맞지 않습니다.",
        ),
        (
            {"evidence_file": SimpleUploadedFile("big.png", b"\x89PNG" + b"0" * (10 * 1024 * 1024))},
            "evidence_file",
            "증빙 파일은 10MB 이하여야 합니다.",
        ),
    ],
)
def test_bad_spending_is_refused_and_nothing_is_stored(changes, field, message):
    case = funds_case()
    kwargs = {
        "category": "personnel",
        "spent_on": START,
        "amount_krw": 1_000,
        "payee": "(주)한빛",
        "evidence": "1",
    }
    with pytest.raises(ValidationError) as refused:
        fund_services.record_spending(case["agreement"], actor=case["member"], **{**kwargs, **changes})
    assert refused.value.message_dict == {field: [message]}
    assert not Spending.objects.exists()


def test_nothing_is_recorded_on_a_settled_agreement():
    case = funds_case()
    Agreement.objects.filter(pk=case["agreement"].pk).update(status=Agreement.Status.SETTLED)
    with pytest.raises(ValidationError) as refused:
        fund_services.record_deposit(
            case["agreement"], actor=case["member"], deposited_on=START, firm_cash_krw=1
        )
    assert refused.value.messages == ["정산이 완료된 협약에는 더 이상 기록할 수 없습니다."]
    assert not Deposit.objects.exists()


# --- the web pages -------------------------------------------------------------------------------------------


def test_member_records_spending_with_evidence_and_sees_the_live_settlement(client):
    case = funds_case()
    agreement = case["agreement"]
    client.force_login(case["member"])
    url = reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["payment_form"] is None and page.context["spending_form"] is not None
    response = client.post(
        reverse("programmes:fund_spending_add", kwargs={"pk": agreement.pk}),
        {
            "category": "personnel",
            "spent_on": "2026-04-01",
            "amount_krw": "1,200,000",
            "payee": "(주)한빛소재",
            "evidence_file": SimpleUploadedFile("invoice.pdf", PDF, content_type="application/pdf"),
            "form_token": "t" * 32,
        },
    )
    assert response.status_code == 302 and response["Location"] == url
    spending = Spending.objects.get()
    assert (spending.amount_krw, spending.ineligible_reasons, spending.recorded_by) == (
        1_200_000,
        [],
        case["member"],
    )
    page = client.get(url)
    assert page.context["figures"]["eligible_krw"] == 1_200_000
    assert "1,200,000원" in page.content.decode()
    evidence = client.get(reverse("programmes:spending_evidence", kwargs={"pk": spending.pk}))
    assert evidence.status_code == 200 and b"".join(evidence.streaming_content) == PDF
    # The same token again: nothing written twice.
    again = client.post(
        reverse("programmes:fund_spending_add", kwargs={"pk": agreement.pk}),
        {
            "category": "personnel",
            "spent_on": "2026-04-01",
            "amount_krw": "1",
            "payee": "x",
            "evidence": "1",
            "form_token": "t" * 32,
        },
    )
    assert again.status_code == 302 and Spending.objects.count() == 1


def test_another_consortiums_member_gets_404_for_the_page_and_the_file(client):
    case = funds_case()
    spending = fund_services.record_spending(
        case["agreement"],
        actor=case["member"],
        category="personnel",
        spent_on=START,
        amount_krw=10,
        payee="p",
        evidence_file=SimpleUploadedFile("a.pdf", PDF),
    )
    client.force_login(case["stranger"])
    assert (
        client.get(reverse("programmes:agreement_funds", kwargs={"pk": case["agreement"].pk})).status_code
        == 404
    )
    assert client.get(reverse("programmes:spending_evidence", kwargs={"pk": spending.pk})).status_code == 404
    assert (
        client.post(
            reverse("programmes:fund_deposit_add", kwargs={"pk": case["agreement"].pk}),
            {"deposited_on": "2026-03-01", "firm_cash_krw": "1"},
        ).status_code
        == 404
    )
    assert not Deposit.objects.exists()


def test_form_and_import_give_the_same_refusal_for_an_early_payment(client):
    """One rule, three paths: the service (above), the page's form and the payments import."""
    case = funds_case()
    agreement = case["agreement"]
    fund_services.record_deposit(agreement, actor=case["member"], deposited_on=START, firm_cash_krw=3_000_000)
    client.force_login(case["central"])
    page = client.post(
        reverse("programmes:fund_payment_add", kwargs={"pk": agreement.pk}),
        {"paid_on": "2026-03-10", "government_krw": "10,000,000", "form_token": "p" * 32},
    )
    assert page.status_code == 200
    assert page.context["payment_form"].non_field_errors() == [BEFORE_DEPOSIT]
    report = import_file(
        "payments",
        csv_bytes(
            [["ref", "paid_on", "government_krw"], [agreement.application.ref, "2026-03-10", "10000000"]]
        ),
        actor=None,
        dry_run=False,
        filename="payments.csv",
        options={"call": case["call"].code},
    )
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "government_krw", f"{agreement.application.ref}: {BEFORE_DEPOSIT}")
    ]
    assert not GovernmentPayment.objects.exists()


def test_form_and_import_store_the_same_reasons_for_spending(client):
    case = funds_case()
    agreement = case["agreement"]
    client.force_login(case["member"])
    client.post(
        reverse("programmes:fund_spending_add", kwargs={"pk": agreement.pk}),
        {
            "category": "personnel",
            "spent_on": "2026-12-01",
            "amount_krw": "700",
            "payee": "웹",
            "form_token": "s" * 32,
        },
    )
    import_file(
        "spending",
        csv_bytes(
            [
                ["ref", "spent_on", "category", "amount_krw", "payee", "evidence"],
                [agreement.application.ref, "2026-12-01", "인건비", "700", "파일", ""],
            ]
        ),
        actor=None,
        dry_run=False,
        filename="spending.csv",
        options={"call": case["call"].code},
    )
    assert sorted(Spending.objects.values_list("payee", "ineligible_reasons")) == [
        ("웹", ["outside_period", "no_evidence"]),
        ("파일", ["outside_period", "no_evidence"]),
    ]
    page = client.get(reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk}))
    assert "협약 기간(2026-03-01 ~ 2026-11-30) 밖의 집행입니다." in page.content.decode()
    assert "증빙(파일 또는 문서번호)이 없습니다." in page.content.decode()


def test_an_invalid_form_is_shown_again_with_200_and_nothing_lost(client):
    case = funds_case()
    client.force_login(case["member"])
    response = client.post(
        reverse("programmes:fund_spending_add", kwargs={"pk": case["agreement"].pk}),
        {
            "category": "personnel",
            "spent_on": "2026-04-01",
            "amount_krw": "-3",
            "payee": "한빛",
            "form_token": "q" * 32,
        },
    )
    assert response.status_code == 200
    form = response.context["spending_form"]
    assert form.errors["amount_krw"] == ["금액은 1원 이상이어야 합니다."]
    assert form["payee"].value() == "한빛"


def test_the_funds_page_reads_in_a_fixed_number_of_queries(client, django_assert_max_num_queries):
    case = funds_case()
    agreement = case["agreement"]
    fund_services.record_deposit(agreement, actor=case["member"], deposited_on=START, firm_cash_krw=4_000_000)
    for day in range(20):
        fund_services.record_spending(
            agreement,
            actor=case["member"],
            category="personnel" if day % 2 else "materials",
            spent_on=START + datetime.timedelta(days=day),
            amount_krw=1_000 + day,
            payee="p",
            evidence="" if day % 5 else "e",
        )
    client.force_login(case["central"])
    client.get(
        reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk})
    )  # warm the session and scope
    # 16 for the money, 10 for the traceable chain at the foot of the page (a fixed number, programmes.chain).
    with django_assert_max_num_queries(26):
        page = client.get(reverse("programmes:agreement_funds", kwargs={"pk": agreement.pk}))
    assert page.status_code == 200 and len(page.context["spending"]) == 20
    with django_assert_max_num_queries(11):
        detail = client.get(reverse("programmes:settlement_detail", kwargs={"pk": agreement.pk}))
    assert detail.status_code == 200
