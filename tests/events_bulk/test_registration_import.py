"""`yunghap import registrations FILE --event CODE`: in the order of registered_at whatever the row order,
the first seats confirmed and the rest waiting in order, the window judged by registered_at, the firm by
its BRN, the same e-mail twice an error, a re-import changing nothing."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tests.events.factories import kst, make_event
from tests.events_bulk.files import csv_cp949, messages, xlsx
from tests.factories import FirmFactory, make_user
from yunghap.accounts.models import Role
from yunghap.core.imports import import_file
from yunghap.core.models import AuditLog
from yunghap.events.models import Registration
from yunghap.events.registration import register

pytestmark = pytest.mark.django_db

HEADER = ["name", "email", "brn", "registered_at"]
S = Registration.Status


def run(event, rows, *, dry_run=False, fmt="xlsx"):
    data = xlsx(rows) if fmt == "xlsx" else csv_cp949(rows)
    return import_file(
        "registrations", data, actor=None, dry_run=dry_run, filename=f"r.{fmt}", options={"event": event.code}
    )


def line(event):
    return [(r.email, r.status, r.queue_position) for r in Registration.objects.filter(event=event)]


def test_rows_are_taken_in_the_order_of_registered_at_and_reimport_changes_nothing():
    event = make_event(capacity=2)
    firm = FirmFactory(email="ceo@saeyoung.kr")
    rows = [
        HEADER,
        ["넷째", "d@saeyoung.kr", firm.brn, "2026-03-04 09:00"],
        ["첫째", "a@saeyoung.kr", firm.brn, "2026-03-01 09:00"],
        ["셋째", "c@naver.com", "", "2026-03-03 09:00"],
        ["둘째", "b@saeyoung.kr", f"{firm.brn[:3]}-{firm.brn[3:5]}-{firm.brn[5:]}", "2026-03-02 09:00"],
    ]
    dry = run(event, rows, dry_run=True)
    assert dry.ok, dry.errors
    assert dry.created == 4 and not Registration.objects.exists()
    report = run(event, rows)
    assert report.written
    assert line(event) == [
        ("a@saeyoung.kr", S.CONFIRMED, 1),
        ("b@saeyoung.kr", S.CONFIRMED, 2),
        ("c@naver.com", S.WAITING, 3),
        ("d@saeyoung.kr", S.WAITING, 4),
    ]
    first = Registration.objects.get(email="a@saeyoung.kr")
    assert first.firm == firm and first.registered_at == kst("2026-03-01 09:00")
    assert Registration.objects.get(email="c@naver.com").firm is None
    assert AuditLog.objects.filter(action="registrations.import").count() == 1
    again = run(event, rows)
    assert again.ok and (again.created, again.unchanged) == (0, 4)
    assert len(line(event)) == 4
    assert AuditLog.objects.filter(action="registrations.import").count() == 1


def test_cp949_csv_with_korean_headers():
    event = make_event(capacity=5)
    report = run(
        event,
        [
            ["이름", "이메일", "사업자등록번호", "신청일시"],
            ["김민준", "minjun@naver.com", "", "2026-03-05 10:30"],
        ],
        fmt="csv",
    )
    assert report.written, report.errors
    assert Registration.objects.get(event=event).name == "김민준"


def test_every_bad_row_is_listed_in_korean_and_nothing_is_written():
    event = make_event(capacity=5)
    register(event, name="먼저", email="early@naver.com", at=kst("2026-03-02 09:00"))
    FirmFactory(email="ceo@other.kr", name="다른회사")
    firm = FirmFactory(email="ceo@mine.kr")
    rows = [
        HEADER,
        ["좋은행", "good@naver.com", "", "2026-03-05 09:00"],
        ["", "not-an-email", "123", "2026-03-05"],
        ["늦음", "late@naver.com", "", "2026-03-11 09:00"],
        ["이름", "GOOD@naver.com", "", "2026-03-05 10:00"],
        ["이미", "Early@naver.com", "", "2026-03-06 09:00"],
        ["남의메일", "kim@other.kr", firm.brn, "2026-03-05 11:00"],
        ["모름", "x@naver.com", "1234567891", "2026-03-05 12:00"],
        ["앞섬", "before@naver.com", "", "2026-03-01 09:00"],
    ]
    report = run(event, rows)
    assert not report.written
    got = messages(report)
    assert (3, "name", "값이 비어 있습니다.") in got
    assert any(e[:2] == (3, "brn") and "사업자등록번호는 숫자 10자리여야 합니다" in e[2] for e in got)
    assert any(e[:2] == (3, "registered_at") and "일시 형식이 아닙니다" in e[2] for e in got)
    assert (4, "registered_at", "신청 기간(2026-03-01 ~ 2026-03-10)이 끝났습니다.") in got
    assert (5, "email", "같은 이메일이 파일에 두 번 있습니다: GOOD@naver.com (행 2)") in got
    assert (6, "email", "Early@naver.com은(는) 이미 이 행사에 신청되어 있습니다.") in got
    assert (
        7,
        "email",
        "kim@other.kr은(는) 다른 회원사(다른회사)의 이메일입니다. 소속 회원사의 이메일로 신청해 주세요.",
    ) in got
    assert any(e[:2] == (8, "brn") for e in got)
    assert any(
        e[:2] == (9, "registered_at") and "이미 등록된 마지막 신청(2026-03-02 09:00)보다 앞선 신청" in e[2]
        for e in got
    )
    assert Registration.objects.filter(event=event).count() == 1


def test_an_unknown_brn_is_an_error():
    event = make_event(capacity=5)
    firm = FirmFactory.build()  # a valid BRN that no firm has
    report = run(event, [HEADER, ["모름", "x@naver.com", firm.brn, "2026-03-05 12:00"]])
    assert messages(report) == [(2, "brn", f"사업자등록번호 {firm.brn}의 회원사를 찾을 수 없습니다.")]


def test_the_window_is_judged_by_registered_at_not_by_today():
    event = make_event(capacity=5, opens="2026-03-01", closes="2026-03-10")
    report = run(
        event,
        [
            HEADER,
            ["이르다", "early@naver.com", "", "2026-02-28 23:59"],
            ["막날", "last@naver.com", "", "2026-03-10 23:59"],
        ],
    )
    assert messages(report) == [
        (2, "registered_at", "아직 신청 기간이 아닙니다. 신청은 2026-03-01부터 2026-03-10까지 받습니다.")
    ]
    report = run(event, [HEADER, ["막날", "last@naver.com", "", "2026-03-10 23:59"]])
    assert report.written
    assert Registration.objects.get(event=event).status == S.CONFIRMED


def test_a_person_with_an_account_gets_the_registration():
    event = make_event(capacity=5)
    user = make_user("minjun")
    user.email = "minjun@naver.com"
    user.save()
    assert run(event, [HEADER, ["김민준", "minjun@naver.com", "", "2026-03-05 10:30"]]).written
    assert Registration.objects.get(event=event).user == user


def test_the_event_option_is_required_and_must_exist(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx([HEADER, ["김민준", "minjun@naver.com", "", "2026-03-05 10:30"]]))
    with pytest.raises(CommandError):
        call_command("import", "registrations", str(path))
    report = import_file(
        "registrations",
        path.read_bytes(),
        actor=None,
        dry_run=True,
        filename="r.xlsx",
        options={"event": "nope"},
    )
    assert messages(report) == [(0, "", "행사 코드 'nope'를 찾을 수 없습니다.")]
    event = make_event(capacity=1)
    call_command("import", "registrations", str(path), "--event", event.code)
    assert Registration.objects.filter(event=event).count() == 1


def test_staff_import_for_the_events_they_run_and_firm_users_not_at_all(tmp_path):
    from tests.factories import region

    event = make_event(capacity=1, organiser=region("seoul"))
    make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    make_user("busanstaff", Role.REGIONAL_STAFF, federation=region("busan"))
    make_user("firmuser", Role.FIRM_USER, firm=FirmFactory())
    path = tmp_path / "r.xlsx"
    path.write_bytes(xlsx([HEADER, ["김민준", "minjun@naver.com", "", "2026-03-05 10:30"]]))
    with pytest.raises(CommandError, match="권한이 없습니다"):
        call_command("import", "registrations", str(path), "--event", event.code, "--as", "firmuser")
    with pytest.raises(CommandError):
        call_command("import", "registrations", str(path), "--event", event.code, "--as", "busanstaff")
    assert not Registration.objects.exists()
    call_command("import", "registrations", str(path), "--event", event.code, "--as", "seoulstaff")
    assert Registration.objects.filter(event=event).count() == 1


def test_xlsx_date_time_cells_are_read_as_korean_time():
    import datetime

    event = make_event(capacity=1)
    rows = [
        HEADER,
        ["둘째", "second@naver.com", "", datetime.datetime(2026, 3, 5, 10, 31)],
        ["첫째", "first@naver.com", "", datetime.datetime(2026, 3, 5, 10, 30)],
    ]
    assert run(event, rows).written
    assert line(event) == [("first@naver.com", S.CONFIRMED, 1), ("second@naver.com", S.WAITING, 2)]
    assert Registration.objects.get(email="first@naver.com").registered_at == kst("2026-03-05 10:30")
    assert run(event, rows).unchanged == 2
