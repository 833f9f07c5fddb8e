"""In Chromium (issue 10 browser test): a consortium member records spending with an evidence file on the
funds page and sees it recognised; central staff close the settlement, asked first, and see the recovery."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import login
from tests.factories import make_user
from tests.programmes.funds_factories import PDF, funds_case
from yunghap.accounts.models import Role
from yunghap.programmes import fund_services
from yunghap.programmes.models import Receivable, Settlement, Spending

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_member_records_spending_with_evidence_and_staff_close_with_the_recovery(
    page, live_server, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    starts, ends = today - datetime.timedelta(days=300), today - datetime.timedelta(days=10)
    case = funds_case("c-browser", starts_on=starts, ends_on=ends)
    agreement = case["agreement"]
    make_user("fb-member", Role.FIRM_USER, firm=case["lead"])
    make_user("fb-staff", Role.CENTRAL_STAFF)
    fund_services.record_deposit(agreement, actor=None, deposited_on=starts, firm_cash_krw=4_000_000)
    fund_services.record_payment(agreement, actor=None, paid_on=starts, government_krw=20_000_000)
    evidence = tmp_path / "invoice.pdf"
    evidence.write_bytes(PDF)

    login(page, live_server, "fb-member", "pw-fb-member-2026!")
    page.goto(f"{live_server.url}/programmes/agreements/{agreement.pk}/funds/")
    form = page.locator("#spending-form")
    form.locator("select[name=category]").select_option("personnel")
    form.locator("input[name=spent_on]").fill((starts + datetime.timedelta(days=20)).isoformat())
    form.locator("input[name=amount_krw]").fill("10,000,000")
    form.locator("input[name=payee]").fill("(주)한빛소재")
    form.locator("input[name=evidence_file]").set_input_files(str(evidence))
    form.locator("[type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#spending-table")).to_contain_text("(주)한빛소재")
    expect(page.locator("#spending-table")).to_contain_text("인정")
    expect(page.locator("#fig-eligible")).to_have_text("10,000,000원")
    spending = Spending.objects.get()
    assert spending.evidence_file and spending.ineligible_reasons == []

    page.context.clear_cookies()
    login(page, live_server, "fb-staff", "pw-fb-staff-2026!")
    page.goto(f"{live_server.url}/programmes/agreements/{agreement.pk}/settlement/")
    page.locator("#settlement-close-link").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("main")).to_contain_text("환수액 12,500,001원.")
    page.locator("form [type=submit]").last.click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#fig-recovery")).to_have_text("12,500,001원")
    expect(page.locator("#receivable-summary")).to_contain_text("환수 금액 12,500,001원")
    assert Settlement.objects.get().recovery_krw == 12_500_001
    assert Receivable.objects.get().amount_krw == 12_500_001
