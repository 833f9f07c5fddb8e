"""The consent flow of finding 1 in a real browser: an officer asks a firm of another region to join, the
firm's federation staff accept; both pages are axe-clean and fit a phone's width."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_violations, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.network.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


def fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width", [1366, 390])
def test_an_officer_asks_and_the_firms_federation_accepts(page, live_server, width):
    page.set_viewport_size({"width": width, "height": 900})
    seoul, busan = region("seoul"), region("busan")
    group = GroupFactory(code="seoul-req", name="테헤란기술교류회", federation=seoul)
    MembershipFactory(group=group, firm=FirmFactory(federation=seoul))
    outsider = FirmFactory(name="부산정밀", federation=busan)
    make_user("chair", Role.GROUP_OFFICER, group=group)
    make_user("busanstaff", Role.REGIONAL_STAFF, federation=busan)

    login(page, live_server, "chair", "pw-chair-2026!")
    page.goto(f"{live_server.url}/groups/seoul-req/members/new/")
    page.get_by_label("사업자등록번호").fill(outsider.brn)
    page.get_by_label("가입일").fill("2025-03-02")
    page.get_by_role("button", name="저장").click()
    # Outside the officer's scope: nothing about the firm is said, a request is offered.
    alert = page.locator("#not-found-help")
    assert "바로 등록할 수 있는 회원사가 없습니다" in alert.inner_text()
    assert "부산정밀" not in page.content() and "부산" not in alert.inner_text()
    assert not axe_violations(page) and fits(page)
    page.get_by_role("button", name="가입 요청 보내기").click()
    page.goto(f"{live_server.url}/membership-requests/")
    assert outsider.brn_display in page.locator("#outgoing-table").inner_text()
    assert not axe_violations(page) and fits(page)

    page.context.clear_cookies()
    login(page, live_server, "busanstaff", "pw-busanstaff-2026!")
    page.goto(f"{live_server.url}/membership-requests/")
    incoming = page.locator("#incoming-table")
    assert "부산정밀" in incoming.inner_text() and "테헤란기술교류회" in incoming.inner_text()
    assert not axe_violations(page) and fits(page)
    incoming.get_by_role("button", name="수락").click()
    page.wait_for_load_state()
    assert Membership.objects.filter(group=group, firm=outsider, left_on__isnull=True).count() == 1
