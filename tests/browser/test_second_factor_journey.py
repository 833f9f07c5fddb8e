"""Issue 7, finding 6 in Chromium: a regional staff member signs in, enrols an authenticator by the QR code's
secret, sees the recovery codes, signs out, signs in again with a TOTP code and then with a recovery code.

Fails before this change: after the password the browser landed on the home page, no enrolment."""

from __future__ import annotations

import time

import pyotp
import pytest

from tests.browser.support import axe_check, login
from tests.factories import make_user, region
from yunghap.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_out(page) -> None:
    page.locator("#logout-button").click()
    page.wait_for_url("**/accounts/login/")


def test_staff_enrol_then_sign_in_with_a_code_and_with_a_recovery_code(page, live_server, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))

    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    assert "/accounts/otp/enrol/" in page.url
    assert page.locator("#otp-qr svg path").count() == 1  # the QR code, drawn on the server
    axe_check(page)
    secret = page.locator("#otp-secret").inner_text().strip()
    page.locator("#id_code").fill(pyotp.TOTP(secret).now())  # what the phone would show after scanning
    page.locator("#otp-submit").click()
    page.wait_for_selector("#recovery-codes")
    codes = [c.strip() for c in page.locator("#recovery-codes code").all_inner_texts()]
    assert len(codes) == 10
    axe_check(page)
    page.locator("#otp-continue").click()
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/groups/")
    assert "/groups/" in page.url and page.locator("#group-table").count() == 1
    sign_out(page)

    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    assert "/accounts/otp/" in page.url and "enrol" not in page.url
    axe_check(page)
    # The next 30-second step's code: accepted with one step of tolerance, never the one used to enrol.
    page.locator("#id_code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    page.locator("#otp-submit").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/otp/" not in page.url
    page.goto(f"{live_server.url}/groups/")
    assert page.locator("#group-table").count() == 1
    sign_out(page)

    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.locator("#id_code").fill(codes[0])
    page.locator("#otp-submit").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/otp/" not in page.url
    assert "남은 복구 코드는 9개입니다." in page.locator(".site-messages").inner_text()
    sign_out(page)

    # A used recovery code does not open the door twice.
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.locator("#id_code").fill(codes[0])
    page.locator("#otp-submit").click()
    page.wait_for_load_state("networkidle")
    assert "/accounts/otp/" in page.url
    assert "인증 코드가 맞지 않습니다." in page.locator("#otp-verify-form").inner_text()


def test_account_pages_pass_axe(page, live_server):
    seoul = region("seoul")
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=seoul)
    member = make_user("member1", Role.REGIONAL_STAFF, federation=seoul)
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.goto(f"{live_server.url}/accounts/users/")
    assert page.locator("#user-table tbody tr").count() == 2
    axe_check(page)
    page.goto(f"{live_server.url}/accounts/users/new/")
    page.locator("#user-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "아이디를 입력해 주세요." in page.locator("#user-form").inner_text()
    axe_check(page)
    page.goto(f"{live_server.url}/accounts/users/{member.pk}/")
    assert "지역연합회 직원" in page.locator("#grant-table").inner_text()
    axe_check(page)
