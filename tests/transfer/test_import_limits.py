"""Bad files are refused before they are parsed (issue 7, finding 7): archive bombs, huge cells, NUL bytes."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from bench.import_limits import xlsx_bomb

from tests.transfer.conftest import GROUP_HEADER, csv_bytes, messages, run
from yunghap.core.spreadsheets import SpreadsheetError, read_table

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("dimension", [False, True])
def test_million_row_archive_is_refused_before_parsing(dimension):
    bomb = xlsx_bomb(dimension=dimension)
    assert len(bomb) < 1_000_000
    started = time.process_time()
    with pytest.raises(SpreadsheetError) as refused:
        read_table(bomb, "bomb.xlsx")
    assert time.process_time() - started < 1.0
    assert str(refused.value) == (
        "행이 너무 많습니다: 최대 100,000행까지 가져올 수 있습니다. 파일을 나누어 올려 주세요."
    )


def test_the_import_reports_the_row_limit_as_a_file_error():
    report = run("groups", xlsx_bomb(200_000), dry_run=True, filename="bomb.xlsx")
    assert messages(report) == [
        (0, "", "행이 너무 많습니다: 최대 100,000행까지 가져올 수 있습니다. 파일을 나누어 올려 주세요.")
    ]


def test_rows_up_to_the_limit_are_read(settings):
    settings.IMPORT_MAX_ROWS = 3
    assert len(read_table(xlsx_bomb(4), "ok.xlsx").rows) == 3  # a header and three data rows
    with pytest.raises(SpreadsheetError, match="최대 3행까지"):
        read_table(xlsx_bomb(5), "big.xlsx")
    csv_rows = [GROUP_HEADER] + [["sg1", "가", "seoul", "", "", "", ""]] * 4
    with pytest.raises(SpreadsheetError, match="최대 3행까지"):
        read_table(csv_bytes(csv_rows))
    assert len(read_table(csv_bytes(csv_rows[:4])).rows) == 3


def test_expanded_size_and_compression_ratio_are_limited(settings):
    settings.IMPORT_MAX_EXPANDED_BYTES = 10 * 1024 * 1024
    with pytest.raises(SpreadsheetError) as refused:
        read_table(xlsx_bomb(), "bomb.xlsx")
    assert "압축을 푼 크기가 너무 큽니다" in str(refused.value) and "최대 10MB까지" in str(refused.value)
    settings.IMPORT_MAX_EXPANDED_BYTES = 300 * 1024 * 1024
    settings.IMPORT_MAX_COMPRESSION_RATIO = 20
    with pytest.raises(SpreadsheetError, match="압축률이 비정상적으로 높습니다.*최대 20배까지"):
        read_table(xlsx_bomb(), "bomb.xlsx")


def test_a_sheet_claiming_16384_columns_is_read_as_stored():
    # openpyxl pads every row to the declared range: 16,384 cells a row unless the range is ignored.
    table = read_table(xlsx_bomb(3, dimension=True, last_column="XFD"), "wide.xlsx")
    assert table.header == ["1"] and [len(row) for row in table.rows] == [1, 1]


def test_a_long_csv_cell_is_a_row_error_naming_row_and_column():
    huge = "가" * 200_000  # over the csv module's 128 KB field limit, which raised _csv.Error
    rows = [
        GROUP_HEADER,
        ["sg1", "서울교류회", "seoul", "", "", "", ""],
        ["sg2", huge, "seoul", "", "", "", ""],
    ]
    report = run("groups", rows, dry_run=True)
    assert messages(report) == [
        (3, "name", "셀이 너무 깁니다(200,000자): 한 셀에 최대 32,767자까지 넣을 수 있습니다.")
    ]
    assert report.total == 2


def test_a_nul_byte_is_a_row_error_of_the_dry_run():
    rows = [GROUP_HEADER, ["sg1", "서울\x00교류회", "seoul", "", "", "", ""]]
    report = run("groups", rows, dry_run=True)
    assert messages(report) == [
        (2, "name", "셀에 NUL 문자(\\0)가 들어 있습니다. 파일을 엑셀에서 다시 저장해 주세요.")
    ]
    # The commit refuses it the same way, before PostgreSQL would.
    assert not run("groups", rows).written


def test_the_sheet_counted_is_the_one_openpyxl_reads():
    """The first sheet of the workbook, found through its relationship, not the first file name."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bomb(200_000)))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                name = "xl/worksheets/sheet2.xml"
            elif name == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"worksheets/sheet1.xml", b"worksheets/sheet2.xml")
            archive.writestr(name, data)
        archive.writestr("xl/worksheets/sheet1.xml", b"<worksheet><sheetData><row/></sheetData></worksheet>")
    with pytest.raises(SpreadsheetError, match="행이 너무 많습니다"):
        read_table(buffer.getvalue(), "renamed.xlsx")
