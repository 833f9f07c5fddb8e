"""The registry pages in Chromium: the htmx filter bar, forms with errors, firm pages; axe-core on each."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def registry(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seoul = region("seoul")
    tech = GroupFactory(code="seoul-tech", name="테헤란기술교류회", federation=seoul)
    other = GroupFactory(code="seoul-food", name="성수식품교류회", federation=seoul)
    MembershipFactory(group=tech, firm=FirmFactory(name="광빛차체", industry=industry("30")), role="chair")
    MembershipFactory(group=tech, firm=FirmFactory(name="새영테크", industry=industry("26")))
    MembershipFactory(group=other, firm=FirmFactory(name="성수식품", industry=industry("10")))
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=seoul)


def test_filter_bar_updates_results_and_pages_pass_axe(page, live_server, registry):
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.goto(f"{live_server.url}/groups/")
    axe_check(page)
    assert page.locator("#group-table tbody tr").count() == 2
    with page.expect_response(lambda r: "division=10" in r.url):
        page.select_option("#filter-division", "10")
    page.wait_for_function(
        "() => document.querySelectorAll('#group-table tbody tr').length === 1"
    )  # a function: no eval under the CSP
    assert "division=10" in page.url  # htmx pushed the filters into the address bar
    assert page.locator("#group-table tbody").inner_text().strip().startswith("성수식품교류회")

    page.goto(f"{live_server.url}/groups/seoul-tech/members/new/")
    page.fill("#id_brn", "1168200278")
    page.fill("#id_joined_on", "2024-01-02")
    page.locator("#membership-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "사업자등록번호의 검증번호가 맞지 않습니다." in page.locator("#membership-form").inner_text()
    axe_check(page)

    page.goto(f"{live_server.url}/firms/")
    page.locator("#firm-table tbody a", has_text="새영테크").click()
    page.wait_for_load_state("networkidle")
    assert "010-1234-5678" in page.locator("#firm-contact").inner_text()  # staff of the region see contacts
    axe_check(page)
