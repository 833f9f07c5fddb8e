"""The selection in Chromium: central staff read the proposal of a closed call, confirm it with a committee
note, land on the decision record; the lead firm's user then reads its result without reviewer names."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, make_user
from tests.programmes.factories import make_application, make_call, make_review, make_reviewer
from yunghap.accounts.models import Role
from yunghap.programmes.models import SelectionDecision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closed_call():
    today = timezone.localdate()
    call = make_call(
        code="c-journey",
        opens_on=today - datetime.timedelta(days=40),
        closes_on=today - datetime.timedelta(days=10),
        reviews_per_application=2,
    )
    lead = FirmFactory(name="한빛센서")
    application = make_application(call, lead, ref="J-1", title="센서 모듈 융합 과제")
    for i, score in enumerate((78, 86)):
        reviewer = make_reviewer(f"journey-rev{i}")
        reviewer.user.name = f"박심사{i}"
        reviewer.user.save(update_fields=["name"])
        make_review(application, reviewer, score, comment=f"의견 {i + 1}: 구성이 적절합니다.")
    make_user("journeystaff", Role.CENTRAL_STAFF)
    make_user("journeyfirm", Role.FIRM_USER, firm=lead)
    return call, application


def test_staff_confirm_the_selection_and_the_applicant_reads_its_result(page, live_server, closed_call):
    call, application = closed_call
    login(page, live_server, "journeystaff", "pw-journeystaff-2026!")
    page.goto(f"{live_server.url}/programmes/calls/{call.code}/selection/")
    assert "82.00" in page.locator("table.selection-table").inner_text()
    axe_check(page)
    page.locator("#selection-confirm").click()
    page.wait_for_url(f"**/programmes/calls/{call.code}/selection/confirm/")
    assert "선정 1건" in page.locator("#confirm-summary").inner_text()
    page.locator("textarea[name=note]").fill("2026-03-10 선정평가위원회 의결")
    page.locator("#confirm-submit").click()
    page.wait_for_url(f"**/programmes/calls/{call.code}/selection/record/")
    assert "2026-03-10 선정평가위원회 의결" in page.locator("#selection-decision").inner_text()
    assert "J-1" in page.locator("table.selection-table").inner_text()
    axe_check(page)
    assert SelectionDecision.objects.filter(call=call).count() == 1

    page.context.clear_cookies()
    login(page, live_server, "journeyfirm", "pw-journeyfirm-2026!")
    page.goto(f"{live_server.url}/programmes/applications/{application.pk}/result/")
    text = page.locator("main").inner_text()
    assert "선정" in text and "82.00" in text and "의견 2: 구성이 적절합니다." in text
    assert "박심사" not in page.content()
    axe_check(page)
