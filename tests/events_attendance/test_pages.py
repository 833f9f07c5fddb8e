"""The attendance pages: who gets what (200/403/404), masked output and the access log, the check-in list
and its edits, the QR scan endpoint, the pass, certificate download and the public verification page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.events_attendance.world import add_attendance
from tests.events_rules.test_certificates import text_of
from tests.web.conftest import network  # noqa: F401  (the fixture)
from yunghap.core.models import AccessLog, AuditLog
from yunghap.events import attendance_services
from yunghap.events.certificates import certificate_number
from yunghap.events.models import Attendance, Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(network):  # noqa: F811
    return {"users": network.users, "network": network, **add_attendance({"users": network.users}, network)}


def get(client, user, url, **params):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


@pytest.mark.parametrize(
    "role, status",
    [("central", 200), ("seoul", 200), ("busan", 403), ("firm", 403), ("coordinator", 403), ("nobody", 403)],
)
def test_check_in_list_is_for_the_events_managers(client, w, role, status):
    url = reverse("events:attendance_list", args=[w["attendance_session"].pk])
    assert get(client, w["users"][role], url).status_code == status
    scan = reverse("events:attendance_scan", args=[w["attendance_session"].pk])
    assert get(client, w["users"][role], scan).status_code == status


def test_a_session_of_an_event_one_does_not_see_is_404(client, w):
    url = reverse("events:attendance_list", args=[w["busan_session"].pk])
    assert get(client, w["users"]["seoul"], url).status_code == 404
    assert get(client, w["users"]["firm"], url).status_code == 404
    assert get(client, w["users"]["busan"], url).status_code == 200
    assert (
        get(client, w["users"]["seoul"], reverse("events:attendance_list", args=[999999])).status_code == 404
    )


def test_list_shows_names_to_managers_and_logs_the_display(client, w):
    url = reverse("events:attendance_list", args=[w["attendance_session"].pk])
    response = get(client, w["users"]["seoul"], url)
    text = response.content.decode()
    assert "김수민" in text and "sumin@naver.com" in text
    assert "박대기" not in text  # waiting: not on the check-in list
    log = AccessLog.objects.get(user=w["users"]["seoul"], object_type="events.registration")
    assert log.object_ids == [str(w["attendance_holder"].pk)] and log.kind == "view"


def test_search_by_name_or_email(client, w):
    url = reverse("events:attendance_list", args=[w["attendance_session"].pk])
    assert "김수민" in get(client, w["users"]["seoul"], url, q="sumin@").content.decode()
    assert "김수민" not in get(client, w["users"]["seoul"], url, q="없는사람").content.decode()
    assert get(client, w["users"]["seoul"], url, q="x" * 500).status_code == 200
    assert get(client, w["users"]["seoul"], url, page="abc").status_code == 200


def test_staff_edit_minutes_late_left_early_and_the_certificate_follows(client, w):
    client.force_login(w["users"]["seoul"])
    holder, session = w["attendance_holder"], w["attendance_session"]
    url = reverse("events:attendance_record", args=[session.pk, holder.pk])
    prefix = f"r{holder.pk}"
    response = client.post(url, {"action": "save", f"{prefix}-minutes_present": "60", f"{prefix}-late": "on"})
    assert response.status_code == 302
    attendance = Attendance.objects.get(registration=holder, session=session)
    assert attendance.minutes_present == 60 and attendance.late and not attendance.left_early
    holder.refresh_from_db()
    assert not holder.completed
    assert Certificate.objects.get(registration=holder).revoked_at is not None
    # The same values again: nothing written (idempotent).
    audits = AuditLog.objects.count()
    client.post(url, {"action": "save", f"{prefix}-minutes_present": "60", f"{prefix}-late": "on"})
    assert AuditLog.objects.count() == audits


def test_invalid_edit_is_shown_again_with_korean_errors(client, w):
    client.force_login(w["users"]["seoul"])
    holder, session = w["attendance_holder"], w["attendance_session"]
    url = reverse("events:attendance_record", args=[session.pk, holder.pk])
    prefix = f"r{holder.pk}"
    response = client.post(url, {"action": "save", f"{prefix}-minutes_present": "999"})
    assert response.status_code == 200
    assert "회차 길이 180분" in response.content.decode()
    response = client.post(url, {"action": "save", f"{prefix}-minutes_present": "abc"})
    assert response.status_code == 200 and "참석 시간(분)" in response.content.decode()
    response = client.post(url, {})
    assert response.status_code == 200
    assert "출석 확인 또는 저장 중 하나를 선택해 주세요." in response.content.decode()
    waiting_url = reverse("events:attendance_record", args=[session.pk, w["attendance_waiting"].pk])
    response = client.post(waiting_url, {"action": "check_in"})
    assert response.status_code == 200
    assert "확정되지 않은 신청입니다(대기)." in response.content.decode()


def test_check_in_button_twice_says_already(client, w):
    client.force_login(w["users"]["seoul"])
    holder, session = w["attendance_holder"], w["attendance_session"]
    url = reverse("events:attendance_record", args=[session.pk, holder.pk])
    response = client.post(url, {"action": "check_in"}, follow=True)
    assert "김수민 님은 이미 출석 확인되었습니다." in response.content.decode()
    assert Attendance.objects.filter(registration=holder).count() == 1


def test_record_for_a_registration_of_another_event_is_404(client, w):
    client.force_login(w["users"]["central"])
    url = reverse("events:attendance_record", args=[w["attendance_session"].pk, w["busan_registration"].pk])
    assert client.post(url, {"action": "check_in"}).status_code == 404
    assert client.get(url).status_code == 405


def test_scan_endpoint_answers_json_in_korean(client, w):
    client.force_login(w["users"]["seoul"])
    session = w["attendance_session"]
    url = reverse("events:attendance_scan", args=[session.pk])
    json_headers = {"HTTP_ACCEPT": "application/json"}
    answer = client.post(url, {"token": "nonsense"}, **json_headers).json()
    assert answer == {
        "ok": False,
        "code": "token",
        "message": "올바른 입장권 QR 코드가 아닙니다. 입장권을 다시 열어 보여 주세요.",
        "name": "",
        "checked_in": 1,
    }
    token = attendance_services.pass_token(w["attendance_holder"])
    answer = client.post(url, {"token": token}, **json_headers).json()
    assert answer["ok"] and answer["code"] == "already" and answer["name"] == "김*민"
    waiting = attendance_services.pass_token(w["attendance_waiting"])
    answer = client.post(url, {"token": waiting}, **json_headers).json()
    assert answer["code"] == "not_confirmed" and not answer["ok"]
    other = attendance_services.pass_token(w["busan_registration"])
    answer = client.post(url, {"token": other}, **json_headers).json()
    assert answer["code"] == "other_event"
    assert answer["message"].startswith("이 신청은 다른 행사의 신청입니다.")
    # The fallback form: HTML, 200, with the message.
    response = client.post(url, {"token": "nonsense"})
    assert response.status_code == 200 and "올바른 입장권 QR 코드가 아닙니다." in response.content.decode()
    assert "camera=(self)" in response["Permissions-Policy"]


def test_scan_checks_in_by_token(client, w):
    from yunghap.events.registration import register, take_offer

    event, session = w["attendance_event"], w["attendance_session"]
    event.capacity = 3
    event.save()
    person = register(
        event, name="이새로", email="new@naver.com", at=session.starts_at.replace(month=3, day=6)
    )
    take_offer(person, now=session.starts_at.replace(day=7))
    client.force_login(w["users"]["seoul"])
    url = reverse("events:attendance_scan", args=[session.pk])
    token = attendance_services.pass_token(person)
    answer = client.post(url, {"token": token}, HTTP_ACCEPT="application/json").json()
    assert answer["ok"] and answer["code"] == "checked_in" and answer["name"] == "이*로"
    assert answer["checked_in"] == 2
    assert answer["message"].startswith("이*로 님의 출석을 확인했습니다.")
    attendance = Attendance.objects.get(registration=person, session=session)
    assert attendance.method == "qr" and attendance.recorded_by == w["users"]["seoul"]
    # A scanner that may not run the event: 403, nothing recorded.
    client.force_login(w["users"]["busan"])
    assert client.post(url, {"token": token}, HTTP_ACCEPT="application/json").status_code == 403


def test_pass_page_shows_the_qr_of_a_confirmed_registration(client, w):
    url = reverse("events:registration_pass", args=[w["attendance_holder"].pk])
    response = get(client, w["users"]["firm"], url)
    text = response.content.decode()
    assert response.status_code == 200 and '<svg class="qr-code"' in text
    assert attendance_services.pass_token(w["attendance_holder"]) in text
    assert "<script" not in text.split('id="pass-qr"')[1].split("</div>")[0]
    assert get(client, w["users"]["busan"], url).status_code == 404
    assert get(client, w["users"]["nobody"], url).status_code == 404
    assert get(client, w["users"]["seoul"], url).status_code == 200


def test_certificate_download_for_holder_firm_and_managers_only(client, w):
    certificate = w["attendance_certificate"]
    url = reverse("events:certificate_download", args=[certificate.pk])
    response = get(client, w["users"]["firm"], url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = text_of(response.content)
    assert "김수민" in text and "협력문화교육과정" in text and certificate.number in text and "3시간" in text
    assert "서울" in text  # the organising federation awards it
    assert AccessLog.objects.filter(user=w["users"]["firm"], kind="export").exists()
    assert get(client, w["users"]["seoul"], url).status_code == 200
    for role in ("busan", "nobody", "coordinator", "officer"):
        assert get(client, w["users"][role], url).status_code == 404, role


def test_verify_valid_revoked_unknown_malformed(client, w):
    url = reverse("events:certificate_verify")
    certificate = w["attendance_certificate"]
    assert get(client, None, url).status_code == 200
    text = get(client, None, url, number=certificate.number.lower()).content.decode()
    assert "유효한 수료증입니다." in text and "김*민" in text and "김수민" not in text
    assert "협력 문화 교육과정" in text and "3시간" in text
    unknown = certificate_number("COOP-2026", 99)
    text = get(client, None, url, number=unknown).content.decode()
    assert f"{unknown} 번호로 발급된 수료증이 없습니다." in text
    text = get(
        client,
        None,
        url,
        number="COOP-2026-00001-0" if not certificate.number.endswith("0") else "COOP-2026-00001-1",
    ).content.decode()
    assert "수료증 번호가 올바르지 않습니다. 번호를 다시 확인해 주세요." in text
    text = get(client, None, url, number="hello").content.decode()
    assert "수료증 번호의 형식이 올바르지 않습니다. 예: SEM2026-00042-K" in text
    assert get(client, None, url, number="x" * 5000).status_code == 200
    assert get(client, None, url, number="\x00").status_code in (200, 400)
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=certificate.issued_at)
    text = get(client, None, url, number=certificate.number).content.decode()
    assert "2026-03-20에 취소된 수료증입니다. 유효하지 않습니다." in text and "김*민" not in text
    assert not AccessLog.objects.exists()


def test_my_history_and_firm_section(client, w):
    response = get(client, w["users"]["firm"], reverse("events:my_history"))
    assert response.status_code == 200
    history = response.context["history"]
    assert history.completions == 1 and str(history.hours) == "3.00"
    assert w["attendance_certificate"].number in response.content.decode()
    firm_page = get(
        client, w["users"]["seoul"], reverse("network:firm_detail", args=[w["network"].member_firm.brn])
    )
    text = firm_page.content.decode()
    assert "협력 문화 교육과정" in text and 'id="firm-education"' in text
    assert "출석 인정 시간 합계 3.00시간, 수료 1건" in text
    assert get(client, None, reverse("events:my_history")).status_code == 302


def test_attendance_index(client, w):
    url = reverse("events:attendance_index")
    assert get(client, w["users"]["firm"], url).status_code == 403
    response = get(client, w["users"]["seoul"], url, when="past")
    assert response.status_code == 200 and "협력 문화 교육과정" in response.content.decode()
    assert "협력 문화 교육과정" not in get(client, w["users"]["busan"], url, when="past").content.decode()
