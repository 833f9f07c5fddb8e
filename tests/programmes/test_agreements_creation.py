"""Making agreements (협약 체결): one per selected result, the period, amounts and lines of the application,
the payment plan and the report schedule from the call's data; the bulk page asks first and says how many."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import FirmFactory, make_user
from tests.programmes.agreement_factories import agreed, closed_call, select, selected_application
from tests.write_once_support import hidden
from yunghap.accounts.models import Role
from yunghap.programmes import agreement_services as services
from yunghap.programmes.models import Agreement, SelectionResult

pytestmark = pytest.mark.django_db


def test_an_agreement_is_the_applications_period_amounts_and_lines():
    application, result = selected_application(
        starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 12, 31)
    )
    agreement = services.create_agreement(result, actor=None)
    assert (agreement.starts_on, agreement.ends_on) == (
        datetime.date(2026, 3, 1),
        datetime.date(2026, 12, 31),
    )
    assert (agreement.government_krw, agreement.firm_cash_krw, agreement.firm_inkind_krw) == (
        15_000_000,
        2_000_000,
        3_000_000,
    )
    lines = {
        line.category.code: (line.government_krw, line.firm_cash_krw, line.firm_inkind_krw)
        for line in agreement.budget_lines.select_related("category")
    }
    assert lines == {"personnel": (10_000_000, 2_000_000, 3_000_000), "materials": (5_000_000, 0, 0)}
    assert not services.budget_lines_missing(agreement)
    assert agreement.terms.goals == application.summary


def test_made_once_per_result():
    _application, result = selected_application()
    first = services.create_agreement(result, actor=None)
    assert services.create_agreement(result, actor=None) == first
    assert Agreement.objects.count() == 1
    assert first.reports.count() == 2 and first.instalments.count() == 2


def test_without_a_period_the_calls_default_from_today():
    call = closed_call(agreement_months=6)
    _application, result = selected_application(call=call)
    agreement = services.create_agreement(result, actor=None)
    today = timezone.localdate()
    assert agreement.starts_on == today
    assert agreement.ends_on == services.add_months(today, 6) - datetime.timedelta(days=1)


def test_totals_only_applications_give_an_agreement_without_lines():
    _application, result = selected_application(lines={})
    agreement = services.create_agreement(result, actor=None)
    assert agreement.total_krw == 20_000_000
    assert services.budget_lines_missing(agreement)


def test_the_report_schedule_and_payment_plan_follow_the_calls_data():
    call = closed_call(interim_reports=1, final_report_days=30, payment_instalments=2)
    agreement = agreed(call=call, starts_on=datetime.date(2026, 1, 1), ends_on=datetime.date(2026, 12, 31))
    assert [(r.kind, r.seq, r.due_on, r.status) for r in agreement.reports.order_by("due_on")] == [
        ("interim", 1, datetime.date(2026, 7, 2), "scheduled"),  # the period's midpoint
        ("final", 1, datetime.date(2027, 1, 30), "scheduled"),  # 30 days after the end
    ]
    plan = [(i.seq, i.planned_on, i.government_krw) for i in agreement.instalments.all()]
    assert plan == [(1, datetime.date(2026, 1, 1), 7_500_000), (2, datetime.date(2026, 7, 2), 7_500_000)]

    other = closed_call(interim_reports=3, final_report_days=60, payment_instalments=3)
    agreement = agreed(
        call=other,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        government=10_000_000,
        lines={"personnel": (10_000_000, 2_000_000, 3_000_000)},
    )
    reports = agreement.reports.order_by("due_on")
    assert [r.kind for r in reports] == ["interim", "interim", "interim", "final"]
    assert reports.last().due_on == datetime.date(2027, 3, 1)
    amounts = [i.government_krw for i in agreement.instalments.all()]
    assert amounts == [3_333_334, 3_333_333, 3_333_333] and sum(amounts) == agreement.government_krw


def test_only_selected_results_and_only_central_staff():
    application, _result = selected_application()
    other, _ = selected_application(call=application.call)
    other.selection_result.delete()
    refused_result = select(other, outcome=SelectionResult.Outcome.NOT_SELECTED)
    with pytest.raises(ValidationError) as refused:
        services.create_agreement(refused_result, actor=None)
    assert refused.value.messages == ["선정된 신청서만 협약을 체결할 수 있습니다."]
    firm_user = make_user("firmx", Role.FIRM_USER, firm=application.consortium.lead)
    with pytest.raises(PermissionDenied):
        services.create_agreement(application.selection_result, actor=firm_user)


def test_the_bulk_page_asks_first_says_how_many_and_makes_them(client):
    call = closed_call(code="c-bulk")
    for _ in range(3):
        selected_application(call=call)
    _totals_only, _r = selected_application(call=call, lines={})
    central = make_user("central", Role.CENTRAL_STAFF)
    client.force_login(central)
    url = reverse("programmes:call_agreements_create", kwargs={"code": "c-bulk"})
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "c-bulk" in text and "협약이 없는 4건의 협약을 체결합니다." in text
    assert "그중 1건은 신청서에 비목별 예산이 없어" in text
    response = client.post(url, {"form_token": hidden(page, "form_token")}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("programmes:agreement_list") + "?call=c-bulk"
    assert "협약 4건을 체결했습니다." in response.content.decode()
    assert Agreement.objects.filter(application__call=call).count() == 4
    # The same page posted again does nothing more; a fresh visit has nothing left to do.
    again = client.post(url, {"form_token": hidden(page, "form_token")}, follow=True)
    assert "이미 처리된 요청입니다" in again.content.decode()
    assert Agreement.objects.count() == 4
    assert (
        "협약을 체결할 선정 신청서가 없습니다(모두 협약을 체결했습니다)." in client.get(url).content.decode()
    )


def test_the_bulk_page_of_an_undecided_call_does_nothing(client):
    closed_call(code="c-undecided")
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    page = client.get(reverse("programmes:call_agreements_create", kwargs={"code": "c-undecided"}))
    assert page.status_code == 200
    assert "c-undecided 공모의 선정 결과가 아직 확정되지 않았습니다." in page.content.decode()
    assert 'id="confirm-form"' not in page.content.decode()


def test_members_are_told_when_their_agreement_is_made(django_capture_on_commit_callbacks):
    lead = FirmFactory()
    user = make_user("leaduser", Role.FIRM_USER, firm=lead)
    _application, result = selected_application(lead=lead, ref="n-001", title="센서 과제")
    with django_capture_on_commit_callbacks(execute=True):
        services.create_agreement(result, actor=None)
    note = user.notifications.get()
    assert note.code == "programmes.agreement.created"
    assert (
        note.message
        == "n-001 센서 과제 협약이 작성되었습니다. 협약 내용을 확인하고 [협약 확인]을 눌러 주세요."
    )
