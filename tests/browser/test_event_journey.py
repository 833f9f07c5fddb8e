"""The issue's end-to-end journey in Chromium (issue 11): a full course, a waiting-list place, the seat
offered when the holder cancels, taken, the pass's QR code scanned at the door by the event's staff (a fake
camera playing the pass), completion and the certificate, its PDF read back in Hangul, and the public page
verifying its number. Every step goes through the real pages; the database is only read to check them.
No page logs a console error or breaks the Content-Security-Policy."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.support import CHROMIUM_ARGS, chromium_path, csp_violations, login, watch_csp
from tests.browser.test_events_qr import write_y4m
from tests.events.factories import make_event
from tests.events_rules.test_certificates import text_of
from tests.factories import region
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.events import attendance_services
from yunghap.events.models import Attendance, Certificate, Event, EventSession, Registration
from yunghap.events.registration import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "스마트공장 실무 과정"
HOLDER_NAME = "김혜민"  # person B, as they write it on the form


def watch(page: Any) -> tuple[list[str], list[str]]:
    """CSP violations (support.watch_csp) and every console error or uncaught exception of the page."""
    errors: list[str] = []
    page.on(
        "console",
        lambda message: errors.append(f"{page.url} {message.text}") if message.type == "error" else None,
    )
    page.on("pageerror", lambda error: errors.append(f"{page.url} {error}"))
    return watch_csp(page), errors


def assert_clean(page: Any, csp: list[str], errors: list[str]) -> None:
    assert csp_violations(page, csp) == [], "CSP violations"
    assert errors == [], "console errors"


def signed_in(browser: Any, live_server: Any, username: str) -> tuple[Any, Any, list[str], list[str]]:
    context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    csp, errors = watch(page)
    login(page, live_server, username, f"pw-{username}-2026!")
    return context, page, csp, errors


@pytest.fixture
def camera_browser(browser, tmp_path):
    """Start (with a token) a second Chromium, of the same Playwright, whose fake camera plays that token's
    QR code (test_events_qr.write_y4m): a second sync Playwright cannot start inside the first one's loop."""
    launched: list[Any] = []

    def start(token: str) -> Any:
        video = tmp_path / "camera.y4m"
        write_y4m(video, token)
        camera = browser.browser_type.launch(
            executable_path=chromium_path(),
            headless=True,
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        launched.append(camera)
        return camera

    yield start
    for camera in launched:
        camera.close()


def test_waiting_list_offer_qr_check_in_certificate_and_verification(
    browser,
    camera_browser,
    live_server,
    network,  # noqa: F811
):
    # A course for everyone, registration open today, capacity 1, its one session starting in 10 minutes
    # (check-in opens 30 minutes before the start; cancelling is allowed until the start). Person A (the
    # firm user) already holds the only seat.
    now = timezone.now()
    today = timezone.localdate(now)
    event = make_event(
        capacity=1,
        organiser=region("seoul"),
        kind=Event.Kind.COURSE,
        title=TITLE,
        opens=(today - datetime.timedelta(days=1)).isoformat(),
        closes=(today + datetime.timedelta(days=1)).isoformat(),
        first_session=None,
    )
    start = (now + datetime.timedelta(minutes=10)).replace(second=0, microsecond=0)
    session = EventSession.objects.create(
        event=event,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        place="서울 중소기업중앙회 2층",
    )
    holder = register(
        event,
        name="박서준",
        email="seojun@naver.com",
        firm=network.member_firm,
        user=network.users["firm"],
        actor=network.users["firm"],
    )
    assert holder.status == Registration.Status.CONFIRMED
    person_b = network.users["nobody"]
    detail = f"{live_server.url}{reverse('events:event_detail', args=[event.code])}"

    # 1. B signs in, opens the event page, signs up: the course is full, so B gets the first waiting place.
    b_context, b_page, b_csp, b_errors = signed_in(browser, live_server, "nobody")
    b_page.goto(detail)
    expect(b_page.locator("#seats-left")).to_have_text("0석")
    expect(b_page.locator("#register-button")).to_have_text("대기 신청하기")
    b_page.locator("#register-button").click()
    b_page.get_by_label("이름").fill(HOLDER_NAME)
    b_page.get_by_label("이메일").fill("hyemin@example.com")
    b_page.locator("#register-form button[type=submit]").click()
    b_page.wait_for_url(f"**{reverse('events:my_registrations')}")
    expect(b_page.locator(".site-messages")).to_contain_text(
        "정원이 차서 대기자 명단 1번째에 올랐습니다. 자리가 나면 알려 드립니다."
    )
    row = b_page.locator("#my-registrations tbody tr", has_text=TITLE)
    expect(row).to_contain_text("대기 1번째")
    mine = Registration.objects.get(event=event, user=person_b)
    assert (mine.status, mine.name) == (Registration.Status.WAITING, HOLDER_NAME)
    b_page.goto(detail)
    expect(b_page.locator("#my-status")).to_have_text("내 신청: 대기")
    expect(b_page.locator("#waiting-count")).to_have_text("대기자 1명")
    assert_clean(b_page, b_csp, b_errors)

    # 2. A cancels on the event page, through the confirmation step: the freed seat is offered to B.
    a_context, a_page, a_csp, a_errors = signed_in(browser, live_server, "firmuser")
    a_page.goto(detail)
    expect(a_page.locator("#my-status")).to_have_text("내 신청: 확정")
    a_page.get_by_role("link", name="신청 취소").click()
    expect(a_page.locator("#confirm-summary")).to_contain_text(f"박서준 님의 '{TITLE}' 신청을 취소합니다.")
    expect(a_page.locator("#confirm-summary")).to_contain_text(
        "비게 되는 좌석은 대기자 명단의 첫 분께 제안됩니다."
    )
    assert (
        Registration.objects.get(pk=holder.pk).status == Registration.Status.CONFIRMED
    )  # asking wrote nothing
    a_page.locator("#confirm-submit").click()
    a_page.wait_for_url(f"**{reverse('events:event_detail', args=[event.code])}")
    expect(a_page.locator(".site-messages")).to_contain_text(f"'{TITLE}' 신청을 취소했습니다.")
    assert Registration.objects.get(pk=holder.pk).status == Registration.Status.CANCELLED
    assert_clean(a_page, a_csp, a_errors)
    a_context.close()

    # 3. B sees the offer on the event page and takes the seat: confirmed.
    b_page.goto(detail)
    expect(b_page.locator("#my-status")).to_contain_text("내 신청: 좌석 제안")
    b_page.get_by_role("link", name="좌석 받기").click()
    expect(b_page.locator("#confirm-summary")).to_contain_text(
        f"{HOLDER_NAME} 님께 제안된 '{TITLE}' 좌석을 받습니다."
    )
    b_page.locator("#confirm-submit").click()
    b_page.wait_for_url(f"**{reverse('events:my_registrations')}")
    expect(b_page.locator(".site-messages")).to_contain_text(
        f"좌석을 받았습니다. '{TITLE}' 신청이 확정되었습니다."
    )
    mine.refresh_from_db()
    assert mine.status == Registration.Status.CONFIRMED

    # 4. B opens the pass (입장권) from the history page: the QR code and the code it carries.
    b_page.goto(f"{live_server.url}{reverse('events:my_history')}")
    b_page.locator("#history-table tbody tr", has_text=TITLE).get_by_role("link", name="입장권").click()
    expect(b_page.locator("#pass-status")).to_have_text("확정")
    expect(b_page.locator("#pass-qr svg.qr-code")).to_be_visible()
    expect(b_page.locator("#certificate-link")).to_have_count(0)
    token = b_page.locator("#pass-token").inner_text().strip()
    assert token == attendance_services.pass_token(mine)
    assert_clean(b_page, b_csp, b_errors)

    # The event's staff (Seoul, the organiser) open the session's scanner from the check-in list, in a
    # Chromium whose camera shows that pass: the page reads it and checks B in.
    staff_context = camera_browser(token).new_context(locale="ko-KR", viewport={"width": 800, "height": 1000})
    staff_context.set_default_timeout(20_000)
    staff_context.grant_permissions(["camera"], origin=live_server.url)
    staff = staff_context.new_page()
    staff_csp, staff_errors = watch(staff)
    login(staff, live_server, "seoul", "pw-seoul-2026!")
    staff.goto(f"{live_server.url}{reverse('events:attendance_index')}")
    staff.locator("tr", has_text=TITLE).get_by_role("link", name="QR 스캔").click()
    assert staff.url.endswith(reverse("events:attendance_scan", args=[session.pk]))
    result = staff.locator("#scan-result")
    expect(result).to_have_attribute("data-code", "checked_in")
    expect(result).to_contain_text("김*민 님의 출석을 확인했습니다.")
    expect(staff.locator("#scan-count-number")).to_have_text("1")
    attendance = Attendance.objects.get(registration=mine, session=session)
    assert attendance.method == Attendance.Method.QR and attendance.recorded_by == network.users["seoul"]
    assert attendance.minutes_present == 120 and not attendance.late
    assert_clean(staff, staff_csp, staff_errors)
    staff_context.close()

    # 5. The whole course attended: completed, certificate issued. B downloads it from the pass page; the
    # PDF names B as written, the course and says 수료.
    mine.refresh_from_db()
    assert mine.completed
    certificate = Certificate.objects.get(registration=mine, revoked_at__isnull=True)
    assert certificate.holder_name == HOLDER_NAME
    b_page.reload()
    link = b_page.locator("#certificate-link")
    expect(link).to_have_text(f"수료증 {certificate.number} 내려받기 (PDF)")
    with b_page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"certificate-{certificate.number}.pdf"
    text = text_of(Path(download.value.path()).read_bytes())
    assert HOLDER_NAME in text
    assert TITLE.replace(" ", "") in text
    assert "수료" in text
    assert certificate.number in text
    assert_clean(b_page, b_csp, b_errors)
    b_context.close()

    # 6. Anyone, signed out, verifies the number on the public page: valid, the name masked, the course.
    anon_context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 900})
    anon = anon_context.new_page()
    anon_csp, anon_errors = watch(anon)
    anon.goto(f"{live_server.url}{reverse('events:certificate_verify')}")
    anon.locator("#id_number").fill(certificate.number)
    anon.locator("#verify-form [type=submit]").click()
    expect(anon.locator("#verify-result")).to_have_attribute("data-state", "valid")
    expect(anon.locator("#verify-message")).to_have_text("유효한 수료증입니다.")
    facts = anon.locator("#verify-facts")
    expect(facts).to_contain_text(certificate.number)
    expect(facts).to_contain_text("김*민")
    expect(facts).to_contain_text(TITLE)
    expect(facts).not_to_contain_text(HOLDER_NAME)
    expect(facts).to_contain_text("2시간")
    assert_clean(anon, anon_csp, anon_errors)
    anon_context.close()
