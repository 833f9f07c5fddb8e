"""Reports and results in Chromium (issue 10 item 4): the lead firm's user submits the final report with a
file; central staff return it, the lead resubmits, staff accept it and grade the result 미흡 · 성실 수행;
the lead records the result indicators, which then show as the groups' convergence R&D result. The pages
are axe-clean and fit 1366 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.programmes.progress_support import PDF, make_site
from yunghap.activities.models import Outcome
from yunghap.programmes.models import Agreement, Report

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def assert_fits(page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows by {overflow}px at 1366"


def choose(page, label: str) -> None:
    """KRDS draws its own radio: a click lands on the label, as a user's does."""
    page.locator(f"label:text-is('{label}')").click()
    expect(page.get_by_label(label, exact=True)).to_be_checked()


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


def test_report_review_grade_and_results(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page.set_viewport_size({"width": 1366, "height": 900})
    site = make_site()
    final = site.report(Report.Kind.FINAL, due_in=5)
    agreement_url = f"{live_server.url}/programmes/agreements/{site.agreement.pk}/reports/"
    upload = tmp_path / "최종보고서.pdf"
    upload.write_bytes(PDF)

    # The lead firm's user submits the final report with its file.
    sign_in(page, live_server, "lead-user")
    page.goto(agreement_url)
    axe_check(page)
    assert_fits(page)
    page.get_by_role("link", name="제출", exact=True).click()
    page.get_by_label("보고 내용").fill("시제품을 완성했고 특허 1건을 출원했습니다.")
    page.get_by_label("보고서 파일").set_input_files(str(upload))
    axe_check(page)
    page.get_by_role("button", name="제출").click()
    page.wait_for_url(agreement_url)
    expect(page.locator("main")).to_contain_text("보고를 제출했습니다")

    # Staff return it with a comment; the lead resubmits; staff accept.
    sign_in(page, live_server, "central-user")
    page.goto(f"{live_server.url}/programmes/progress-reports/{final.pk}/review/")
    assert_fits(page)
    choose(page, "보완 요청")
    page.get_by_label("검토 의견").fill("매출 계획을 덧붙여 주세요.")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(agreement_url)
    expect(page.locator("main")).to_contain_text("보완을 요청했습니다")
    sign_in(page, live_server, "lead-user")
    page.goto(f"{live_server.url}/programmes/progress-reports/{final.pk}/submit/")
    expect(page.locator("main")).to_contain_text("매출 계획을 덧붙여 주세요.")
    page.get_by_label("보고 내용").fill("시제품 완성, 특허 1건 출원. 매출 계획: 2027년 1억 원.")
    page.get_by_role("button", name="제출").click()
    page.wait_for_url(agreement_url)
    sign_in(page, live_server, "central-user")
    page.goto(f"{live_server.url}/programmes/progress-reports/{final.pk}/review/")
    choose(page, "승인")
    page.get_by_role("button", name="저장").click()
    page.wait_for_url(agreement_url)
    expect(page.locator(f"#report-{final.pk}")).to_contain_text("승인")

    # Staff grade: 미흡 without conduct is refused, then 미흡 · 성실 수행.
    page.get_by_role("link", name="최종 평가").click()
    choose(page, "미흡")
    page.get_by_role("button", name="평가 저장").click()
    expect(page.locator("main")).to_contain_text("미흡 등급은 성실 수행 또는 불성실 수행을 선택해 주세요.")
    page.get_by_label("수행 성실도(미흡일 때)").select_option("sincere")
    axe_check(page)
    page.get_by_role("button", name="평가 저장").click()
    page.wait_for_url(agreement_url)
    expect(page.locator("#grade")).to_contain_text("미흡 · 성실 수행")
    agreement = Agreement.objects.get(pk=site.agreement.pk)
    assert (agreement.grade, agreement.conduct) == ("poor", "sincere")

    # The lead records the results: they become the groups' convergence R&D results.
    sign_in(page, live_server, "lead-user")
    page.goto(agreement_url)
    page.get_by_role("link", name="성과 지표 입력").click()
    page.get_by_label("시제품(건)").fill("1")
    page.get_by_label("특허 출원(건)").fill("1")
    page.get_by_label("매출액(원)").fill("100000000")
    page.get_by_label("후속 R&D 과제번호").fill("RS-2026-0041")
    page.get_by_role("button", name="성과 저장").click()
    expect(page.locator("main")).to_contain_text("후속 R&D 과제번호는 SMTECH")
    page.get_by_label("후속 R&D 과제번호").fill("RS-2026-00412345")
    axe_check(page)
    assert_fits(page)
    page.get_by_role("button", name="성과 저장").click()
    page.wait_for_url(agreement_url)
    expect(page.locator("#indicators")).to_contain_text("100,000,000원")
    expect(page.locator("#indicators")).to_contain_text("가온교류회")
    assert Outcome.objects.filter(agreement=site.agreement).count() == 2
