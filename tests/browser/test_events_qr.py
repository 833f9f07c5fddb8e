"""Check-in by QR code in Chromium (issue 11 §3): a staff member opens the scan page of a session, the
phone camera is Chromium's fake camera playing a Y4M file made here from the QR code of a real
registration's pass, jsQR (vendored from npm) decodes it, the page posts the token and shows the result
(name masked), and the attendance row is in the database. Also: the pass page shows the same QR as inline
SVG, and neither page breaks the Content-Security-Policy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.support import (
    axe_check,
    csp_violations,
    launch_chromium,
    login,
    watch_csp,
)
from tests.events.factories import kst, make_event
from tests.events_rules.test_certificates import text_of
from tests.factories import region
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.events import attendance_services
from yunghap.events.models import Attendance, Certificate, Event
from yunghap.events.registration import register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def write_y4m(path: Path, text: str) -> None:
    """One 4:2:0 frame (Chromium loops the file): the QR code of `text`, black on white, centred."""
    import qrcode
    from PIL import Image

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=1, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.make_image(fill_color="black", back_color="white").convert("L")
    side = min(WIDTH, HEIGHT) - 40
    scaled = matrix.resize((side, side), Image.NEAREST)
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(scaled, ((WIDTH - side) // 2, (HEIGHT - side) // 2))
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with path.open("wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F1:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        out.write(b"FRAME\n")
        out.write(frame.tobytes())  # Y plane: the grey levels themselves
        out.write(chroma)  # U
        out.write(chroma)  # V


@pytest.fixture
def camera_page(browser, live_server, tmp_path):
    """Starts (with a token) a Chromium whose camera plays that token's QR as a Y4M video."""
    video = tmp_path / "camera.y4m"
    holder: dict[str, Any] = {}

    def start(token: str) -> Any:
        write_y4m(video, token)
        camera_browser = launch_chromium(
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        )
        context = camera_browser.new_context(locale="ko-KR", viewport={"width": 800, "height": 1000})
        context.set_default_timeout(20_000)
        context.grant_permissions(["camera"], origin=live_server.url)
        holder.update(browser=camera_browser, context=context)
        return context.new_page()

    yield start
    if "context" in holder:
        holder["context"].close()
        holder["browser"].close()


def test_staff_check_a_person_in_by_scanning_their_pass(camera_page, live_server, network):  # noqa: F811
    event = make_event(capacity=5, organiser=region("seoul"), kind=Event.Kind.COURSE, title="QR 출석 교육")
    session = event.sessions.get()
    person = register(
        event,
        name="김수민",
        email="sumin@naver.com",
        firm=network.member_firm,
        user=network.users["firm"],
        actor=network.users["firm"],
        at=kst("2026-03-05 10:00"),
    )
    token = attendance_services.pass_token(person)
    page = camera_page(token)
    console = watch_csp(page)

    # The participant's pass shows the QR code (inline SVG) and the fallback code.
    login(page, live_server, "firmuser", "pw-firmuser-2026!")
    page.goto(f"{live_server.url}/events/registrations/{person.pk}/pass/")
    expect(page.locator("#pass-qr svg.qr-code")).to_be_visible()
    expect(page.locator("#pass-token")).to_have_text(token)
    assert csp_violations(page, console) == []
    axe_check(page)  # (axe-core itself applies inline styles: checked after the page's own policy check)
    console.clear()

    # Seoul staff open the session's scanner; the fake camera shows that pass; the person is checked in.
    page.context.clear_cookies()
    login(page, live_server, "seoul", "pw-seoul-2026!")
    page.goto(f"{live_server.url}/events/attendance/sessions/{session.pk}/scan/")
    expect(page.locator("#scanner")).to_be_visible()
    result = page.locator("#scan-result")
    expect(result).to_have_attribute("data-code", "checked_in")
    expect(result).to_contain_text("김*민 님의 출석을 확인했습니다.")
    expect(page.locator("#scan-count-number")).to_have_text("1")
    attendance = Attendance.objects.get(registration=person, session=session)
    assert attendance.method == "qr" and attendance.checked_in_at is not None
    assert Certificate.objects.filter(registration=person, revoked_at__isnull=True).exists()
    # The camera keeps showing the pass: once the repeat pause is over it is sent again, and the answer
    # says the person was already checked in; still one row.
    expect(result).to_have_attribute("data-code", "already", timeout=15_000)
    expect(result).to_contain_text("김*민 님은 이미 출석 확인되었습니다.")
    assert Attendance.objects.filter(registration=person).count() == 1
    assert csp_violations(page, console) == []
    axe_check(page)
    console.clear()

    # Without a camera (a browser without getUserMedia) the scanner stays hidden and the manual form does
    # the work: a code that is not a pass is refused in Korean, the pass's code says "already".
    page.add_init_script("Object.defineProperty(navigator, 'mediaDevices', {value: undefined});")
    page.reload()
    expect(page.locator("#scanner")).to_be_hidden()
    page.locator("#id_token").fill(token)
    page.locator("#manual-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#scan-result")).to_contain_text("김*민 님은 이미 출석 확인되었습니다.")
    page.locator("#id_token").fill("not-a-pass")
    page.locator("#manual-form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#scan-result")).to_contain_text("올바른 입장권 QR 코드가 아닙니다.")

    # The participant completed (one session attended in full): the pass links the certificate, whose PDF
    # names them in Hangul, and the public page verifies its number with the name masked.
    page.context.clear_cookies()
    login(page, live_server, "firmuser", "pw-firmuser-2026!")
    page.goto(f"{live_server.url}/events/history/")
    expect(page.locator("#history-completions")).to_have_text("1건")
    page.goto(f"{live_server.url}/events/registrations/{person.pk}/pass/")
    number = Certificate.objects.get(registration=person).number
    with page.expect_download() as download:
        page.locator("#certificate-link").click()
    text = text_of(Path(download.value.path()).read_bytes())
    assert "김수민" in text and "QR출석교육" in text and number in text
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/events/certificates/verify/")
    page.locator("#id_number").fill(number.lower())
    page.locator("#verify-form [type=submit]").click()
    expect(page.locator("#verify-message")).to_have_text("유효한 수료증입니다.")
    expect(page.locator("#verify-facts")).to_contain_text("김*민")
    expect(page.locator("#verify-facts")).to_contain_text("QR 출석 교육")
