"""Issue 8 §4: files as Korean offices write them — several KSIC codes in a cell, several needs under one
title, codes checked against the reference, and a dry run that says what changes (old → new)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from tests.factories import FirmFactory, industry, make_brn
from tests.transfer.conftest import csv_bytes, messages, run, xlsx_bytes
from yunghap.core.exports import export_table
from yunghap.matching.models import Posting
from yunghap.network.models import Firm

pytestmark = pytest.mark.django_db

KOREAN_HEADER = ["사업자등록번호", "기업명", "지역", "업종(KSIC)"]


def codes(firm: Firm) -> tuple[str, list[str]]:
    return firm.industry.code, sorted(i.code for i in firm.secondary_industries.all())


@pytest.mark.parametrize(
    ("cell", "main", "secondary"),
    [
        ("26;62", "26", ["62"]),
        ("29110;28", "29", ["28"]),
        ("C26, J62", "26", ["62"]),
        ("26\n62\n28", "26", ["28", "62"]),
        ("26;26121", "26", []),  # the same division twice is one industry
    ],
)
def test_ksic_cell_with_several_codes_gives_main_and_secondary_industries(cell, main, secondary):
    report = run("firms", [KOREAN_HEADER, [make_brn(1), "(주)새영테크", "서울", cell]])
    assert report.ok, report.errors
    assert codes(Firm.objects.get()) == (main, secondary)


def test_secondary_industries_export_back_as_written_and_reimport_unchanged(central):
    run("firms", [KOREAN_HEADER, [make_brn(1), "(주)새영테크", "서울", "29110;28;62"]])
    buffer = io.BytesIO()
    export_table("firms", None, buffer, "csv", headers="en")
    text = buffer.getvalue().decode("utf-8-sig")
    assert ",29;28;62," in text
    again = run("firms", buffer.getvalue(), dry_run=True)
    assert again.ok and (again.unchanged, again.changed) == (1, 0)


def test_a_changed_secondary_industry_is_an_update_that_shows_old_and_new():
    run("firms", [KOREAN_HEADER, [make_brn(1), "(주)새영테크", "서울", "26;62"]])
    report = run("firms", [KOREAN_HEADER, [make_brn(1), "(주)새영테크", "서울", "26;28"]], dry_run=True)
    assert report.updated == 1
    assert [(c.row, c.column, c.old, c.new) for c in report.changes] == [(2, "ksic", "26;62", "26;28")]
    run("firms", [KOREAN_HEADER, [make_brn(1), "(주)새영테크", "서울", "26"]])
    assert codes(Firm.objects.get()) == ("26", [])  # a present cell with one code clears the others


@pytest.mark.parametrize("cell", ["99999", "26;99999", "A26", "40", "2x"])
def test_ksic_codes_are_checked_against_the_reference(cell):
    report = run("firms", [KOREAN_HEADER, [make_brn(1), "가", "서울", cell]])
    (row, column, message), *_ = messages(report)
    assert (row, column) == (2, "ksic")
    assert message.startswith("알 수 없는 KSIC 업종 코드입니다")
    assert not Firm.objects.exists()


def test_the_form_validator_is_the_import_rule():
    from django.core.exceptions import ValidationError

    from yunghap.network.ksic import validate_ksic_code

    validate_ksic_code("C26121")
    with pytest.raises(ValidationError) as refused:
        validate_ksic_code("99999")
    assert (
        refused.value.code == "ksic"
        and "알 수 없는 KSIC 업종 코드입니다: '99999'" in refused.value.messages[0]
    )


def test_dry_run_lists_each_changed_field_old_to_new_in_the_command(tmp_path):
    FirmFactory(brn="1168200276", name="(주)새영테크", industry=industry("26"), phone="02-123-4567")
    path = tmp_path / "firms.csv"
    path.write_bytes(
        csv_bytes(
            [["사업자등록번호", "기업명", "지역", "업종(KSIC)"], ["116-82-00276", "외부업체", "서울", "26"]]
        )
    )
    out = io.StringIO()
    call_command("import", "firms", str(path), "--dry-run", stdout=out)
    lines = out.getvalue().splitlines()
    assert "행 2, 열 기업명: (주)새영테크 → 외부업체" in lines
    assert Firm.objects.get().name == "(주)새영테크"


def test_dry_run_masks_old_personal_data():
    FirmFactory(brn="1168200276", representative="홍길동", industry=industry("26"))
    header = [*KOREAN_HEADER, "대표자"]
    report = run("firms", [header, ["1168200276", "가", "서울", "26", "김영희"]], dry_run=True)
    change = next(c for c in report.changes if c.column == "representative")
    assert change.old != "홍길동" and change.old.startswith("홍") and change.new == "김영희"


# --- postings: several needs under one title ----------------------------------------------------------


def test_postings_with_one_title_and_different_descriptions_are_different_postings(tmp_path):
    firm = FirmFactory(industry=industry("27"))
    soon = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    rows = [
        ["사업자등록번호", "구분", "제목", "내용", "키워드", "게시 기한"],
        [firm.brn, "수요", "웨어러블 재활 기기 협력", "근전도 센서 모듈", "센서", soon],
        [firm.brn, "수요", "웨어러블 재활 기기 협력", "신축성 전도 섬유 원단", "섬유", soon],
    ]
    report = run("postings", xlsx_bytes(rows), filename="postings.xlsx")
    assert report.ok, report.errors
    assert report.created == 2 and Posting.objects.filter(firm=firm).count() == 2
    again = run("postings", xlsx_bytes(rows), filename="postings.xlsx")
    assert (again.created, again.unchanged) == (0, 2) and Posting.objects.count() == 2
    twice = run("postings", xlsx_bytes([*rows, rows[1]]), filename="postings.xlsx", dry_run=True)
    assert messages(twice) == [(4, "title", "모든 열이 같은 행이 파일에 두 번 있습니다(행 2).")]
