"""The attendance services: the rules (codes and Korean messages), check-in, completion stored on the
registration, and certificates issued, revoked and reissued (never changed)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.events_attendance.helpers import course, during, person, sessions
from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog, Notification
from yunghap.events import attendance_services as svc
from yunghap.events.certificates import parse_certificate_number
from yunghap.events.models import Attendance, Certificate, Registration
from yunghap.events.registration import cancel

pytestmark = pytest.mark.django_db

LIST = Attendance.Method.LIST


def refused(call, code):
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.code == code
    return caught.value.messages[0]


def test_check_in_records_the_whole_session_and_completes_a_one_session_course():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    result = svc.check_in(registration, session, actor=None, at=during(session, 5))
    assert not result.already
    attendance = result.attendance
    assert (
        attendance.minutes_present == 180
        and not attendance.late
        and attendance.checked_in_at == during(session, 5)
    )
    registration.refresh_from_db()
    assert registration.completed and registration.attendance_rate == Decimal("100.0")
    assert registration.hours_attended == Decimal("3.00")
    certificate = Certificate.objects.get(registration=registration)
    assert certificate.seq == 1 and certificate.holder_name == registration.name
    assert parse_certificate_number(certificate.number).event_code == event.code.upper()
    assert AuditLog.objects.filter(action="events.certificate_issue", object_id=str(certificate.pk)).exists()
    assert AuditLog.objects.filter(action="events.check_in").count() == 1


def test_check_in_twice_says_already_and_changes_nothing():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    first = svc.check_in(registration, session, actor=None, at=during(session))
    again = svc.check_in(registration, session, actor=None, at=during(session, 20))
    assert again.already and again.attendance.pk == first.attendance.pk
    assert Attendance.objects.count() == 1 and Certificate.objects.count() == 1


def test_check_in_after_the_grace_is_late():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    svc.check_in(registration, session, actor=None, at=during(session, 11))
    assert Attendance.objects.get().late


def test_check_in_opens_thirty_minutes_before_the_start():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    message = refused(
        lambda: svc.check_in(registration, session, actor=None, at=during(session, -31)), "not_started"
    )
    assert message == "아직 시작하지 않은 회차입니다. 출석 확인은 2026-03-20 13:30부터 할 수 있습니다."
    svc.check_in(registration, session, actor=None, at=during(session, -30))
    assert Attendance.objects.count() == 1


def test_session_of_another_event_is_refused():
    event, other = course(), course()
    registration = person(event)
    (session,) = sessions(other)
    message = refused(
        lambda: svc.check_in(registration, session, actor=None, at=during(session)), "other_event"
    )
    assert message.startswith("이 신청은 다른 행사의 신청입니다.")


def test_waiting_and_cancelled_registrations_are_refused():
    event = course(capacity=1)
    first = person(event, 1)
    waiting = person(event, 2)
    (session,) = sessions(event)
    message = refused(lambda: svc.check_in(waiting, session, actor=None, at=during(session)), "not_confirmed")
    assert message == "확정되지 않은 신청입니다(대기). 확정된 참가자만 출석할 수 있습니다."
    cancel(first, now=during(session, -600))
    message = refused(
        lambda: svc.record_attendance(
            first,
            session,
            minutes_present=10,
            late=False,
            left_early=False,
            method=LIST,
            actor=None,
            at=during(session),
        ),
        "cancelled",
    )
    assert message == "취소된 신청입니다. 출석을 기록할 수 없습니다."


def test_minutes_beyond_the_session_are_refused():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    message = refused(
        lambda: svc.record_attendance(
            registration,
            session,
            minutes_present=181,
            late=False,
            left_early=False,
            method=LIST,
            actor=None,
            at=during(session, 200),
        ),
        "minutes",
    )
    assert "회차 길이 180분" in message


def test_a_person_not_running_the_event_may_not_record():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    with pytest.raises(PermissionDenied):
        svc.check_in(registration, session, actor=make_user("nobody"), at=during(session))
    assert not Attendance.objects.exists()
    svc.check_in(registration, session, actor=make_user("boss", Role.CENTRAL_STAFF), at=during(session))
    assert Attendance.objects.get().recorded_by.username == "boss"


def _record(registration, session, minutes, late=False, left_early=False):
    return svc.record_attendance(
        registration,
        session,
        minutes_present=minutes,
        late=late,
        left_early=left_early,
        method=LIST,
        actor=None,
        at=during(session, 200),
    )


def test_five_sessions_completion_follows_the_rules_and_certificate_is_revoked_and_reissued():
    event = course(sessions=5, hours=2)  # 10 hours in all
    registration = person(event)
    s = sessions(event)
    for session in s[:4]:
        _record(registration, session, 120)
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("80.0") and registration.completed
    first = Certificate.objects.get()
    assert first.hours == Decimal("8.00") and first.revoked_at is None

    # The fifth session attended: still completed, more hours → the old one revoked, a new one issued.
    _record(registration, s[4], 60)  # exactly half of 120 minutes is attended
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("100.0")
    first.refresh_from_db()
    assert first.revoked_at is not None and "이수 시간" in first.revoke_reason
    second = Certificate.objects.get(revoked_at__isnull=True)
    assert second.seq == 2 and second.hours == Decimal("10.00")

    # Three late arrivals: one absence (the shortest session first): 80 %, reissued again.
    for session in s[:3]:
        _record(registration, session, 120, late=True)
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("80.0") and registration.completed
    assert Certificate.objects.filter(revoked_at__isnull=True).get().seq == 3

    # A correction to 59 minutes (less than half) on one more: 60 % → not completed, revoked, none valid.
    _record(registration, s[4], 59)
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("60.0") and not registration.completed
    assert not Certificate.objects.filter(revoked_at__isnull=True).exists()
    last = Certificate.objects.get(seq=3)
    assert last.revoke_reason == "출석 정정으로 수료 기준에 미달하게 되었습니다."
    assert AuditLog.objects.filter(action="events.certificate_revoke").count() == 3


def test_the_same_values_again_write_nothing():
    event = course()
    registration = person(event)
    (session,) = sessions(event)
    _record(registration, session, 100)
    count = AuditLog.objects.count()
    _record(registration, session, 100)
    assert AuditLog.objects.count() == count


def test_certificate_notice_is_sent_in_app_to_the_account():
    event = course()
    user = make_user("minsu")
    user.email = "p1@a.kr"
    user.save(update_fields=["email"])
    registration = person(event, 1, user=user, actor=user)
    (session,) = sessions(event)
    svc.check_in(registration, session, actor=None, at=during(session))
    number = Certificate.objects.get().number
    notice = Notification.objects.filter(recipient=user, code="events.certificate.issued").get()
    assert notice.params["number"] == number


def test_pass_token_names_one_registration_and_holds_no_personal_data():
    event = course()
    registration = person(event, name="홍길동")
    token = svc.pass_token(registration)
    assert "홍길동" not in token and "p1@a.kr" not in token
    assert svc.registration_of_token(token) == registration
    assert svc.registration_of_token(token[:-2] + "xx") is None
    assert svc.registration_of_token("") is None
    assert svc.registration_of_token("garbage:1") is None
    assert Registration.objects.count() == 1


def test_two_certificates_of_one_event_count_up():
    event = course()
    a, b = person(event, 1), person(event, 2)
    (session,) = sessions(event)
    svc.check_in(a, session, actor=None, at=during(session))
    svc.check_in(b, session, actor=None, at=during(session))
    assert list(Certificate.objects.values_list("seq", flat=True)) == [1, 2]
    assert datetime.timedelta(0) == Certificate.objects.get(seq=2).issued_at - during(session)


def test_attendance_demo_is_deterministic_and_runs_once(monkeypatch):
    from io import StringIO

    from django.utils import timezone

    from yunghap.events.demo_attendance import build_attendance_demo

    event = course(sessions=3, hours=2, capacity=10)
    for n in range(8):
        person(event, n)
    moment = during(sessions(event)[-1], 200)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    out = StringIO()
    counts = build_attendance_demo(seed=1, stdout=out)
    assert counts["events"] == 1 and 0 < counts["rows"] <= 24
    assert counts["certificates"] == Certificate.objects.filter(revoked_at__isnull=True).count()
    assert out.getvalue().startswith("출석: 행사 1건의 출석")
    completed = set(Registration.objects.filter(completed=True).values_list("email", flat=True))
    again = build_attendance_demo(seed=1, stdout=StringIO())
    assert again["events"] == 0 and again["rows"] == 0
    assert set(Registration.objects.filter(completed=True).values_list("email", flat=True)) == completed


def test_recompute_event_after_a_session_is_added_revokes_the_certificate():
    from yunghap.events.models import EventSession

    event = course()
    registration = person(event)
    (session,) = sessions(event)
    svc.check_in(registration, session, actor=None, at=during(session))
    assert Certificate.objects.get().revoked_at is None
    start = session.starts_at + datetime.timedelta(days=1)
    EventSession.objects.create(
        event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=3), place="서울"
    )
    assert svc.recompute_event(event, actor=None, now=start) == 1
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("50.0") and not registration.completed
    assert Certificate.objects.get().revoked_at == start
    assert svc.recompute_event(event, actor=None, now=start) == 0


def test_late_is_after_the_events_own_setting():
    """Lateness is a setting of the event (`late_after_minutes`): 15 minutes after the start is on time
    for an event that allows 20, late for one that allows 10 (the default)."""
    strict, lenient = course(code="late-10"), course(code="late-20", late_after_minutes=20)
    for event, late in ((strict, True), (lenient, False)):
        (session,) = sessions(event)
        result = svc.check_in(person(event), session, actor=None, at=during(session, 15))
        assert result.attendance.late is late
