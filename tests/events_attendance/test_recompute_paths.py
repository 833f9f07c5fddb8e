"""Completion follows the event's sessions and settings, whichever path changes them: the event form's
services (`event_services`) and the imports of events and sessions call one function,
`attendance_services.recompute_if_attended`, so a certificate is issued or revoked at once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.events_attendance.helpers import course, during, person, sessions
from tests.events_bulk.files import csv_cp949
from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.core.imports import import_file
from yunghap.events import attendance_services as svc
from yunghap.events import event_services
from yunghap.events.models import Attendance, Certificate

pytestmark = pytest.mark.django_db

LIST = Attendance.Method.LIST


def _two_sessions_one_attended():
    """Two 3-hour sessions, the person at the first only: 50.0 %, not completed at the 80 % threshold."""
    event = course(sessions=2, code="rc-01")
    registration = person(event)
    first, _second = sessions(event)
    svc.record_attendance(
        registration,
        first,
        minutes_present=180,
        late=False,
        left_early=False,
        method=LIST,
        actor=None,
        at=during(first, 200),
    )
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("50.0") and not registration.completed
    return event, registration


def test_lowering_the_threshold_in_the_form_issues_the_certificate_at_once():
    event, registration = _two_sessions_one_attended()
    staff = make_user("central-rc", role=Role.CENTRAL_STAFF)
    event_services.update_event(
        event, actor=staff, expected_version=event.version, completion_threshold=Decimal("50.0")
    )
    registration.refresh_from_db()
    assert registration.completed
    certificate = Certificate.objects.get(registration=registration, revoked_at__isnull=True)
    assert certificate.attendance_rate == Decimal("50.0")


def test_removing_the_missed_session_completes_and_adding_one_back_revokes():
    event, registration = _two_sessions_one_attended()
    staff = make_user("central-rc2", role=Role.CENTRAL_STAFF)
    _first, second = sessions(event)
    event_services.remove_session(second, actor=staff)
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("100.0") and registration.completed
    assert Certificate.objects.filter(registration=registration, revoked_at__isnull=True).count() == 1
    event.refresh_from_db()
    event_services.add_session(
        event,
        actor=staff,
        starts_at=second.starts_at,
        ends_at=second.ends_at,
        place="서울",
    )
    registration.refresh_from_db()
    assert registration.attendance_rate == Decimal("50.0") and not registration.completed
    assert not Certificate.objects.filter(registration=registration, revoked_at__isnull=True).exists()
    assert Certificate.objects.get(registration=registration).revoked_at is not None


def test_a_sessions_import_that_credits_fewer_hours_to_the_missed_session_completes():
    event, registration = _two_sessions_one_attended()
    _first, second = sessions(event)
    rows = [
        ["event", "starts_at", "ends_at", "place", "hours"],
        [event.code, _kst(second.starts_at), _kst(second.ends_at), "서울", "0.5"],
    ]
    report = import_file("sessions", csv_cp949(rows), actor=None, dry_run=False, filename="s.csv")
    assert report.written, report.errors
    registration.refresh_from_db()
    # 3 of 3.5 credited hours: 85.7 % ≥ 80 %.
    assert registration.attendance_rate == Decimal("85.7") and registration.completed
    assert Certificate.objects.filter(registration=registration, revoked_at__isnull=True).exists()


def _kst(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")
