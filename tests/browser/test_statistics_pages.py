"""The statistics pages in Chromium: ECharts draws every chart, the data tables are there, axe-core passes."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.insights.figures import refresh_group_months
from yunghap.surveys.models import Survey, SurveyResponse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


@pytest.fixture
def statistics(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    group = GroupFactory(code="seoul-stat", name="통계교류회", federation=region("seoul"))
    firms = [FirmFactory() for _ in range(3)]
    for firm in firms:
        MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
    for month in range(1, 7):
        ledger.record_meeting(
            group, actor=None, held_on=D(2025, month, 8), present_firm_ids=[firms[0].pk, firms[1].pk]
        )
    survey = Survey.objects.create(year=2025, opened_on=D(2025, 12, 1))
    SurveyResponse.objects.create(
        survey=survey,
        group=group,
        status="submitted",
        members=3,
        meetings=12,
        attendance_rate=Decimal("90.0"),
    )
    refresh_group_months()
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))


def test_trend_and_survey_pages_draw_their_charts(page, live_server, statistics):
    login(page, live_server, "seoulstaff", "pw-seoulstaff-2026!")
    page.goto(f"{live_server.url}/statistics/?from=2025&to=2025")
    page.wait_for_selector(".chart svg")
    assert (
        page.locator(".chart svg").count() == 7
    )  # firms (once) and joins·leaves are two charts since issue 8
    axe_check(page)
    page.goto(f"{live_server.url}/statistics/survey/?year=2025")
    page.wait_for_selector(".chart svg")
    assert "통계교류회" in page.locator("table").last.inner_text()  # 12 reported vs 6 meetings observed
    axe_check(page)
