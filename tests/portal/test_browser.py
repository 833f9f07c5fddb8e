"""The portal in Chromium: a visitor finds a notice by searching from the home page, opens it and downloads
its attachment (the very bytes); the home page works by keyboard alone (skip link first, then the header's
links, then the search box; Enter on the skip link moves focus to the main content)."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from tests.browser.support import axe_violations
from tests.portal.world import make_post, pdf
from yunghap.portal.demo import tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED = """() => {
  const el = document.activeElement;
  return {id: el.id || "", tag: el.tagName, text: (el.innerText || el.value || "").trim().slice(0, 30),
          href: el.getAttribute("href") || ""};
}"""


def test_a_visitor_finds_a_notice_and_downloads_its_attachment(page, live_server):
    make_post(
        title="2026년 스마트공장 지원사업 공모",
        body="스마트공장 도입 기업을 모집합니다.",
        files=[pdf("스마트공장_공고문.pdf", "smart factory call")],
    )
    make_post(title="설 연휴 안내", body="고객센터 휴무")
    page.goto(f"{live_server.url}/")
    page.locator("#home-search-q").fill("스마트공장")
    page.locator("#home-search-q").press("Enter")
    page.wait_for_load_state("networkidle")
    results = page.locator("#search-results")
    expect(results).to_contain_text("2026년 스마트공장 지원사업 공모")
    expect(results).not_to_contain_text("설 연휴 안내")
    results.get_by_role("link", name="2026년 스마트공장 지원사업 공모").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("h1")).to_have_text("2026년 스마트공장 지원사업 공모")
    with page.expect_download() as info:
        page.locator("#post-attachments").get_by_role("link", name="스마트공장_공고문.pdf").click()
    download = info.value
    assert download.suggested_filename == "스마트공장_공고문.pdf"
    with open(download.path(), "rb") as handle:
        assert handle.read() == tiny_pdf("smart factory call")
    assert axe_violations(page) == []


def test_the_home_page_by_keyboard_alone(page, live_server):
    make_post(title="첫 공지")
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["href"] == "#main" and first["text"] == "본문 바로가기"
    seen = []
    for _ in range(20):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUSED))
        if seen[-1]["id"] == "home-search-q":
            break
    hrefs = [item["href"] for item in seen]
    # The header's links come before the search box: the logo, the way in, the public navigation.
    assert hrefs[0] == "/"
    assert "/accounts/login/" in hrefs and "/notices/" in hrefs and "/library/" in hrefs
    assert seen[-1]["id"] == "home-search-q", [s["text"] or s["href"] for s in seen]
    # Back to the top: Enter on the skip link moves focus to the main content.
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    # From the main content, the next Tab stays inside it (the breadcrumb's 홈 or the search box).
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_portal_pages_pass_axe_at_both_widths(browser, live_server, network, tmp_path):  # noqa: F811
    """axe-core, horizontal scroll and word-break on every portal page at 1366 and 390 px (the same check as
    tests/browser/test_every_page.py, here for the portal alone)."""
    from tests.browser.support import login
    from tests.browser.test_every_page import WIDTHS, check_page

    notice = make_post(
        title="2026년 공모",
        body="첫 줄\n둘째 줄",
        pinned=True,
        deadline_text="추후 공지",
        files=[pdf()],
        cutoffs=[(datetime.date(2026, 3, 31), "1차 마감"), (datetime.date(2026, 4, 30), "2차 마감")],
    )
    library = make_post(kind="library", title="신청서 서식", files=[pdf("신청서.pdf")])
    visits = {
        "anon": [
            "/",
            "/notices/",
            "/library/",
            "/terms/",
            "/search/?q=공모",
            f"/notices/{notice.pk}/",
            f"/library/{library.pk}/",
        ],
        "central": [
            "/",
            "/notices/manage/",
            "/notices/manage/notice/new/",
            f"/notices/manage/{notice.pk}/edit/",
            f"/notices/manage/{notice.pk}/delete/",
            f"/notices/{notice.pk}/",
        ],
    }
    problems: list[str] = []
    for persona, paths in visits.items():
        context = browser.new_context(locale="ko-KR", viewport={"width": WIDTHS[0], "height": 900})
        page = context.new_page()
        if persona != "anon":
            login(page, live_server, "central", "pw-central-2026!")
        for path in paths:
            page.set_viewport_size({"width": WIDTHS[0], "height": 900})
            assert page.goto(f"{live_server.url}{path}").status == 200, path
            for width in WIDTHS:
                if width != WIDTHS[0]:
                    page.set_viewport_size({"width": width, "height": 900})
                    page.wait_for_timeout(200)
                problems += check_page(page, f"{persona}{path.replace('/', '-')}", width, tmp_path)
        context.close()
    assert problems == []
