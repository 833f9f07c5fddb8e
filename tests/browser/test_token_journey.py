"""A user makes an API token in Chromium, copies it from the page, calls /api/v1/groups with it, revokes
it on the token page (asked first), and the same call then gets 401. The token pages are axe-clean."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.factories import GroupFactory, make_user
from yunghap.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def call_api(live_server, raw: str) -> tuple[int, dict]:
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        f"{live_server.url}/api/v1/groups", headers={"Authorization": f"Bearer {raw}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (the test's own server)
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as refused:
        return refused.code, json.loads(refused.read())


def test_make_use_and_revoke_a_token(page, live_server):
    group = GroupFactory(code="tk-group", name="토큰여정교류회")
    make_user("tk-staff", Role.REGIONAL_STAFF, federation=group.federation)
    login(page, live_server, "tk-staff", "pw-tk-staff-2026!")
    page.goto(f"{live_server.url}/accounts/profile/")
    page.locator("#api-tokens-link").click()
    expect(page.locator("h1")).to_have_text("API 토큰")
    axe_check(page)
    page.locator("#token-create-link").click()
    axe_check(page)
    page.fill("input[name=name]", "보고서 자동화")
    page.locator("#token-submit").click()
    expect(page.locator("h1")).to_have_text("API 토큰을 만들었습니다")
    axe_check(page)
    raw = page.locator("#new-token").inner_text().strip()
    assert raw.startswith("yh_")
    # On a phone the long token wraps inside the page instead of widening it.
    page.set_viewport_size({"width": 390, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    status, body = call_api(live_server, raw)
    assert status == 200 and [g["code"] for g in body["items"]] == ["tk-group"]

    page.locator("#token-done").click()
    expect(page.locator("#token-table")).not_to_contain_text(raw)
    expect(page.locator("#token-table")).to_contain_text("읽기 전용")
    page.get_by_role("link", name="폐기").first.click()
    expect(page.locator("#confirm-summary")).to_contain_text("보고서 자동화")
    page.locator("#confirm-submit").click()
    expect(page.locator("#token-table")).to_contain_text("폐기됨")

    status, body = call_api(live_server, raw)
    assert status == 401 and body["code"] == "unauthorized"
