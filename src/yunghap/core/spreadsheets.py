"""Reading and writing the spreadsheets Korean offices live in: XLSX, and CSV in UTF-8 (with or without BOM)
or CP949, which Korean Excel writes.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong format, undecodable text, empty)."""


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]  # cells as read: str for CSV; str, int, float, date, datetime or None for XLSX
    first_data_row: int = 2  # spreadsheet row number of rows[0], for error messages


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(
            _("파일의 문자 인코딩을 알 수 없습니다. UTF-8 또는 CP949(엑셀 CSV)로 저장해 주세요.")
        ) from exc


def _delimiter(text: str) -> str:
    """Comma, semicolon or tab: whichever the header line has most of.

    The header decides, not a sniffer over the data: data cells hold `;`-separated lists, which can make
    a sniffer take `;` for the delimiter.
    """
    header = text.lstrip("\r\n").split("\n", 1)[0]
    counts = {delimiter: header.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _is_blank(row: Sequence[Any]) -> bool:
    return all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row)


def read_table(source: bytes | str | Path | IO[bytes], filename: str = "") -> Table:
    """Read the first sheet (XLSX) or the CSV, whatever its encoding; blank lines are skipped."""
    if isinstance(source, str | Path):
        filename = filename or str(source)
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if not data or not data.strip():
        raise SpreadsheetError(_("파일이 비어 있습니다."))
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        raw_rows = _read_xlsx(data)
    else:
        text = _decode(data)
        delimiter = _delimiter(text)
        raw_rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    numbered = [(number, row) for number, row in enumerate(raw_rows, start=1) if not _is_blank(row)]
    if not numbered:
        raise SpreadsheetError(_("파일이 비어 있습니다."))
    header_number, header_row = numbered[0]
    header = [str(cell).strip() if cell is not None else "" for cell in header_row]
    rows: list[list[Any]] = []
    row_numbers: list[int] = []
    for number, row in numbered[1:]:
        cells = list(row) + [None] * (len(header) - len(row))
        rows.append(cells)
        row_numbers.append(number)
    table = Table(header=header, rows=rows, first_data_row=header_number + 1)
    table.row_numbers = row_numbers  # type: ignore[attr-defined]
    return table


def row_numbers(table: Table) -> list[int]:
    """The spreadsheet row number of each data row (blank lines skipped keep their numbers)."""
    return getattr(
        table, "row_numbers", list(range(table.first_data_row, table.first_data_row + len(table.rows)))
    )


def _read_xlsx(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise SpreadsheetError(
            _("XLSX 파일을 읽을 수 없습니다. 엑셀 통합문서(.xlsx)인지 확인해 주세요.")
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def neutralise(value: Any) -> Any:
    """Stop a cell from being run as a formula when the file is opened in Excel (CSV injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def unneutralise(value: Any) -> Any:
    """The inverse of `neutralise`, so that an export re-imports to the same data."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_PREFIXES):
        return value[1:]
    return value


def write_table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    fmt: str,
    target: IO[bytes],
    *,
    sheet_title: str = "data",
) -> None:
    """Write XLSX (write-only, constant memory) or CSV in UTF-8 with BOM (Excel opens it as Korean)."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=sheet_title[:31])
        sheet.append(list(header))
        for row in rows:
            sheet.append([_xlsx_cell(v) for v in row])
        workbook.save(target)
    elif fmt == "csv":
        text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="", write_through=True)
        writer = csv.writer(text)
        writer.writerow(header)
        for row in rows:
            writer.writerow(["" if v is None else _csv_cell(v) for v in row])
        text.flush()
        text.detach()
    else:
        raise ValueError(f"unknown format {fmt!r}")


def _xlsx_cell(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return value.replace(tzinfo=None)
    return neutralise(value)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return neutralise(value)


def iter_chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
