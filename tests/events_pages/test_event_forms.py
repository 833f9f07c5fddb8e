"""Creating and editing events and sessions through the pages: rules with their Korean messages, one write
per submit (one-time token), version conflicts, and the notice of a changed session."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events_pages.conftest import at
from yunghap.core.models import AuditLog, Notification
from yunghap.events import event_services, registration
from yunghap.events.models import Event, EventSession, Registration

pytestmark = pytest.mark.django_db


def event_data(**overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "code": "seoul-2026-03",
        "organiser": "seoul",
        "title": "금형·센서 융합 기술세미나",
        "kind": "seminar",
        "audience": "region",
        "audience_target": "seoul",
        "capacity": "30",
        "registration_opens": today.isoformat(),
        "registration_closes": (today + datetime.timedelta(days=7)).isoformat(),
        "cancellation_deadline": "",
        "fee": "0",
        "offer_hours": "48",
        "attended_share": "50",
        "marks_per_absence": "3",
        "late_after_minutes": "10",
        "completion_threshold": "80.0",
        "form_token": "tok-event-create-0000000001",
    }
    data.update(overrides)
    return data


def errors_of(response) -> str:
    return response.content.decode()


def test_seoul_staff_create_a_seoul_event_once(network, login):
    client = login(network.users["seoul"])
    url = reverse("events:event_create")
    first = client.post(url, event_data())
    assert first.status_code == 302
    assert first["Location"] == reverse("events:session_add", kwargs={"code": "seoul-2026-03"})
    again = client.post(url, event_data())  # the same form pressed twice
    assert again.status_code == 302
    assert again["Location"] == reverse("events:event_detail", kwargs={"code": "seoul-2026-03"})
    event = Event.objects.get()
    assert event.organiser.code == "seoul" and event.audience_region.code == "seoul"
    assert event.created_by == network.users["seoul"]
    assert AuditLog.objects.filter(action="events.event.create").count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"registration_closes": "2020-01-01"}, "신청 마감일(2020-01-01)이 신청 시작일"),
        ({"capacity": "0"}, "1 이상"),
        ({"audience_target": ""}, "대상 코드(연합회 코드, 교류회 코드, 접수번호)를 입력해 주세요."),
        ({"audience_target": "nowhere"}, "지역 연합회 코드 &#x27;nowhere&#x27;를 찾을 수 없습니다."),
        ({"audience": "everyone", "audience_target": "seoul"}, "대상 코드를 비워 두세요."),
        ({"code": "mine"}, "&#x27;mine&#x27;은 행사 코드로 쓸 수 없습니다."),
        ({"fee": "-1000"}, "0 이상"),
        ({"organiser": "busan"}, "올바르게 선택해 주세요"),
        ({"organiser": "national"}, "올바르게 선택해 주세요"),
    ],
)
def test_create_refusals_are_shown_in_korean(network, login, overrides, message):
    client = login(network.users["seoul"])
    response = client.post(reverse("events:event_create"), event_data(**overrides))
    assert response.status_code == 200
    assert message in errors_of(response)
    assert not Event.objects.exists()


def test_a_taken_code_is_refused(network, login, seoul_event):
    client = login(network.users["central"])
    response = client.post(
        reverse("events:event_create"), event_data(code=seoul_event.code, organiser="national")
    )
    assert "행사 코드 &#x27;seoul-seminar&#x27;는 이미 쓰이고 있습니다." in errors_of(response)


def test_central_staff_may_create_a_national_event(network, login):
    client = login(network.users["central"])
    response = client.post(
        reverse("events:event_create"),
        event_data(organiser="national", audience="everyone", audience_target=""),
    )
    assert response.status_code == 302
    assert Event.objects.get().organiser is None


def edit_data(event: Event, **overrides: str) -> dict[str, str]:
    data = event_data(version=str(event.version))
    for name in ("code", "organiser", "form_token"):
        data.pop(name)
    data.update(overrides)
    return data


def test_edit_with_a_stale_version_shows_the_conflict(network, login, seoul_event):
    client = login(network.users["seoul"])
    url = reverse("events:event_edit", kwargs={"code": seoul_event.code})
    read_at = seoul_event.version
    event_services.update_event(
        seoul_event, actor=network.users["central"], expected_version=read_at, title="바뀐 제목"
    )
    response = client.post(url, edit_data(seoul_event, version=str(read_at), title="내 제목"))
    assert response.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in errors_of(response)
    assert Event.objects.get(pk=seoul_event.pk).title == "바뀐 제목"
    # Saving again (the page now carries the current version) is deliberate and goes through.
    seoul_event.refresh_from_db()
    again = client.post(url, edit_data(seoul_event, title="내 제목"))
    assert again.status_code == 302
    assert Event.objects.get(pk=seoul_event.pk).title == "내 제목"


def test_capacity_may_not_drop_below_the_seats_held(network, login, seoul_event):
    for n in range(2):
        registration.register(seoul_event, name=f"참가자{n}", email=f"p{n}@a.kr", firm=network.member_firm)
    client = login(network.users["seoul"])
    seoul_event.refresh_from_db()
    response = client.post(
        reverse("events:event_edit", kwargs={"code": seoul_event.code}), edit_data(seoul_event, capacity="1")
    )
    assert "정원(1명)을 이미 확정·제안된 좌석 2석보다 적게 줄일 수 없습니다." in errors_of(response)


def session_data(event: Event, **overrides: str) -> dict[str, str]:
    data = {
        "starts_at": at(30).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": at(30, 18).strftime("%Y-%m-%dT%H:%M"),
        "place": "부산 벡스코 3층",
        "online_link": "",
        "hours": "",
        "capacity": "",
        "version": str(event.version),
        "form_token": "tok-session-add-00000000001",
    }
    data.update(overrides)
    return data


def test_add_a_session_once_with_hours_from_its_length(network, login, seoul_event):
    client = login(network.users["seoul"])
    url = reverse("events:session_add", kwargs={"code": seoul_event.code})
    assert client.post(url, session_data(seoul_event)).status_code == 302
    assert client.post(url, session_data(seoul_event)).status_code == 302  # pressed twice
    added = EventSession.objects.filter(event=seoul_event).order_by("starts_at").last()
    assert EventSession.objects.filter(event=seoul_event).count() == 2
    assert str(added.hours) == "4.00"
    assert Event.objects.get(pk=seoul_event.pk).version == seoul_event.version + 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"ends_at": at(30, 10).strftime("%Y-%m-%dT%H:%M")}, "시작 일시"),
        ({"place": "", "online_link": ""}, "회차의 장소나 온라인 주소 중 하나는 입력해 주세요."),
        ({"hours": "-1"}, "인정 시간은 0 이상이어야 합니다."),
        ({"capacity": "0"}, "1 이상"),
        (
            {
                "starts_at": at(20, 15).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": at(20, 19).strftime("%Y-%m-%dT%H:%M"),
            },
            "이 행사의 다른 회차",
        ),
        ({"starts_at": "2026-13-01T10:00"}, "올바른 날짜/시각을 입력하세요."),
    ],
)
def test_session_refusals_are_shown_in_korean(network, login, seoul_event, overrides, message):
    client = login(network.users["seoul"])
    response = client.post(
        reverse("events:session_add", kwargs={"code": seoul_event.code}),
        session_data(seoul_event, **overrides),
    )
    assert response.status_code == 200
    assert message in errors_of(response)
    assert EventSession.objects.filter(event=seoul_event).count() == 1


def test_a_session_before_the_cancellation_deadline_is_refused(network, login, seoul_event):
    Event.objects.filter(pk=seoul_event.pk).update(cancellation_deadline=at(15))
    seoul_event.refresh_from_db()
    client = login(network.users["seoul"])
    response = client.post(
        reverse("events:session_add", kwargs={"code": seoul_event.code}),
        session_data(
            seoul_event,
            starts_at=at(5).strftime("%Y-%m-%dT%H:%M"),
            ends_at=at(5, 18).strftime("%Y-%m-%dT%H:%M"),
        ),
    )
    assert "첫 회차 시작" in errors_of(response) and "전이어야 합니다." in errors_of(response)


def test_a_changed_session_is_told_to_everyone_registered(
    network, login, seoul_event, django_capture_on_commit_callbacks
):
    firm_user = network.users["firm"]
    registration.register(
        seoul_event,
        name="새영 직원",
        email="me@example.com",
        firm=network.member_firm,
        user=firm_user,
        actor=firm_user,
    )
    cancelled = registration.register(
        seoul_event,
        name="취소한 분",
        email="gone@example.com",
        firm=network.member_firm,
        user=network.users["officer"],
    )
    registration.cancel(cancelled)
    session = seoul_event.sessions.get()
    seoul_event.refresh_from_db()
    client = login(network.users["seoul"])
    url = reverse("events:session_edit", kwargs={"code": seoul_event.code, "pk": session.pk})
    data = session_data(
        seoul_event,
        starts_at=at(21).strftime("%Y-%m-%dT%H:%M"),
        ends_at=at(21, 17).strftime("%Y-%m-%dT%H:%M"),
    )
    data.pop("form_token")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    assert response.status_code == 302
    told = Notification.objects.filter(code="events.session.changed")
    assert [n.recipient for n in told] == [firm_user]
    assert told.get().params["after"].startswith(at(21).strftime("%Y-%m-%d 14:00"))


def test_a_session_is_deleted_after_asking(network, login, seoul_event):
    session = seoul_event.sessions.get()
    client = login(network.users["seoul"])
    url = reverse("events:session_delete", kwargs={"code": seoul_event.code, "pk": session.pk})
    page = client.get(url)
    assert page.status_code == 200 and "회차를 삭제합니다." in page.content.decode()
    assert EventSession.objects.filter(pk=session.pk).exists()
    assert client.post(url, {}).status_code == 400  # no token: nothing happens
    done = client.post(url, {"form_token": "tok-delete-session-000000001"})
    assert done.status_code == 302
    assert not EventSession.objects.filter(pk=session.pk).exists()
    assert AuditLog.objects.filter(action="events.session.delete").count() == 1


def test_people_who_only_see_an_event_may_not_edit_it(network, login, seoul_event):
    client = login(network.users["officer"])
    assert client.get(reverse("events:event_edit", kwargs={"code": seoul_event.code})).status_code == 403
    client = login(network.users["busan"])
    assert client.get(reverse("events:event_edit", kwargs={"code": seoul_event.code})).status_code == 404


def test_registrations_hold_their_status_through_edits(network, seoul_event):
    made = registration.register(seoul_event, name="가", email="a@a.kr", firm=network.member_firm)
    event_services.update_event(seoul_event, actor=network.users["seoul"], expected_version=None, capacity=9)
    assert Registration.objects.get(pk=made.pk).status == Registration.Status.CONFIRMED


def test_a_session_form_read_before_an_event_edit_shows_the_conflict(network, login, seoul_event):
    client = login(network.users["seoul"])
    read_at = seoul_event.version
    event_services.update_event(
        seoul_event, actor=network.users["central"], expected_version=read_at, capacity=7
    )
    data = session_data(seoul_event, version=str(read_at))
    response = client.post(reverse("events:session_add", kwargs={"code": seoul_event.code}), data)
    assert response.status_code == 200
    assert "다른 사용자가 먼저 이 정보를 수정했습니다." in errors_of(response)
    assert EventSession.objects.filter(event=seoul_event).count() == 1


def test_an_event_is_free_unless_a_fee_is_set_and_the_fee_is_shown_in_won(network, login, client):
    staff = login(network.users["seoul"])
    assert staff.post(reverse("events:event_create"), event_data()).status_code == 302
    event = Event.objects.get()
    assert event.fee == 0
    page = client.get(reverse("events:event_detail", kwargs={"code": event.code}))
    assert '<dd id="event-fee">무료</dd>' in page.content.decode()
    url = reverse("events:event_edit", kwargs={"code": event.code})
    assert staff.post(url, edit_data(event, fee="35000")).status_code == 302
    event.refresh_from_db()
    assert event.fee == 35000
    page = client.get(reverse("events:event_detail", kwargs={"code": event.code}))
    assert '<dd id="event-fee">35,000원</dd>' in page.content.decode()
