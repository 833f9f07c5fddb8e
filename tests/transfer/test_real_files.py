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


# --- spreadsheets as Korean offices write them ------------------------------------------------------


def office_sheet():
    """A title row, a date line, the Korean header, data with several values per cell, the header repeated
    at a page break, and a blank line — as a federation's report is pasted together."""
    header = ["사업자등록번호", "기업명", "지역", "업종(KSIC)", "보유기술"]
    return [
        ["2026년 서울연합회 회원사 현황", None, None, None, None],
        ["작성일: 2026.03.02", None, None, None, None],
        header,
        ["116-82-00276", "(주)새영테크", "서울특별시", "26;62", "센서\n임베디드 SW"],
        header,
        [make_brn(5), "한빛정밀", "서울연합회", "29110, 28", "정밀 가공;금형"],
    ]


def test_cp949_csv_with_title_rows_and_repeated_header_imports():
    data = csv_bytes(office_sheet(), encoding="cp949")
    report = run("firms", data, filename="회원사.csv", dry_run=True)
    assert report.ok, report.errors
    assert (report.total, report.created) == (2, 2)
    run("firms", data, filename="회원사.csv")
    saeyoung = Firm.objects.get(brn="1168200276")
    assert codes(saeyoung) == ("26", ["62"]) and saeyoung.technologies == ["센서", "임베디드 SW"]
    assert codes(Firm.objects.get(name="한빛정밀")) == ("29", ["28"])


def test_xlsx_with_title_rows_reports_errors_on_the_real_row_numbers():
    sheet = office_sheet()
    sheet[5][3] = "99999"
    report = run("firms", xlsx_bytes(sheet), filename="회원사.xlsx")
    assert [(row, column) for row, column, _m in messages(report)] == [(6, "ksic")]
    assert not Firm.objects.exists()


def test_ledger_cells_list_brns_with_commas_and_line_breaks(db):
    from tests.factories import GroupFactory, MembershipFactory
    from yunghap.activities.models import Meeting

    group = GroupFactory(code="seoul-t09")
    a, b = FirmFactory(), FirmFactory()
    for firm in (a, b):
        MembershipFactory(group=group, firm=firm, joined_on=datetime.date(2020, 1, 1))
    rows = [
        ["3월 월례회 출석부", None, None],
        ["교류회코드", "개최일", "출석 사업자등록번호"],
        [group.code, datetime.date(2025, 3, 13), f"{a.brn_display}, {b.brn}"],
        [group.code, "2025.04.10", f"{a.brn}\n{b.brn_display}"],
    ]
    report = run("meetings", xlsx_bytes(rows), filename="출석부.xlsx")
    assert report.ok, report.errors
    assert sorted(Meeting.objects.values_list("present_count", flat=True)) == [2, 2]


# --- templates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind",
    [
        "groups",
        "firms",
        "memberships",
        "meetings",
        "trades",
        "outcomes",
        "activities",
        "survey",
        "postings",
        "capabilities",
    ],
)
def test_each_kind_has_a_template_with_korean_headers_an_example_and_column_notes(kind):
    from openpyxl import load_workbook

    from yunghap.core.import_templates import build_template
    from yunghap.core.imports import IMPORTERS

    importer = IMPORTERS[kind]
    workbook = load_workbook(io.BytesIO(build_template(importer)))
    data, notes = workbook.worksheets
    assert [c.value for c in data[1]] == [column.label for column in importer.columns]
    assert data.max_row == 2  # the header and one example row
    assert notes.title == "열 설명"
    assert [c.value for c in notes[1]][:6] == ["열 이름", "영문 키", "뜻", "필수", "형식", "예"]
    described = {row[1].value: row for row in notes.iter_rows(min_row=2) if row[1].value}
    for column in importer.columns:
        assert described[column.key][2].value, f"{kind}.{column.key} has no meaning"
        assert described[column.key][3].value == ("예" if column.required else "아니오")


def test_template_downloads_from_the_data_page_and_the_command(client, central, tmp_path):
    from django.urls import reverse

    from yunghap.core.spreadsheets import read_table

    client.force_login(central)
    page = client.get(reverse("transfer:home")).content.decode()
    link = reverse("transfer:import_template", args=["firms"])
    assert link in page
    response = client.get(link)
    assert response.status_code == 200
    assert (
        "filename*=utf-8''%ED%9A%8C%EC%9B%90%EC%82%AC_%EC%96%91%EC%8B%9D.xlsx"
        in response["Content-Disposition"]
    )
    assert read_table(response.content, "t.xlsx").header[0] == "사업자등록번호"
    assert client.get(reverse("transfer:import_template", args=["nothing"])).status_code == 404
    path = tmp_path / "firms.xlsx"
    call_command("import_template", "firms", str(path), stdout=io.StringIO())
    assert read_table(path).header == read_table(response.content, "t.xlsx").header


def test_import_kinds_are_listed_in_korean_order(client, central):
    from django.urls import reverse

    client.force_login(central)
    response = client.get(reverse("transfer:home"))
    labels = [label for _kind, label, _columns in response.context["import_columns"]]
    assert labels == sorted(labels) and labels[0] == "공모"  # 공모 (calls) sorts before 교류회


# --- filtered downloads ---------------------------------------------------------------------------------


def test_firm_list_downloads_as_filtered_with_secondary_industries(client, central):
    from django.urls import reverse

    from yunghap.core.spreadsheets import read_table

    maker = FirmFactory(name="센서메이커", industry=industry("26"))
    software = FirmFactory(name="소프트웨어", industry=industry("62"))
    software.secondary_industries.set([industry("26")])
    FirmFactory(name="금속", industry=industry("24"))
    client.force_login(central)
    page = client.get(reverse("network:firm_list"), {"division": "26", "secondary": "on"})
    assert [f.name for f in page.context["firms"]] == ["센서메이커", "소프트웨어"]
    only_main = client.get(reverse("network:firm_list"), {"division": "26"})
    assert [f.name for f in only_main.context["firms"]] == ["센서메이커"]
    link = reverse("transfer:export", args=["firms", "xlsx"]) + "?division=26&amp;secondary=on"
    assert link in page.content.decode()
    download = client.get(
        reverse("transfer:export", args=["firms", "xlsx"]), {"division": "26", "secondary": "on"}
    )
    table = read_table(b"".join(download.streaming_content), "f.xlsx")
    rows = {row[1]: row for row in table.rows}
    assert set(rows) == {maker.name, software.name}
    assert rows[software.name][table.header.index("업종(KSIC)")] == "62;26"
    detail = client.get(reverse("network:firm_detail", args=[software.brn])).content.decode()
    assert "26 " in detail.split('id="firm-secondary-industries"')[1].split("</dd>")[0]


def test_postings_export_reimports_unchanged(central):
    firm = FirmFactory(industry=industry("27"))
    soon = (datetime.date.today() + datetime.timedelta(days=60)).isoformat()
    rows = [
        ["사업자등록번호", "구분", "제목", "내용", "키워드", "게시 기한"],
        [firm.brn, "수요", "웨어러블 재활 기기 협력", "근전도 센서 모듈", "센서;근전도", soon],
        [firm.brn, "수요", "웨어러블 재활 기기 협력", "신축성 전도 섬유 원단", "", soon],
    ]
    run("postings", xlsx_bytes(rows), filename="p.xlsx")
    buffer = io.BytesIO()
    assert export_table("postings", central, buffer, "xlsx", filters={"kind": "need"}) == 2
    again = run("postings", buffer.getvalue(), filename="p.xlsx", dry_run=True)
    assert again.ok and (again.unchanged, again.changed) == (2, 0)
    offers = io.BytesIO()
    assert export_table("postings", central, offers, "csv", filters={"kind": "offer"}) == 0


def test_secondary_industries_count_as_what_the_firm_can_also_do():
    from yunghap.matching.posting_services import profile_text

    firm = FirmFactory(industry=industry("26"), technologies=["센서"])
    firm.secondary_industries.set([industry("62")])
    text = profile_text(firm)
    assert "센서" in text and industry("62").name in text
    assert industry("26").name not in text  # the main industry stays the "own industry" of matching


def test_group_list_downloads_as_filtered(client, central):
    from django.urls import reverse

    from tests.factories import GroupFactory, region
    from yunghap.core.spreadsheets import read_table

    GroupFactory(code="seoul-x1", name="서울가")
    GroupFactory(code="busan-x1", name="부산가", federation=region("busan"))
    client.force_login(central)
    page = client.get(reverse("network:group_list"), {"region": "busan"}).content.decode()
    assert reverse("transfer:export", args=["groups", "xlsx"]) + "?region=busan" in page
    download = client.get(reverse("transfer:export", args=["groups", "xlsx"]), {"region": "busan"})
    table = read_table(b"".join(download.streaming_content), "g.xlsx")
    assert table.header[0] == "교류회코드" and [row[0] for row in table.rows] == ["busan-x1"]
