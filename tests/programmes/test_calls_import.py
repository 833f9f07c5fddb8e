"""`yunghap import calls FILE`: defaults for empty cells, shares as `75` or `75%`, Korean headers in XLSX and
CP949 files, topics designated as leading topics, publication with revision 1, frozen calls refused, and a
re-import that changes nothing."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from tests.factories import FirmFactory, make_user
from tests.programmes.factories import make_call, make_topic
from tests.transfer.conftest import csv_bytes, run, xlsx_bytes
from yunghap.accounts.models import Role
from yunghap.core.models import AuditLog
from yunghap.programmes.call_imports import CallImporter
from yunghap.programmes.models import Call, CallRevision, Topic

pytestmark = pytest.mark.django_db

HEADER = [
    "code",
    "title",
    "topics",
    "opens_on",
    "closes_on",
    "budget_krw",
    "quota",
    "grant_cap_krw",
    "cap_applies_to",
    "government_share_max",
    "firm_share_min",
    "firm_cash_share_min",
    "min_members",
    "min_divisions",
    "max_applications_per_firm",
    "reviews_per_application",
    "pass_score",
]
KOREAN_HEADER = [
    "공모 코드",
    "공모명",
    "선도과제",
    "접수 시작일",
    "접수 마감일",
    "총 예산(원)",
    "선정 규모(협력체 수)",
    "협력체당 상한(원)",
    "상한 적용 대상",
    "정부지원 최대 비율(%)",
    "기업부담 최소 비율(%)",
    "기업부담 중 현금 최소 비율(%)",
    "최소 참여기업 수(주관 포함)",
    "최소 업종(KSIC 중분류) 수",
    "기업당 최대 참여 신청 수",
    "신청당 평가위원 수",
    "선정 기준 점수",
]
EMPTY_RULES = [""] * 12


def _later(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).isoformat()


def test_empty_cells_take_the_plan_defaults_and_the_call_is_published():
    topic = make_topic(code="t-sensor", status=Topic.Status.ACCEPTED)
    report = run(
        "calls", [HEADER, ["rnd-1", "융합 R&D 1차", "t-sensor", _later(10), _later(30), *EMPTY_RULES]]
    )
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    call = Call.objects.get(code="rnd-1")
    assert (call.budget_krw, call.quota, call.grant_cap_krw, call.cap_applies_to) == (
        1_000_000_000,
        50,
        20_000_000,
        "government",
    )
    assert (call.government_share_max, call.firm_share_min, call.firm_cash_share_min) == (75, 25, 20)
    assert (call.min_members, call.min_divisions, call.max_applications_per_firm) == (3, 2, 1)
    assert (call.reviews_per_application, call.pass_score) == (5, 70)
    assert call.published_at is not None and call.revision == 1
    assert CallRevision.objects.get(call=call).rules["budget_krw"] == 1_000_000_000
    topic.refresh_from_db()
    assert topic.status == Topic.Status.LEADING and list(call.topics.all()) == [topic]
    assert AuditLog.objects.filter(action="calls.import").count() == 1
    # The same file again changes nothing.
    again = run(
        "calls", [HEADER, ["rnd-1", "융합 R&D 1차", "t-sensor", _later(10), _later(30), *EMPTY_RULES]]
    )
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert AuditLog.objects.filter(action="calls.import").count() == 1


def test_xlsx_with_korean_headers_a_title_row_percent_signs_and_korean_words():
    make_topic(code="t-a", status=Topic.Status.LEADING)
    make_topic(code="t-b", status=Topic.Status.PROPOSED)
    rows = [
        ["2027년 공모 목록"],
        KOREAN_HEADER,
        [
            "rnd-x",
            "총사업비 상한 공모",
            "t-a; t-b",
            datetime.date(2027, 3, 2),
            datetime.date(2027, 3, 31),
            "500,000,000",
            20,
            "30,000,000원",
            "총사업비",
            "70%",
            "30%",
            "25",
            4,
            3,
            2,
            3,
            "65.5",
        ],
        KOREAN_HEADER,  # the header repeated at a page break
    ]
    report = run("calls", xlsx_bytes(rows), filename="calls.xlsx")
    assert report.ok, report.errors
    call = Call.objects.get(code="rnd-x")
    assert call.cap_applies_to == "total" and call.grant_cap_krw == 30_000_000
    assert call.government_share_max == Decimal("70") and call.firm_share_min == 30
    assert (call.min_members, call.min_divisions, call.max_applications_per_firm) == (4, 3, 2)
    assert call.pass_score == Decimal("65.5") and call.budget_krw == 500_000_000
    assert sorted(call.topics.values_list("code", flat=True)) == ["t-a", "t-b"]


def test_cp949_csv():
    data = csv_bytes(
        [
            KOREAN_HEADER,
            [
                "rnd-k",
                "한글 공모",
                "",
                "2027.04.01",
                "2027.04.20",
                *EMPTY_RULES[:3],
                "정부지원금",
                *EMPTY_RULES[4:],
            ],
        ],
        encoding="cp949",
    )
    report = run("calls", data)
    assert report.ok, report.errors
    assert Call.objects.get(code="rnd-k").title == "한글 공모"


def test_every_row_error_in_a_dry_run_and_nothing_written():
    make_topic(code="t-no", status=Topic.Status.REJECTED)
    rows = [
        HEADER,
        ["rnd-a", "알 수 없는 과제", "t-none", _later(5), _later(9), *EMPTY_RULES],
        ["rnd-b", "부적합 과제", "t-no", _later(5), _later(9), *EMPTY_RULES],
        [
            "rnd-c",
            "비율",
            "",
            _later(5),
            _later(9),
            "",
            "",
            "",
            "전액",
            "60",
            "25",
            "스무",
            "",
            "",
            "",
            "",
            "",
        ],
        ["rnd-d", "마감 먼저", "", _later(9), _later(5), *EMPTY_RULES],
        ["rnd-d", "중복", "", _later(5), _later(9), *EMPTY_RULES],
        ["RND E", "", "", "2027-13-01", "", "-1", "0", "", "", "101", "", "", "", "", "", "", ""],
    ]
    report = run("calls", rows, dry_run=True)
    found = [(e.row, e.column, e.message) for e in report.errors]
    assert (2, "topics", "등록되지 않은 과제입니다: t-none") in found
    assert (3, "topics", "부적합 판정을 받은 과제는 선도과제로 지정할 수 없습니다: t-no") in found
    assert (
        4,
        "cap_applies_to",
        "상한 적용 대상은 government/total 또는 정부지원금/총사업비 중 하나여야 합니다: '전액'",
    ) in found
    assert (4, "firm_cash_share_min", "비율은 숫자로 입력해 주세요 (예: 75 또는 75%): '스무'") in found
    assert (5, "closes_on", "접수 마감일은 접수 시작일과 같거나 그 뒤여야 합니다.") in found
    assert (6, "code", "같은 공모 코드가 파일에 두 번 있습니다(행 5).") in found
    assert (7, "title", "값이 비어 있습니다.") in found
    assert (7, "opens_on", "존재하지 않는 날짜입니다: '2027-13-01'") in found
    assert (7, "closes_on", "값이 비어 있습니다.") in found
    rows_shares = [
        HEADER,
        ["rnd-s", "비율 합", "", _later(5), _later(9), "", "", "", "", "60", "25", "", "", "", "", "", ""],
    ]
    shares = run("calls", rows_shares, dry_run=True)
    assert [(e.row, e.column) for e in shares.errors] == [(2, "firm_share_min")]
    assert shares.errors[0].message.startswith(
        "정부지원 최대 비율(60%)과 기업부담 최소 비율(25%)의 합이 100%보다"
    )
    bad_numbers = [
        HEADER,
        ["rnd-n", "숫자", "", _later(5), _later(9), "-1", "0", "", "", "101", "", "", "", "", "", "", ""],
    ]
    numbers = run("calls", bad_numbers, dry_run=True)
    assert {(e.column, e.message) for e in numbers.errors} == {
        ("budget_krw", "총 예산(원)은 1 이상의 정수여야 합니다."),
        ("quota", "선정 규모(협력체 수)는 1 이상의 정수여야 합니다."),
        ("government_share_max", "정부지원 최대 비율(%)은 0에서 100 사이여야 합니다."),
    }
    assert not Call.objects.filter(code__startswith="rnd-").exists()


def test_a_frozen_call_is_refused_by_import_but_an_equal_row_is_unchanged():
    call = make_call(code="c-live", title="접수 중 공모")
    row = [
        "c-live",
        "접수 중 공모",
        "",
        call.opens_on.isoformat(),
        call.closes_on.isoformat(),
        *EMPTY_RULES,
    ]
    same = run("calls", [HEADER, row])
    assert same.ok and same.unchanged == 1
    changed = list(row)
    changed[HEADER.index("government_share_max")] = "80"
    changed[HEADER.index("firm_share_min")] = "20"
    report = run("calls", [HEADER, changed])
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (
            2,
            "",
            "공모 'c-live'는 접수가 시작되어 규칙이 확정되었으므로 가져오기로 고칠 수 없습니다. 규칙을 바꾸려면 공모 "
            "화면의 '규칙 정정'에서 사유와 함께 새 차수로 정정해 주세요.",
        )
    ]
    call.refresh_from_db()
    assert call.government_share_max == 75 and call.version == 1


def test_a_call_not_yet_open_is_updated_and_a_draft_published():
    later = make_call(code="c-later", published=False, days_open=-30, days_left=60)
    row = [
        "c-later",
        "고친 공모명",
        "",
        later.opens_on.isoformat(),
        later.closes_on.isoformat(),
        *EMPTY_RULES,
    ]
    row[HEADER.index("quota")] = "40"
    report = run("calls", [HEADER, row], dry_run=True)
    assert report.ok and report.updated == 1
    assert {(c.column, c.old, c.new) for c in report.changes} == {
        ("title", later.title, "고친 공모명"),
        ("quota", "50", "40"),
    }
    report = run("calls", [HEADER, row])
    assert report.ok
    later.refresh_from_db()
    assert later.quota == 40 and later.title == "고친 공모명"
    assert later.published_at is not None and CallRevision.objects.get(call=later).rules["quota"] == 40


def test_the_command_is_central_only(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_bytes(csv_bytes([HEADER, ["rnd-cli", "명령 공모", "", _later(5), _later(9), *EMPTY_RULES]]))
    make_user("staff", Role.CENTRAL_STAFF)
    make_user("firmuser", Role.FIRM_USER, firm=FirmFactory())
    assert not CallImporter.allowed(make_user("regional", Role.REGIONAL_STAFF))
    with pytest.raises(CommandError, match="권한이 없습니다"):
        call_command("import", "calls", str(path), "--as", "firmuser", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import", "calls", str(path), "--as", "staff", stdout=out)
    assert "저장했습니다." in out.getvalue()
    assert Call.objects.get(code="rnd-cli").created_by.username == "staff"


def test_the_template_names_every_column_in_korean_with_its_meaning():
    from openpyxl import load_workbook

    from yunghap.core.import_templates import build_template

    data, notes = load_workbook(io.BytesIO(build_template(CallImporter))).worksheets
    assert [c.value for c in data[1]] == [column.label for column in CallImporter.columns]
    assert [column.key for column in CallImporter.columns] == HEADER
    described = {row[1].value: row for row in notes.iter_rows(min_row=2) if row[1].value}
    assert all(described[key][2].value for key in HEADER)
    # The template's own example row imports.
    example = [[c.value for c in data[1]], [column.example for column in CallImporter.columns]]
    make_topic(code="t-sensor", status=Topic.Status.ACCEPTED)
    make_topic(code="t-robot", status=Topic.Status.ACCEPTED)
    report = run("calls", xlsx_bytes(example), filename="calls.xlsx", dry_run=True)
    assert report.ok, report.errors
