"""Ledger import: dry run, all-or-nothing, Korean row errors, idempotent re-import."""

from __future__ import annotations

import datetime

import pytest

from tests.factories import make_user, region
from yunghap.accounts.models import Role
from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
from yunghap.core.imports import import_file


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


@pytest.fixture
def staff(ledger):
    return make_user("importer", Role.CENTRAL_STAFF)


def meetings_file(ledger, present=None, extra=""):
    a, b = ledger.alpha.brn, ledger.beta.brn
    present = present if present is not None else f"{a};{b[:3]}-{b[3:5]}-{b[5:]}"
    return _csv(
        "교류회코드,개최일,구분,장소,안건,출석 사업자등록번호",
        f"{ledger.group.code},2024-03-14,월례회,회의실,신년 계획,{present}",
        f"{ledger.group.code},2025.03.13,monthly,회의실,,{a}",
        *([extra] if extra else []),
    )


def test_meetings_dry_run_writes_nothing(ledger, staff):
    report = import_file("meetings", meetings_file(ledger), actor=staff, dry_run=True, filename="m.csv")
    assert report.ok and report.created == 2
    assert Meeting.objects.count() == 0


def test_meetings_import_builds_attendance_of_members_that_day_and_is_idempotent(ledger, staff):
    report = import_file("meetings", meetings_file(ledger), actor=staff, dry_run=False, filename="m.csv")
    assert report.ok and report.created == 2, report.errors
    first = Meeting.objects.get(held_on=datetime.date(2024, 3, 14))
    assert (first.listed_count, first.present_count) == (3, 2)
    second = Meeting.objects.get(held_on=datetime.date(2025, 3, 13))
    assert set(second.attendances.values_list("firm_id", flat=True)) == {ledger.alpha.pk, ledger.beta.pk}
    assert second.present_count == 1
    again = import_file("meetings", meetings_file(ledger), actor=staff, dry_run=False, filename="m.csv")
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Attendance.objects.count() == 5


def test_meetings_reimport_with_changed_attendance_updates(ledger, staff):
    import_file("meetings", meetings_file(ledger), actor=staff, dry_run=False, filename="m.csv")
    changed = meetings_file(ledger, present=ledger.gamma.brn)
    report = import_file("meetings", changed, actor=staff, dry_run=False, filename="m.csv")
    assert report.ok and report.updated == 1 and report.unchanged == 1
    first = Meeting.objects.get(held_on=datetime.date(2024, 3, 14))
    assert first.present_count == 1 and first.attendances.get(present=True).firm == ledger.gamma


def test_one_bad_row_and_nothing_is_written(ledger, staff):
    bad = f"{ledger.group.code},2025-03-13,임시회,,,{ledger.gamma.brn}"  # gamma left in 2024
    report = import_file(
        "meetings", meetings_file(ledger, extra=bad), actor=staff, dry_run=False, filename="m.csv"
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(4, "present_brns")]
    assert "회원이 아니었던" in report.errors[0].message
    assert Meeting.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "text"),
    [
        ("nope-001,2024-03-14,,,,{a}", "group_code", "등록되지 않았거나 권한 밖의 교류회코드"),
        ("{g},2099-01-01,,,,{a}", "held_on", "오늘 이후"),
        ("{g},2024-03-14,연회,,,{a}", "kind", "알 수 없는 구분"),
        ("{g},2024-03-14,,,,1234567890", "present_brns", "사업자등록번호가 올바르지"),
        # A firm of another region reads like an unregistered number (issue 7, finding 3).
        ("{g},2024-03-14,,,,{o}", "present_brns", "등록되지 않았거나 권한 밖의 사업자등록번호"),
    ],
)
def test_meeting_row_errors_are_korean_and_located(ledger, staff, row, column, text):
    line = row.format(g=ledger.group.code, a=ledger.alpha.brn, o=ledger.outsider.brn)
    data = _csv("group_code,held_on,kind,place,agenda,present_brns", line)
    report = import_file("meetings", data, actor=staff, dry_run=True, filename="m.csv")
    assert [(e.row, e.column) for e in report.errors] == [(2, column)]
    assert text in report.errors[0].message


def test_regional_staff_cannot_import_another_regions_ledger(ledger):
    busan = make_user("busan-importer", Role.REGIONAL_STAFF, federation=region("busan"))
    report = import_file("meetings", meetings_file(ledger), actor=busan, dry_run=True, filename="m.csv")
    assert {e.column for e in report.errors} == {"group_code"}
    # No region named: another region's group reads like an unknown code (issue 7, finding 3).
    assert report.errors[0].message == f"등록되지 않았거나 권한 밖의 교류회코드입니다: '{ledger.group.code}'"


def test_trades_import(ledger, staff):
    g, a, b, o = ledger.group.code, ledger.alpha.brn, ledger.beta.brn, ledger.outsider.brn
    header = "group_code,buyer_brn,seller_brn,item,amount_krw,traded_on"
    good = _csv(header, f'{g},{a},{b},금형,"1,200,000원",2024-03-14', f"{g},{b},{a},포장재,0,2024-04-01")
    report = import_file("trades", good, actor=staff, dry_run=False, filename="t.csv")
    assert report.ok and report.created == 2
    assert Trade.objects.get(item="금형").amount_krw == 1_200_000
    again = import_file("trades", good, actor=staff, dry_run=False, filename="t.csv")
    assert again.ok and again.unchanged == 2 and Trade.objects.count() == 2
    bad = _csv(
        header,
        f"{g},{a},{o},금형,1000,2024-03-14",
        f"{g},{a},{b},금형,-1000,2024-03-14",
        f"{g},{a},{a},금형,1000,2024-03-14",
        f"{g},{a},{b},금형,1000,2099-03-14",
    )
    report = import_file("trades", bad, actor=staff, dry_run=False, filename="t.csv")
    assert [(e.row, e.column) for e in report.errors] == [
        (2, "seller_brn"),
        (3, "amount_krw"),
        (4, "seller_brn"),
        (5, "traded_on"),
    ]
    assert Trade.objects.count() == 2


def test_outcomes_and_activities_import(ledger, staff):
    g, a, b = ledger.group.code, ledger.alpha.brn, ledger.beta.brn
    outcomes = _csv(
        "교류회코드,구분,성과명,성과일,참여 사업자등록번호", f"{g},특허,센서 특허,2024-05-01,{a};{b}"
    )
    report = import_file("outcomes", outcomes, actor=staff, dry_run=False, filename="o.csv")
    assert report.ok and report.created == 1
    assert set(Outcome.objects.get().firms.all()) == {ledger.alpha, ledger.beta}
    assert import_file("outcomes", outcomes, actor=staff, dry_run=False, filename="o.csv").unchanged == 1
    changed = _csv(
        "교류회코드,구분,성과명,성과일,참여 사업자등록번호", f"{g},patent,센서 특허,2024-05-01,{a}"
    )
    assert import_file("outcomes", changed, actor=staff, dry_run=False, filename="o.csv").updated == 1
    assert list(Outcome.objects.get().firms.all()) == [ledger.alpha]
    no_firms = _csv("group_code,kind,title,achieved_on,brns", f"{g},patent,빈 특허,2024-05-01,")
    assert not import_file("outcomes", no_firms, actor=staff, dry_run=False, filename="o.csv").ok

    activities = _csv("group_code,kind,title,held_on,brns", f"{g},사회봉사,연탄 나눔,2024-12-01,")
    report = import_file("activities", activities, actor=staff, dry_run=False, filename="a.csv")
    assert report.ok and Activity.objects.get().kind == "social_service"


def test_xlsx_and_cp949(ledger, staff, tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["교류회코드", "개최일", "출석 사업자등록번호"])
    sheet.append([ledger.group.code, datetime.date(2024, 3, 14), ledger.alpha.brn])
    path = tmp_path / "m.xlsx"
    workbook.save(path)
    report = import_file("meetings", path.read_bytes(), actor=staff, dry_run=True, filename="m.xlsx")
    assert report.ok and report.created == 1
    cp949 = f"교류회코드,개최일,출석\n{ledger.group.code},2024-03-14,{ledger.alpha.brn}\n".encode("cp949")
    assert import_file("meetings", cp949, actor=staff, dry_run=True, filename="m.csv").ok
