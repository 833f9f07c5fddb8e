"""`yunghap import attendance` (dry run lists every row's error, all-or-nothing, re-import changes nothing,
the same rules as the pages) and `yunghap report completion` (one object per registration)."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from tests.events_attendance.helpers import course, during, person, sessions
from yunghap.core.imports import import_file
from yunghap.core.models import AuditLog
from yunghap.events.models import Attendance, Certificate, Registration
from yunghap.events.registration import cancel

pytestmark = pytest.mark.django_db

HEADER = "email,session,minutes_present,late,left_early\n"


@pytest.fixture
def past(settings, monkeypatch):
    """Import after the sessions (the clock is past 2026-03-25)."""
    from django.utils import timezone

    moment = datetime.datetime(2026, 3, 25, 9, 0, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def run(event, text, *, dry_run=False):
    return import_file(
        "attendance",
        text.encode("utf-8"),
        actor=None,
        dry_run=dry_run,
        filename="a.csv",
        options={"event": event.code},
    )


def test_import_records_attendance_and_completes(past):
    event = course(sessions=2, hours=2)
    a, b = person(event, 1), person(event, 2)
    text = HEADER + (
        "p1@a.kr,2026-03-20 14:00,120,n,n\n"
        "p1@a.kr,2026-03-21 14:00,100,y,n\n"
        "P2@A.kr,2026-03-20 14:00,120,n,y\n"
    )
    report = run(event, text)
    assert report.ok and report.created == 3
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.completed and a.attendance_rate == Decimal("100.0")
    assert not b.completed and b.attendance_rate == Decimal("50.0")
    assert set(Attendance.objects.values_list("method", flat=True)) == {"import"}
    assert Certificate.objects.filter(registration=a).count() == 1
    # Re-importing the same file changes nothing: no write, no audit row, the same certificate.
    audits = AuditLog.objects.count()
    again = run(event, text)
    assert again.ok and again.unchanged == 3 and again.changed == 0
    assert AuditLog.objects.count() == audits
    assert Certificate.objects.count() == 1


def test_dry_run_lists_every_rows_error_and_writes_nothing(past):
    event, other = course(sessions=2, hours=2), course()
    person(event, 1)
    waiting_event = course(capacity=1)
    person(waiting_event, 1)
    cancelled = person(event, 3)
    cancel(cancelled, now=during(sessions(event)[0], -600))
    person(event, 4)
    text = HEADER + (
        "p1@a.kr,2026-03-20 14:00,120,n,n\n"  # fine
        "nobody@a.kr,2026-03-20 14:00,120,n,n\n"  # not registered
        "p1@a.kr,2026-03-22 14:00,120,n,n\n"  # no such session
        "p1@a.kr,2026-03-21 14:00,121,n,n\n"  # beyond the session's 120 minutes
        "p3@a.kr,2026-03-20 14:00,60,n,n\n"  # cancelled
        "p1@a.kr,2026-03-20 14:00,10,n,n\n"  # the same person and session again
        "p4@a.kr,20.03.2026,60,maybe,n\n"  # bad date-time and bad y/n
    )
    report = run(event, text, dry_run=True)
    errors = [(e.row, e.column, e.message) for e in report.errors]
    assert (3, "email", "이 행사에 신청하지 않은 이메일입니다: 'nobody@a.kr'") in errors
    assert (4, "session", "이 행사에 2026-03-22 14:00에 시작하는 회차가 없습니다.") in errors
    assert any(r == 5 and c == "minutes_present" and "회차 길이 120분" in m for r, c, m in errors)
    assert (6, "email", "취소된 신청입니다. 출석을 기록할 수 없습니다.") in errors
    assert (7, "", "2행과 같은 참가자·회차입니다.") in errors
    assert any(r == 8 and c == "session" for r, c, _m in errors)
    assert any(r == 8 and c == "late" for r, c, _m in errors)
    assert not Attendance.objects.exists()
    # Not a dry run: the valid first row is not written either (all or nothing).
    assert not run(event, text).ok
    assert not Attendance.objects.exists()
    assert other.pk and waiting_event.pk


def test_a_session_not_started_is_refused_by_the_same_rule(monkeypatch):
    from django.utils import timezone

    event = course()
    person(event, 1)
    monkeypatch.setattr(timezone, "now", lambda: datetime.datetime(2026, 3, 20, 4, 0, tzinfo=datetime.UTC))
    report = run(event, HEADER + "p1@a.kr,2026-03-20 14:00,60,n,n\n")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "session", "아직 시작하지 않은 회차입니다. 출석 확인은 2026-03-20 13:30부터 할 수 있습니다.")
    ]


def test_unknown_event_and_missing_option():
    report = import_file(
        "attendance", HEADER.encode(), actor=None, dry_run=True, filename="a.csv", options={}
    )
    assert [e.message for e in report.errors] == ["--event로 행사 코드를 지정해야 합니다."]
    report = import_file(
        "attendance", HEADER.encode(), actor=None, dry_run=True, filename="a.csv", options={"event": "nope"}
    )
    assert [e.message for e in report.errors] == ["등록되지 않은 행사 코드입니다: 'nope'"]


def test_command_line_import_with_event_option(past, tmp_path):
    event = course()
    person(event, 1)
    path = tmp_path / "attendance.csv"
    path.write_text(HEADER + "p1@a.kr,2026-03-20 14:00,180,n,n\n", encoding="cp949")
    out = StringIO()
    call_command("import", "attendance", str(path), "--event", event.code, stdout=out)
    assert Attendance.objects.get().minutes_present == 180


def test_report_completion_json_csv_xlsx(past, tmp_path):
    event = course(capacity=1)
    done = person(event, 1)
    person(event, 2)
    (session,) = sessions(event)
    run(event, HEADER + "p1@a.kr,2026-03-20 14:00,180,n,n\n")
    out = StringIO()
    call_command("report", "completion", "--event", event.code, "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    number = Certificate.objects.get(registration=done).number
    assert rows == [
        {
            "email": "p1@a.kr",
            "name": "김수민1",
            "status": "confirmed",
            "hours_attended": 3.0,
            "attendance_rate": 100.0,
            "completed": True,
            "certificate": number,
        },
        {
            "email": "p2@a.kr",
            "name": "김수민2",
            "status": "waiting",
            "hours_attended": 0.0,
            "attendance_rate": 0.0,
            "completed": False,
            "certificate": None,
        },
    ]
    csv_path = tmp_path / "c.csv"
    call_command("report", "completion", "--event", event.code, "--format", "csv", "--output", str(csv_path))
    text = csv_path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf") and number.encode() in text
    xlsx_path = tmp_path / "c.xlsx"
    call_command(
        "report", "completion", "--event", event.code, "--format", "xlsx", "--output", str(xlsx_path)
    )
    sheet = load_workbook(xlsx_path).active
    assert [c.value for c in sheet[1]][:3] == ["email", "name", "status"]
    assert sheet.max_row == 3
    with pytest.raises(CommandError, match="등록되지 않은 행사 코드입니다: nope"):
        call_command("report", "completion", "--event", "nope")
    assert Registration.objects.count() == 2
