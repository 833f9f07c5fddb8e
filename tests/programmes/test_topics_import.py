"""`yunghap import topics FILE`: XLSX and CP949 CSV, Korean headers and title rows, every row's error, by code."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from tests.factories import make_user
from tests.programmes.factories import make_topic
from yunghap.accounts.models import Role
from yunghap.core.imports import import_file
from yunghap.core.models import AuditLog
from yunghap.matching import posting_services
from yunghap.programmes.models import Topic

pytestmark = pytest.mark.django_db

KOREAN_HEADER = ["과제코드", "과제명", "신성장동력", "요약", "필요역량"]


@pytest.fixture
def caps(db):
    for name, syn, eng in [("사출 성형", ["사출"], ["injection molding"]), ("IoT 센서", ["센서"], ["IoT"])]:
        posting_services.save_capability(None, actor=None, name=name, synonyms=syn, english_terms=eng)


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_cp949(rows: list[list[str]]) -> bytes:
    return "\r\n".join(",".join(row) for row in rows).encode("cp949")


def test_xlsx_with_a_title_row_korean_headers_and_a_repeated_header(caps):
    data = xlsx(
        [
            ["2026년 유망과제 목록"],
            KOREAN_HEADER,
            ["T2026-0100", "센서 하우징 융합", "NGE09-09", "센서와 하우징", "사출 성형;IoT"],
            KOREAN_HEADER,
            ["T2026-0101", "LED 모듈", "LED 응용", "조명 모듈", ""],
        ]
    )
    report = import_file("topics", data, actor=None, dry_run=True, filename="topics.xlsx")
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert not Topic.objects.exists()
    report = import_file("topics", data, actor=None, dry_run=False, filename="topics.xlsx")
    assert report.written
    first = Topic.objects.get(code="T2026-0100")
    assert first.growth_engine.code == "NGE09-09" and first.status == Topic.Status.PROPOSED
    assert sorted(c.name for c in first.capabilities.all()) == ["IoT 센서", "사출 성형"]
    assert Topic.objects.get(code="T2026-0101").growth_engine.code == "NGE09-04"
    assert AuditLog.objects.filter(action="topics.import").count() == 1
    # Re-import: nothing changes, no audit row.
    report = import_file("topics", data, actor=None, dry_run=False, filename="topics.xlsx")
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert AuditLog.objects.filter(action="topics.import").count() == 1


def test_cp949_csv_with_english_keys_updates_by_code_and_keeps_the_status(caps):
    leading = make_topic(code="t-lead", status=Topic.Status.LEADING, title="옛 이름")
    data = csv_cp949(
        [
            ["code", "title", "growth_engine", "summary", "capabilities"],
            ["t-lead", "새 이름", "로봇 응용", "새 요약", "사출"],
        ]
    )
    report = import_file("topics", data, actor=None, dry_run=True, filename="topics.csv")
    assert report.ok, report.errors
    assert report.updated == 1
    assert [c.as_list() for c in report.changes] == [
        [2, "title", "옛 이름", "새 이름"],
        [2, "summary", "이업종 기업이 함께 개발하는 센서 모듈", "새 요약"],
        [2, "capabilities", "", "사출 성형"],
    ]
    import_file("topics", data, actor=None, dry_run=False, filename="topics.csv")
    leading.refresh_from_db()
    assert (leading.title, leading.status, leading.version) == ("새 이름", Topic.Status.LEADING, 2)


def test_every_row_error_in_korean_and_nothing_written(caps):
    data = csv_cp949(
        [
            KOREAN_HEADER,
            ["T1", "좋은 과제", "NGE09-09", "요약", ""],
            ["T2", "엔진 모름", "우주항공", "요약", ""],
            ["T3", "역량 모름", "NGE09-09", "요약", "사출;양자컴퓨팅"],
            ["T1", "같은 코드", "NGE09-09", "요약", ""],
            ["잘못된 코드!", "", "NGE09-09", "", ""],
            ["new", "예약된 코드", "NGE09-09", "요약", ""],
        ]
    )
    report = import_file("topics", data, actor=None, dry_run=False, filename="topics.csv")
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (3, "growth_engine", "알 수 없는 신성장동력입니다: '우주항공'"),
        (4, "capabilities", "역량 어휘에 없는 역량입니다: '양자컴퓨팅'"),
        (5, "code", "같은 과제 코드가 파일에 두 번 있습니다: T1 (행 2)"),
        (6, "code", "과제 코드는 영문·숫자·-·_ 32자 이내로 써 주세요: '잘못된 코드!'"),
        (6, "summary", "값이 비어 있습니다."),
        (6, "title", "값이 비어 있습니다."),
        (7, "code", "과제 코드는 영문·숫자·-·_ 32자 이내로 써 주세요: 'new'"),
    ]
    assert not Topic.objects.exists()


def test_missing_column_is_named():
    data = csv_cp949([["과제코드", "과제명", "요약"], ["T1", "과제", "요약"]])
    report = import_file("topics", data, actor=None, dry_run=True, filename="topics.csv")
    assert [e.message for e in report.errors] == ["필수 열 'growth_engine'(신성장동력)이 없습니다."]


def test_command_line_is_central_staff_only(tmp_path, caps):
    path = tmp_path / "topics.xlsx"
    path.write_bytes(xlsx([KOREAN_HEADER, ["T9", "과제", "NGE09-09", "요약", "IoT 센서"]]))
    make_user("seoulstaff", Role.REGIONAL_STAFF)
    with pytest.raises(CommandError, match="권한이 없습니다"):
        call_command("import", "topics", str(path), "--as", "seoulstaff", stdout=io.StringIO())
    make_user("hq", Role.CENTRAL_STAFF)
    out = io.StringIO()
    call_command("import", "topics", str(path), "--as", "hq", stdout=out)
    assert "저장했습니다." in out.getvalue()
    assert Topic.objects.get(code="T9").title == "과제"
