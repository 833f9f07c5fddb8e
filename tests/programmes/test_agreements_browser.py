"""Agreements in Chromium: central staff make the agreements of a decided call from the call's page (asked
first, told how many); the lead and the partner each confirm theirs and the page says it is in force; the
lead asks for a change beyond the free margin and staff approve it. The agreement page is axe-clean and
fits 1366 px."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, make_user
from tests.programmes.agreement_factories import closed_call, selected_application
from yunghap.accounts.models import Role
from yunghap.programmes.models import Agreement

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


def test_make_confirm_and_change_an_agreement(page, live_server):
    page.set_viewport_size({"width": 1366, "height": 900})
    lead, partner = FirmFactory(name="한빛모빌리티"), FirmFactory(name="누리전자부품")
    make_user("ag-lead", Role.FIRM_USER, firm=lead)
    make_user("ag-partner", Role.FIRM_USER, firm=partner)
    make_user("ag-staff", Role.CENTRAL_STAFF)
    call = closed_call(code="c-ag")
    selected_application(
        call=call,
        lead=lead,
        partners=[partner],
        title="전기차 센서 모듈",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
    )
    base = f"{live_server.url}/programmes"

    sign_in(page, live_server, "ag-staff")
    page.goto(f"{base}/calls/c-ag/")
    page.locator("#call-agreements-create").click()
    expect(page.locator("#confirm-summary")).to_contain_text("협약이 없는 1건의 협약을 체결합니다.")
    page.locator("#confirm-submit").click()
    expect(page.locator("main")).to_contain_text("협약 1건을 체결했습니다.")
    agreement = Agreement.objects.get()

    for username in ("ag-lead", "ag-partner"):
        sign_in(page, live_server, username)
        page.goto(f"{base}/agreements/{agreement.pk}/")
        page.locator("#agreement-confirm").click()
        page.locator("#confirm-submit").click()
        expect(page.locator("main")).to_contain_text("협약을 확인했습니다.")
    expect(page.locator("#agreement-in-force")).to_have_text("발효(모든 참여기업 확인)")
    axe_check(page)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0

    sign_in(page, live_server, "ag-lead")
    page.goto(f"{base}/agreements/{agreement.pk}/changes/new/")
    page.get_by_label("변경 사유").fill("재료 단가 상승")
    page.get_by_label("예산을 줄일 비목").select_option("personnel")
    page.get_by_label("예산을 늘릴 비목").select_option("materials")
    page.get_by_label("옮길 재원").select_option("government_krw")
    page.get_by_label("옮길 금액(원)").fill("1,000,001")
    page.get_by_role("button", name="변경 신청").click()
    expect(page.locator("main")).to_contain_text("변경 신청을 접수했습니다. 중앙회 승인 후 반영됩니다.")
    change_url = page.url

    sign_in(page, live_server, "ag-staff")
    page.goto(change_url)
    page.locator("#change-decide").click()
    page.locator("label", has_text="승인(변경 내용 반영)").click()
    page.locator("#confirm-submit").click()
    expect(page.locator("#change-state")).to_have_text("승인 반영")
    assert agreement.budget_lines.get(category__code="materials").government_krw == 6_000_001
