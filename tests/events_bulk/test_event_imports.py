"""`yunghap import events FILE` and `yunghap import sessions FILE`: good files in XLSX and CP949 CSV, every
bad row listed in Korean, all or nothing, a re-import changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from tests.events.factories import kst, make_event
from tests.events_bulk.files import csv_cp949, messages, xlsx
from tests.factories import GroupFactory, region
from yunghap.core.imports import import_file
from yunghap.core.models import AuditLog
from yunghap.events.models import Event, EventSession
from yunghap.events.registration import register

pytestmark = pytest.mark.django_db

HEADER = [
    "code",
    "title",
    "kind",
    "region",
    "audience",
    "capacity",
    "registration_opens",
    "registration_closes",
    "completion_threshold",
]
KOREAN_HEADER = ["행사코드", "행사명", "종류", "지역", "대상", "정원", "신청시작일", "신청마감일", "수료기준"]


def test_events_from_xlsx_with_korean_headers_then_reimport_is_unchanged():
    group = GroupFactory(code="seoul-x")
    data = xlsx(
        [
            ["2026년 교육·행사 계획"],
            KOREAN_HEADER,
            ["edu-01", "협업 문화 교육", "course", "seoul", "members", 30, "2026-03-01", "2026-03-10", 80],
            [
                "nat-01",
                "중소기업이업종한마음대회",
                "전국 행사",
                "",
                "everyone",
                "500",
                "2026-04-01",
                "2026-04-20",
                "",
            ],
            [
                "grp-01",
                "교류회 세미나",
                "기술세미나",
                "seoul",
                "group:seoul-x",
                20,
                "2026-05-01",
                "2026-05-02",
                "75.5",
            ],
        ]
    )
    dry = import_file("events", data, actor=None, dry_run=True, filename="events.xlsx")
    assert dry.ok, dry.errors
    assert (dry.created, dry.updated, dry.unchanged) == (3, 0, 0)
    assert not Event.objects.exists()
    report = import_file("events", data, actor=None, dry_run=False, filename="events.xlsx")
    assert report.written
    edu = Event.objects.get(code="edu-01")
    assert (edu.kind, edu.organiser.code, edu.audience, edu.capacity) == ("course", "seoul", "members", 30)
    assert edu.registration_opens == datetime.date(2026, 3, 1)
    assert edu.completion_threshold == Decimal("80.0")
    national = Event.objects.get(code="nat-01")
    assert national.organiser is None and national.kind == "national"
    assert national.completion_threshold == Decimal("80.0")
    grp = Event.objects.get(code="grp-01")
    assert grp.audience_group == group and grp.completion_threshold == Decimal("75.5")
    assert AuditLog.objects.filter(action="events.import").count() == 1
    again = import_file("events", data, actor=None, dry_run=False, filename="events.xlsx")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditLog.objects.filter(action="events.import").count() == 1


def test_events_cp949_csv_updates_by_code_and_bumps_the_version():
    event = make_event(code="edu-02", capacity=2)
    data = csv_cp949(
        [
            HEADER,
            [
                "edu-02",
                "바뀐 교육명",
                "workshop",
                "busan",
                "region:busan",
                "5",
                "2026-03-01",
                "2026-03-10",
                "90",
            ],
        ]
    )
    dry = import_file("events", data, actor=None, dry_run=True, filename="events.csv")
    assert dry.ok, dry.errors
    assert dry.updated == 1
    assert {c.column for c in dry.changes} >= {"title", "kind", "region", "audience", "capacity"}
    report = import_file("events", data, actor=None, dry_run=False, filename="events.csv")
    assert report.written
    event.refresh_from_db()
    assert (event.title, event.kind, event.organiser.code, event.capacity) == (
        "바뀐 교육명",
        "workshop",
        "busan",
        5,
    )
    assert event.audience_region == region("busan") and event.version == 2


def test_every_bad_event_row_is_listed_in_korean_and_nothing_is_written():
    event = make_event(code="full-01", capacity=3)
    for i in range(3):
        register(event, name=f"사람{i}", email=f"p{i}@a.kr", at=kst("2026-03-02 10:00"))
    data = xlsx(
        [
            HEADER,
            ["ok-01", "좋은 행사", "seminar", "", "everyone", 10, "2026-03-01", "2026-03-10", 80],
            ["bad code!", "", "party", "nowhere", "friends", 0, "2026-03-10", "2026-03-01", 120],
            ["ok-02", "둘째", "seminar", "", "region:nowhere", "abc", "2026-02-30", "2026-03-01", "80.55"],
            ["full-01", "정원 줄이기", "seminar", "", "everyone", 2, "2026-03-01", "2026-03-10", ""],
            ["ok-01", "같은 코드", "seminar", "", "everyone", 10, "2026-03-01", "2026-03-10", ""],
            ["cen-01", "중앙", "seminar", "central", "everyone", 10, "2026-03-01", "2026-03-10", ""],
        ]
    )
    report = import_file("events", data, actor=None, dry_run=False, filename="events.xlsx")
    assert not report.written
    got = messages(report)
    assert (3, "code", "행사 코드는 영문·숫자·-·_ 40자 이내로 써 주세요: 'bad code!'") in got
    assert (3, "title", "값이 비어 있습니다.") in got
    assert any(e[:2] == (3, "kind") and "행사 종류 'party'를 알 수 없습니다" in e[2] for e in got)
    assert (3, "region", "지역 연합회 코드 'nowhere'를 찾을 수 없습니다.") in got
    assert any(e[:2] == (3, "audience") and "대상 'friends'를 알 수 없습니다" in e[2] for e in got)
    assert (3, "capacity", "정원은 1명 이상이어야 합니다.") in got
    assert (
        3,
        "registration_closes",
        "신청 마감일(2026-03-01)이 신청 시작일(2026-03-10)보다 빠릅니다.",
    ) in got
    assert (3, "completion_threshold", "수료 기준은 0~100 사이의 숫자로 써 주세요: '120'") in got
    assert (4, "audience", "지역 연합회 코드 'nowhere'를 찾을 수 없습니다.") in got
    assert (4, "capacity", "숫자가 아닙니다: 'abc'") in got
    assert (4, "registration_opens", "존재하지 않는 날짜입니다: '2026-02-30'") in got
    assert (4, "completion_threshold", "수료 기준은 소수점 아래 한 자리까지 씁니다: '80.55'") in got
    assert (5, "capacity", "정원(2명)을 이미 확정·제안된 좌석 3석보다 적게 줄일 수 없습니다.") in got
    assert (6, "code", "같은 행사 코드가 파일에 두 번 있습니다: ok-01 (행 2)") in got
    assert (7, "region", "'central'은 지역연합회가 아닙니다. 전국 행사는 지역을 비워 두세요.") in got
    assert not Event.objects.filter(code="ok-01").exists()
    assert Event.objects.get(code="full-01").capacity == 3


def test_raising_the_capacity_offers_the_new_seat_to_the_first_waiting():
    event = make_event(code="more-01", capacity=1)
    register(event, name="첫째", email="a@a.kr", at=kst("2026-03-02 10:00"))
    waiting = register(event, name="둘째", email="b@a.kr", at=kst("2026-03-02 10:01"))
    data = xlsx(
        [HEADER, ["more-01", event.title, "seminar", "", "everyone", 2, "2026-03-01", "2026-03-10", 80]]
    )
    assert import_file("events", data, actor=None, dry_run=False, filename="e.xlsx").written
    waiting.refresh_from_db()
    assert waiting.status == "offered"


SESSION_HEADER = ["event", "starts_at", "ends_at", "place", "hours"]


def test_sessions_import_hours_default_to_the_length_and_reimport_changes_nothing():
    event = make_event(code="ses-01", first_session=None)
    data = csv_cp949(
        [
            ["행사코드", "시작일시", "종료일시", "장소", "인정시간"],
            ["ses-01", "2026-03-20 14:00", "2026-03-20 17:30", "서울 중소기업중앙회 2층", ""],
            ["ses-01", "2026-03-21 09:00", "2026-03-21 12:00", "https://meet.example.kr/room", "2.5"],
        ]
    )
    report = import_file("sessions", data, actor=None, dry_run=False, filename="s.csv")
    assert report.written, report.errors
    first, second = EventSession.objects.filter(event=event)
    assert first.starts_at == kst("2026-03-20 14:00") and first.hours == Decimal("3.50")
    assert first.place == "서울 중소기업중앙회 2층" and first.online_link == ""
    assert second.online_link == "https://meet.example.kr/room" and second.hours == Decimal("2.50")
    again = import_file("sessions", data, actor=None, dry_run=False, filename="s.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


def test_a_session_change_tells_the_registered_people(mailoutbox, django_capture_on_commit_callbacks):
    event = make_event(code="ses-02")  # 2026-03-20 14:00–17:00 at 서울 중소기업중앙회 2층
    register(event, name="김민준", email="minjun@a.kr", at=kst("2026-03-02 10:00"))
    mailoutbox.clear()
    data = xlsx([SESSION_HEADER, ["ses-02", "2026-03-20 14:00", "2026-03-20 18:00", "부산 벡스코", ""]])
    with django_capture_on_commit_callbacks(execute=True):
        report = import_file("sessions", data, actor=None, dry_run=False, filename="s.xlsx")
    assert report.written and report.updated == 1
    session = EventSession.objects.get(event=event)
    assert session.place == "부산 벡스코" and session.hours == Decimal("4.00")
    assert len(mailoutbox) == 1
    assert "2026-03-20 18:00 종료, 장소 부산 벡스코" in mailoutbox[0].body


def test_every_bad_session_row_is_listed_and_nothing_is_written():
    make_event(code="ses-03")  # has 2026-03-20 14:00–17:00
    data = xlsx(
        [
            SESSION_HEADER,
            ["ses-03", "2026-03-22 10:00", "2026-03-22 12:00", "강당", ""],
            ["nope", "2026-03-20", "2026-03-20 25:00", "", "-1"],
            ["ses-03", "2026-03-20 16:00", "2026-03-20 15:00", "강당", ""],
            ["ses-03", "2026-03-20 15:00", "2026-03-20 18:00", "강당", ""],
            ["ses-03", "2026-03-22 10:00", "2026-03-22 11:00", "강당", ""],
            ["ses-03", "2026-03-23 10:00", "2026-03-23 11:00", "https://bad link", "1.234"],
        ]
    )
    report = import_file("sessions", data, actor=None, dry_run=False, filename="s.xlsx")
    assert not report.written
    got = messages(report)
    assert (3, "event", "행사 코드 'nope'를 찾을 수 없습니다.") in got
    assert (3, "starts_at", "일시 형식이 아닙니다: '2026-03-20' (YYYY-MM-DD HH:MM, 한국 시간)") in got
    assert (3, "ends_at", "존재하지 않는 일시입니다: '2026-03-20 25:00'") in got
    assert (3, "place", "값이 비어 있습니다.") in got
    assert (3, "hours", "인정 시간은 0 이상의 숫자로 써 주세요: '-1'") in got
    assert (
        4,
        "ends_at",
        "회차 종료 일시(2026-03-20 15:00)는 시작 일시(2026-03-20 16:00)보다 뒤여야 합니다.",
    ) in got
    assert (
        5,
        "starts_at",
        "이 행사의 다른 회차(2026-03-20 14:00 ~ 2026-03-20 17:00)와 시간이 겹칩니다.",
    ) in got
    assert (6, "starts_at", "같은 행사의 같은 시작 일시가 파일에 두 번 있습니다 (행 2).") in got
    assert (7, "place", "온라인 주소가 올바르지 않습니다: 'https://bad link'") in got
    assert (7, "hours", "인정 시간은 소수점 아래 두 자리까지 씁니다: '1.234'") in got
    assert EventSession.objects.filter(event__code="ses-03").count() == 1


def test_the_command_imports_events_and_fails_on_bad_rows(tmp_path):
    good = tmp_path / "events.xlsx"
    good.write_bytes(
        xlsx([HEADER, ["cmd-01", "명령 행사", "seminar", "", "everyone", 5, "2026-03-01", "2026-03-10", 80]])
    )
    call_command("import", "events", str(good))
    assert Event.objects.filter(code="cmd-01").exists()
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(
        xlsx([HEADER, ["cmd-02", "명령 행사", "party", "", "everyone", 5, "2026-03-01", "2026-03-10", 80]])
    )
    with pytest.raises(CommandError, match="오류가 있어 가져오지 않았습니다"):
        call_command("import", "events", str(bad))
    assert not Event.objects.filter(code="cmd-02").exists()


def test_regional_staff_create_and_change_only_their_federations_events():
    from tests.factories import make_user
    from yunghap.accounts.models import Role

    staff = make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
    make_event(code="busan-01", organiser=region("busan"))
    data = xlsx(
        [
            HEADER,
            ["seoul-01", "서울 교육", "course", "seoul", "everyone", 10, "2026-03-01", "2026-03-10", 80],
            ["busan-02", "부산 교육", "course", "busan", "everyone", 10, "2026-03-01", "2026-03-10", 80],
            ["nat-02", "전국 행사", "national", "", "everyone", 10, "2026-03-01", "2026-03-10", 80],
            ["busan-01", "남의 행사", "course", "busan", "everyone", 10, "2026-03-01", "2026-03-10", 80],
        ]
    )
    report = import_file("events", data, actor=staff, dry_run=True, filename="e.xlsx")
    assert messages(report) == [
        (3, "region", "이 지역의 행사를 등록할 권한이 없습니다."),
        (4, "region", "이 지역의 행사를 등록할 권한이 없습니다."),
        (5, "code", "행사 'busan-01'은 다른 연합회의 행사라 고칠 수 없습니다."),
    ]
    sessions = xlsx([SESSION_HEADER, ["busan-01", "2026-03-25 10:00", "2026-03-25 12:00", "강당", ""]])
    report = import_file("sessions", sessions, actor=staff, dry_run=True, filename="s.xlsx")
    assert messages(report) == [(2, "event", "행사 코드 'busan-01'을 찾을 수 없습니다.")]
    ok = xlsx(
        [HEADER, ["seoul-01", "서울 교육", "course", "seoul", "everyone", 10, "2026-03-01", "2026-03-10", 80]]
    )
    assert import_file("events", ok, actor=staff, dry_run=False, filename="e.xlsx").written
    assert Event.objects.get(code="seoul-01").created_by == staff


@pytest.mark.parametrize("kind", ["events", "sessions", "registrations"])
def test_each_kind_has_a_template_with_column_notes(kind):
    from tests.transfer.test_real_files import (
        test_each_kind_has_a_template_with_korean_headers_an_example_and_column_notes,
    )

    test_each_kind_has_a_template_with_korean_headers_an_example_and_column_notes(kind)


@pytest.mark.parametrize("kind", ["events", "sessions", "registrations"])
def test_the_template_reads_back_without_header_errors(kind):
    from yunghap.core.import_templates import build_template
    from yunghap.core.imports import IMPORTERS

    report = import_file(
        kind,
        build_template(IMPORTERS[kind]),
        actor=None,
        dry_run=True,
        filename="t.xlsx",
        options={"event": "x"},
    )
    assert not [e for e in report.errors if e.row == 1], report.errors
