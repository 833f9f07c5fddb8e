"""A coordinator logs a pre-planning session in Chromium (issue 10): a consortium of their group's member,
a next step with its due date, the session's notes kept as the consortium's pre-planning note; then the
caseload shows the next step and the consortium in pre-planning. The form and the caseload are axe-clean."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import make_application, make_call
from yunghap.accounts.models import Role
from yunghap.coaching.models import CoachingSession
from yunghap.programmes.models import Application, PrePlanningNote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_logs_a_pre_planning_session_and_sees_it_on_the_caseload(page, live_server):
    group = GroupFactory(code="cj-group", name="코칭여정교류회")
    lead = FirmFactory(name="코칭리드텍", industry=industry("26"))
    MembershipFactory(group=group, firm=lead)
    application = make_application(
        make_call(code="cj-call"), lead, [], ref="cj-call-001", status=Application.Status.DRAFT
    )
    make_user("cj-coord", Role.COORDINATOR, group=group)
    due = timezone.localdate() + datetime.timedelta(days=5)

    login(page, live_server, "cj-coord", "pw-cj-coord-2026!")
    page.goto(f"{live_server.url}/coaching/")
    expect(page.locator("#quiet-groups")).to_contain_text("코칭여정교류회")
    page.get_by_role("link", name="코칭 기록 남기기").first.click()
    expect(page.locator("h1")).to_have_text("코칭 기록 남기기")
    axe_check(page)
    page.select_option("select[name=subject]", f"consortium:{application.consortium_id}")
    page.select_option("select[name=kind]", "pre_planning")
    page.fill("textarea[name=notes]", "목표 사양과 역할 분담을 함께 정리했습니다.")
    page.locator("label[for=id_write_note]").click()
    page.fill("textarea[name=note_body]", "시험 인증 항목을 예산에 넣어 보세요.")
    page.fill("input[name=step_1_text]", "인증 기관 견적 받기")
    page.fill("input[name=step_1_due]", due.isoformat())
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")

    expect(page.locator("h1")).to_have_text("코칭 기록")
    expect(page.locator("#step-list")).to_contain_text("인증 기관 견적 받기")
    session = CoachingSession.objects.get()
    assert session.kind == "pre_planning" and session.consortium_id == application.consortium_id
    assert PrePlanningNote.objects.get().body == "시험 인증 항목을 예산에 넣어 보세요."

    page.goto(f"{live_server.url}/coaching/")
    expect(page.locator("#steps")).to_contain_text("인증 기관 견적 받기")
    expect(page.locator("#steps")).to_contain_text(due.isoformat())
    expect(page.locator("#pre-planning")).to_contain_text("cj-call-001")
    axe_check(page)
