"""An officer records a monthly meeting with its attendance in a real browser (Chromium + Playwright)."""

from __future__ import annotations

import pytest

from tests.browser.support import axe_check, login
from yunghap.activities.models import Meeting

pytestmark = pytest.mark.browser


def test_officer_records_a_meeting_with_attendance(transactional_db, ledger, officer, page, live_server):  # noqa: F811
    login(page, live_server, "officer1", "pw-officer1-2026!")
    page.goto(f"{live_server.url}/activities/groups/{ledger.group.code}/meetings/new/?held_on=2025-03-13")
    # On that date the firm that left in 2024 is not on the sheet.
    sheet = page.locator("#attendance-sheet")
    assert sheet.get_by_label("마바소프트").count() == 0
    # Moving the date back redraws the sheet with every member of that day.
    page.fill("input[name=held_on]", "2024-03-14")
    sheet.get_by_label("마바소프트").wait_for()
    axe_check(page)
    page.get_by_role("button", name="전원 출석").click()
    assert page.locator("#attendance-count").inner_text() == "출석 3 / 3곳 (100.0%)"
    # Click the label as a user would: the design system draws the tick box over the input.
    sheet.locator("label", has_text="마바소프트").click()
    assert not sheet.get_by_label("마바소프트").is_checked()
    page.fill("input[name=place]", "테크노파크 세미나실")
    page.get_by_role("button", name="저장").click()
    page.wait_for_load_state("networkidle")
    assert "2 / 3개사" in page.locator("#attendance-summary").inner_text()
    axe_check(page)
    meeting = Meeting.objects.get()
    assert (meeting.listed_count, meeting.present_count, meeting.place) == (3, 2, "테크노파크 세미나실")
    assert not meeting.attendances.get(firm=ledger.gamma).present


def test_officer_deletes_a_meeting_after_confirming_and_undoes_it(
    transactional_db, ledger, officer, page, live_server
):
    import datetime

    from yunghap.activities import services

    meeting = services.record_meeting(
        ledger.group, actor=None, held_on=datetime.date(2024, 3, 14), present_firm_ids=[ledger.alpha.pk]
    )
    login(page, live_server, "officer1", "pw-officer1-2026!")
    page.goto(f"{live_server.url}/activities/meetings/{meeting.pk}/")
    page.get_by_role("link", name="이 모임 기록 삭제").click()
    summary = page.locator("#confirm-summary")
    assert "2024-03-14 월례회 모임 1건과 출석 기록 3건을 삭제합니다." in summary.inner_text()
    axe_check(page)
    page.get_by_role("button", name="삭제").click()
    page.wait_for_load_state("networkidle")
    assert "모임 기록을 삭제했습니다." in page.locator(".site-messages").inner_text()
    assert not Meeting.objects.exists()
    page.locator(".site-messages").get_by_role("link", name="되돌리기").click()
    assert "되돌립니다" in page.locator("#confirm-summary").inner_text()
    axe_check(page)
    page.get_by_role("button", name="되돌리기").click()
    page.wait_for_load_state("networkidle")
    assert "삭제한 기록을 되돌렸습니다." in page.locator(".site-messages").inner_text()
    assert Meeting.objects.filter(pk=meeting.pk).exists()


def test_with_javascript_the_question_opens_in_a_modal(transactional_db, ledger, officer, page, live_server):
    import datetime

    from yunghap.activities import services
    from yunghap.activities.models import Trade

    trade = services.record_trade(
        ledger.group,
        actor=None,
        buyer=ledger.alpha,
        seller=ledger.beta,
        item="금형",
        amount_krw=2_000_000,
        traded_on=datetime.date(2024, 3, 14),
    )
    login(page, live_server, "officer1", "pw-officer1-2026!")
    page.goto(f"{live_server.url}/activities/groups/{ledger.group.code}/trades/")
    page.get_by_role("link", name="금형 삭제").click()
    dialog = page.get_by_role("dialog", name="기록 삭제")
    dialog.wait_for()
    assert "2024-03-14 금형(2,000,000원) 회원간 수발주 기록 1건을 삭제합니다." in dialog.inner_text()
    assert page.url.endswith("/trades/"), "the list stays behind the dialog"
    axe_check(page)
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert Trade.objects.filter(pk=trade.pk).exists(), "closing the dialog deletes nothing"

    page.get_by_role("link", name="금형 삭제").click()
    dialog.get_by_role("button", name="삭제").click()
    page.wait_for_load_state("networkidle")
    assert "수발주 기록을 삭제했습니다." in page.locator(".site-messages").inner_text()
    assert not Trade.objects.filter(pk=trade.pk).exists()
    # The undo link in the message asks in a dialog too.
    page.locator(".site-messages").get_by_role("link", name="되돌리기").click()
    restore = page.get_by_role("dialog", name="삭제한 기록 되돌리기")
    restore.get_by_role("button", name="되돌리기").click()
    page.wait_for_load_state("networkidle")
    assert Trade.objects.filter(pk=trade.pk).exists()
    # The safe choice has the focus when the dialog opens: Enter does not delete.
    page.get_by_role("link", name="금형 삭제").click()
    page.get_by_role("dialog", name="기록 삭제").wait_for()
    assert page.evaluate("document.activeElement.id") == "confirm-cancel"
