"""The whole programme flow in Chromium (issue 9): a lead firm's user builds a consortium of three firms of
three KSIC divisions, fills the budget by cost category and sees the share rule broken live (the server's
check, swapped in by htmx without a page load), fixes it, saves and submits; central staff assign a
reviewer, who declares no conflict and scores by criteria; after the deadline staff confirm the selection.
The budget and score pages are axe-clean, and every page fits 1366 px."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, industry, make_user
from tests.programmes.factories import make_call, make_reviewer, make_topic
from yunghap.accounts.models import Role
from yunghap.programmes.models import (
    Application,
    ConsortiumMember,
    ReviewAssignment,
    SelectionDecision,
    SelectionResult,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRM_SHARE_ERROR = "기업부담금 비율이 5.26%로, 최소 25%에 못 미칩니다."


def assert_fits(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px at 1366"


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


@pytest.fixture
def world():
    group = GroupFactory(code="pj-group", name="구로융합교류회")
    lead = FirmFactory(name="한빛모빌리티", industry=industry("29"))
    partners = [
        FirmFactory(name="누리전자부품", industry=industry("26")),
        FirmFactory(name="다온소재화학", industry=industry("20")),
    ]
    for firm in (lead, *partners):
        MembershipFactory(group=group, firm=firm)
    make_user("pj-lead", Role.FIRM_USER, firm=lead)
    make_user("pj-partner1", Role.FIRM_USER, firm=partners[0])
    make_user("pj-partner2", Role.FIRM_USER, firm=partners[1])
    make_user("pj-staff", Role.CENTRAL_STAFF)
    reviewer = make_reviewer("pj-reviewer")
    topic = make_topic(code="t-pj", title="전기차 센서 모듈 융합 개발")
    call = make_call(code="c-pj", reviews_per_application=1)
    call.topics.add(topic)
    return {"call": call, "lead": lead, "partners": partners, "reviewer": reviewer, "topic": topic}


def test_the_whole_programme_flow_from_consortium_to_selection(page, live_server, world):
    page.set_viewport_size({"width": 1366, "height": 900})
    call, lead, partners = world["call"], world["lead"], world["partners"]
    base = f"{live_server.url}/programmes"

    # 1. The lead firm's user starts the consortium and its draft.
    sign_in(page, live_server, "pj-lead")
    page.goto(f"{base}/calls/{call.code}/apply/")
    assert_fits(page)
    page.get_by_label("협력체명").fill("한빛 전장 협력체")
    page.get_by_label("과제명").fill("전기차용 통합 센서 모듈 개발")
    page.get_by_role("button", name="협력체 만들기").click()
    page.wait_for_url("**/programmes/applications/*/edit/")
    application = Application.objects.get(call=call, consortium__lead=lead)
    assert application.topic_id == world["topic"].pk

    # 2. It invites the two partners, found by name.
    for partner in partners:
        page.goto(f"{base}/applications/{application.pk}/partners/")
        page.get_by_label("기업명").fill(partner.name[:4])
        page.get_by_role("button", name="찾기").click()
        row = page.locator(f"#search-table tr[data-firm='{partner.pk}']")
        expect(row).to_contain_text(partner.name)
        assert_fits(page)
        row.get_by_role("button", name="초대").click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("참여기업으로 초대했습니다")
    invited = ConsortiumMember.objects.filter(
        consortium=application.consortium, role=ConsortiumMember.Role.PARTNER
    )
    assert {m.firm_id for m in invited} == {p.pk for p in partners}

    # Each partner signs in and accepts.
    for n, partner in enumerate(partners, start=1):
        place = invited.get(firm=partner)
        sign_in(page, live_server, f"pj-partner{n}")
        page.goto(f"{base}/places/{place.pk}/respond/")
        assert_fits(page)
        page.get_by_role("button", name="수락", exact=True).click()
        page.wait_for_url("**/programmes/applications/")
        place.refresh_from_db()
        assert place.state == ConsortiumMember.State.ACCEPTED

    # 3. The lead fills the budget: the firms' share under 25 % is said live, by the server's check.
    sign_in(page, live_server, "pj-lead")
    page.goto(f"{base}/applications/{application.pk}/edit/")
    page.evaluate("window.__samePage = true")
    page.locator("#id_government_personnel").fill("18,000,000")
    page.locator("#id_cash_materials").fill("1000000")
    check = page.locator("#rule-check")
    expect(check.locator("[data-rule=firm_share]")).to_have_text(FIRM_SHARE_ERROR)
    expect(check).to_contain_text("서버 확인: 총사업비 19,000,000원")
    assert page.evaluate("window.__samePage === true"), "the rule check reloaded the page"
    expect(page.locator("#share-firm")).to_have_text("5.26")
    # Fixed: 4,000,000 cash and 2,000,000 in kind make the firms' share 25 % of 24,000,000.
    page.locator("#id_cash_materials").fill("4000000")
    page.locator("#id_inkind_equipment").fill("2,000,000")
    expect(check).to_contain_text("서버 확인: 총사업비 24,000,000원")
    expect(check.locator("[data-rule=firm_share]")).to_have_count(0)
    expect(check.locator("[data-rule=ok]")).to_be_visible()
    assert page.evaluate("window.__samePage === true")
    expect(page.locator("#total-all")).to_have_text("24,000,000")
    axe_check(page)
    assert_fits(page)
    page.locator("#save-draft").click()
    page.wait_for_url(f"**/programmes/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("신청서 초안을 저장했습니다")
    application.refresh_from_db()
    assert (application.government_krw, application.firm_cash_krw, application.firm_inkind_krw) == (
        18_000_000,
        4_000_000,
        2_000_000,
    )

    page.goto(f"{base}/applications/{application.pk}/submit/")
    assert "거절됩니다" not in page.locator("#confirm-summary").inner_text()
    assert_fits(page)
    page.locator("#confirm-submit").click()
    page.wait_for_url(f"**/programmes/applications/{application.pk}/")
    expect(page.locator("main")).to_contain_text("신청서를 제출했습니다")
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.eligibility == Application.Eligibility.ELIGIBLE
    assert application.breaches == []

    # 4. Central staff assign the reviewer by hand.
    reviewer = world["reviewer"]
    sign_in(page, live_server, "pj-staff")
    page.goto(f"{base}/calls/{call.code}/assignments/")
    assert_fits(page)
    page.locator(f"#id_reviewer_{application.pk}").select_option(str(reviewer.pk))
    page.get_by_role("button", name="배정", exact=True).click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("평가위원을 배정했습니다")
    assignment = ReviewAssignment.objects.get(application=application, reviewer=reviewer)

    # The reviewer declares no conflict, then scores by criteria with a comment.
    sign_in(page, live_server, "pj-reviewer")
    page.goto(f"{base}/reviews/")
    assert_fits(page)
    page.get_by_role("link", name="이해충돌 확인").click()
    page.wait_for_url(f"**/programmes/reviews/{assignment.pk}/declare/")
    assert_fits(page)
    # The radio is drawn by its label (KRDS), so a user clicks the label.
    page.locator("label", has_text="이해충돌이 없습니다.").click()
    expect(page.get_by_label("이해충돌이 없습니다.")).to_be_checked()
    page.get_by_role("button", name="확인", exact=True).click()
    page.wait_for_url(f"**/programmes/reviews/{assignment.pk}/score/")
    page.get_by_label("기술성 (0~40점)").fill("34")
    page.get_by_label("사업성 (0~30점)").fill("25")
    page.get_by_label("협력성 (0~30점)").fill("26")
    page.get_by_label("평가 의견").fill("센서 모듈의 기술성이 높고 세 업종의 역할 분담이 분명합니다.")
    axe_check(page)
    assert_fits(page)
    page.get_by_role("button", name="평가 제출").click()
    page.wait_for_url(f"**/programmes/reviews/{assignment.pk}/score/")
    expect(page.locator("main")).to_contain_text("평가를 제출했습니다")
    assignment.refresh_from_db()
    assert assignment.state == ReviewAssignment.State.SUBMITTED
    assert str(assignment.review.score) == "85.00"

    # 5. After the deadline, central staff confirm the selection.
    call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    call.save(update_fields=["closes_on"])
    sign_in(page, live_server, "pj-staff")
    page.goto(f"{base}/calls/{call.code}/selection/")
    expect(page.locator("table.selection-table")).to_contain_text(application.ref)
    assert_fits(page)
    page.locator("#selection-confirm").click()
    page.wait_for_url(f"**/programmes/calls/{call.code}/selection/confirm/")
    expect(page.locator("#confirm-summary")).to_contain_text("선정 1건")
    assert_fits(page)
    page.locator("#confirm-submit").click()
    page.wait_for_url(f"**/programmes/calls/{call.code}/selection/record/")
    assert_fits(page)
    decision = SelectionDecision.objects.get(call=call)
    result = SelectionResult.objects.get(application=application)
    assert result.outcome == "selected"
    assert decision.pk
