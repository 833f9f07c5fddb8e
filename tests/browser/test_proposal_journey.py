"""A policy proposal in Chromium (issue 12 §5): a firm's user submits a public proposal with a PDF; central
staff start the review, answer and publish the answer; the firm's user later reads the answer; an anonymous
visitor finds the public proposal in the list and reads it with its answer."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_check, login
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.proposals.models import PolicyProposal

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username, f"pw-{username}-2026!")


def confirm(page) -> None:
    page.locator("#confirm-submit").click()
    page.wait_for_load_state("networkidle")


def test_a_firm_proposes_staff_answer_and_everyone_reads_it(page, live_server, network, tmp_path):  # noqa: F811
    base = f"{live_server.url}/proposals"
    attachment = tmp_path / "현황자료.pdf"
    attachment.write_bytes(b"%PDF-1.4\n%demo\n")

    # 1. The firm's user submits a public proposal with an attachment.
    sign_in(page, live_server, "firmuser")
    page.goto(f"{base}/new/")
    axe_check(page)
    page.get_by_label("제목").fill("공동 특허출원 수수료 감면")
    page.get_by_label("현황 및 문제점").fill("교류회 회원사끼리 공동 출원하면 수수료를 각자 냅니다.")
    page.get_by_label("개선 방안").fill("공동 출원은 한 번만 내게 해 주세요.")
    page.get_by_label("관련 법령·제도").fill("특허료 등의 징수규칙")
    page.locator("label[for=id_is_public]").click()
    page.locator("input[type=file]").set_input_files(str(attachment))
    page.get_by_role("button", name="건의 접수").click()
    expect(page.locator("#proposal-state")).to_contain_text("접수")
    expect(page.locator("#proposal-files")).to_contain_text("현황자료.pdf")
    expect(page.locator("#no-answer")).to_contain_text("아직 공개된 답변이 없습니다.")
    proposal = PolicyProposal.objects.get()

    # 2. Central staff start the review, answer, and publish the answer.
    sign_in(page, live_server, "central")
    page.goto(f"{base}/manage/")
    page.get_by_role("link", name="공동 특허출원 수수료 감면").click()
    page.locator("[data-action=start_review]").click()
    confirm(page)
    expect(page.locator("#proposal-state")).to_contain_text("검토 중")
    page.locator("#staff-actions").get_by_role("link", name="답변 작성").click()
    page.get_by_label("처리 결과").select_option("forwarded")
    page.get_by_label("이송 기관").fill("특허청")
    page.locator("#id_text").fill("특허청에 건의를 이송했습니다. 감면 여부는 특허청이 답변합니다.")
    page.get_by_role("button", name="저장").click()
    expect(page.locator("#proposal-answer")).to_contain_text("아직 공개하지 않은 답변입니다.")
    page.locator("[data-action=publish_answer]").click()
    confirm(page)
    expect(page.locator("#proposal-answer")).to_contain_text("답변 공개일")
    axe_check(page)

    # 3. The firm's user later reads the answer (and was told).
    sign_in(page, live_server, "firmuser")
    page.goto(f"{base}/mine/")
    page.get_by_role("link", name="공동 특허출원 수수료 감면").click()
    expect(page.locator("#proposal-answer")).to_contain_text("특허청에 건의를 이송했습니다.")
    expect(page.locator("#proposal-answer")).to_contain_text("타 기관 이송")

    # 4. An anonymous visitor finds it in the public list and reads it with its answer.
    page.context.clear_cookies()
    page.goto(f"{base}/")
    axe_check(page)
    page.get_by_label("검색어").fill("특허출원")
    page.get_by_role("button", name="검색").click()
    page.locator("#proposal-list").get_by_role("link", name="공동 특허출원 수수료 감면").click()
    assert page.url.endswith(f"/proposals/{proposal.pk}/")
    expect(page.locator("#proposal-answer")).to_contain_text("이송 기관: 특허청")
    expect(page.locator("#support-count")).to_have_text("0")
    axe_check(page)
