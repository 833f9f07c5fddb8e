"""Pages work under the Content-Security-Policy (no inline script): htmx, charts, the meeting form, the admin."""

from __future__ import annotations

import datetime

import pytest

from tests.browser.support import csp_violations, login, watch_csp
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user, region
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.insights.figures import refresh_group_months

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def network(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    seoul = region("seoul")
    tech = GroupFactory(code="seoul-tech", name="테헤란기술교류회", federation=seoul)
    food = GroupFactory(code="seoul-food", name="성수식품교류회", federation=seoul)
    firms = [FirmFactory(name=f"기술{i}", industry=industry("26")) for i in range(3)]
    for firm in firms:
        MembershipFactory(group=tech, firm=firm, joined_on=D(2024, 1, 1))
    MembershipFactory(group=food, firm=FirmFactory(name="성수식품", industry=industry("10")))
    for month in range(1, 7):
        ledger.record_meeting(
            tech, actor=None, held_on=D(2025, month, 8), present_firm_ids=[firms[0].pk, firms[1].pk]
        )
    refresh_group_months()
    make_user("central", Role.CENTRAL_STAFF)
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=seoul), firms


def test_pages_work_under_the_csp_without_violations(page, live_server, network):
    _staff, firms = network
    console = watch_csp(page)
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")

    response = page.goto(f"{live_server.url}/groups/")
    assert "script-src 'self' 'nonce-" in response.headers["content-security-policy"]
    assert response.headers["cache-control"] == "private, no-store"
    assert "camera=()" in response.headers["permissions-policy"]
    with page.expect_response(lambda r: "division=10" in r.url):
        page.select_option("#filter-division", "10")  # htmx, from its static file
    page.wait_for_function(
        "() => document.querySelectorAll('#group-table tbody tr').length === 1"
    )  # a function: no eval under the CSP

    page.goto(f"{live_server.url}/statistics/?from=2025&to=2025")
    page.wait_for_selector(".chart svg")
    page.locator(".chart svg").first.hover()  # the tooltip is markup written by ECharts
    page.goto(f"{live_server.url}/activities/groups/seoul-tech/meetings/new/")
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="전원 출석").click()  # the attendance script and its catalogue run
    assert page.locator("#attendance-count").inner_text() == "출석 3 / 3곳 (100.0%)"
    # No axe-core here: it adds style elements of its own while it checks contrast.
    found = csp_violations(page, console)
    assert found == [], "\n".join(x for x in found if not x.startswith("Applying"))

    login(page, live_server, "central", "pw-central-2026!")
    page.goto(f"{live_server.url}/admin/network/firm/{firms[0].pk}/change/")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_representative").input_value() == firms[0].representative
    page.goto(f"{live_server.url}/admin/network/firm/")
    page.wait_for_load_state("networkidle")
    page.goto(f"{live_server.url}/access-log/?firm={firms[0].brn}")
    assert "central" in page.locator("#access-log-table tbody").inner_text()  # the admin page view above
    found = csp_violations(page, console)
    assert found == [], "\n".join(x for x in found if not x.startswith("Applying"))


def test_static_files_stay_cacheable(page, live_server, network):
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    response = page.goto(f"{live_server.url}/static/yunghap/site.css")
    assert "no-store" not in (response.headers.get("cache-control") or "")
