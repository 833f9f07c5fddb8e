"""Issue 2's journey in Chromium: regional staff log in, filter the group list, open a group, see its
members, switch to English — and axe-core finds no serious or critical violation on any of those pages."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role
from yunghap.network.models import ExchangeType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def seoul_network():
    seoul = region("seoul")
    newproduct = GroupFactory(code="seoul-np", name="강남신제품교류회", federation=seoul)
    newproduct.exchange_types.set(ExchangeType.objects.filter(code="newproduct"))
    info = GroupFactory(code="seoul-info", name="마포정보교류회", federation=seoul)
    info.exchange_types.set(ExchangeType.objects.filter(code="info"))
    busan = GroupFactory(code="busan-np", name="해운대신제품교류회", federation=region("busan"))
    busan.exchange_types.set(ExchangeType.objects.filter(code="newproduct"))
    MembershipFactory(
        group=newproduct, firm=FirmFactory(name="한빛센서", industry=industry("26")), role="chair"
    )
    MembershipFactory(group=newproduct, firm=FirmFactory(name="대성금형", industry=industry("29")))
    MembershipFactory(group=info, firm=FirmFactory(name="마포식품", industry=industry("10")))
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=seoul)


def test_regional_staff_filter_open_group_see_members_switch_to_english(page, live_server, seoul_network):
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")

    page.goto(f"{live_server.url}/groups/")
    rows = page.locator("#group-table tbody tr")
    assert rows.count() == 2  # their region only: the Busan group is not listed
    axe_check(page)

    page.select_option("#filter-exchange_type", "newproduct")
    page.wait_for_function(
        "() => document.querySelectorAll('#group-table tbody tr').length === 1"
    )  # a function: no eval under the CSP
    assert "강남신제품교류회" in page.locator("#group-table tbody").inner_text()

    page.locator("#group-table tbody a", has_text="강남신제품교류회").click()
    page.wait_for_url("**/groups/seoul-np/")
    members = page.locator("#member-table tbody").inner_text()
    assert "한빛센서" in members and "대성금형" in members
    assert "회장" in members
    axe_check(page)

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "/groups/seoul-np/" in page.url  # the switch keeps the user on the same page
    assert "Chair" in page.locator("#member-table tbody").inner_text()
    axe_check(page)
