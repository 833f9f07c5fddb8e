"""Reading and writing the spreadsheets Korean offices live in: XLSX, and CSV in UTF-8 (with or without BOM)
or CP949, which Korean Excel writes.
"""

from __future__ import annotations

import csv
import datetime
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class SpreadsheetError(Exception):
    """The file as a whole cannot be read (wrong format, undecodable text, empty)."""


@dataclass(frozen=True)
class CellError:
    """One cell the importers must not see (too long, a NUL byte): a row error of the dry run."""

    row: int  # spreadsheet row number
    column_index: int  # 0-based position in the row
    message: str  # Korean


@dataclass
class Table:
    header: list[str]
    rows: list[list[Any]]  # cells as read: str for CSV; str, int, float, date, datetime or None for XLSX
    first_data_row: int = 2  # spreadsheet row number of rows[0], for error messages
    cell_errors: list[CellError] = field(default_factory=list)


# Called while a file is read, with (rows read, rows in the file): the web import's progress bar.
Progress = Callable[[int, int], None]
PROGRESS_EVERY = 1000


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f}"


def _too_many_rows() -> SpreadsheetError:
    return SpreadsheetError(
        _("행이 너무 많습니다: 최대 %(max)s행까지 가져올 수 있습니다. 파일을 나누어 올려 주세요.")
        % {"max": f"{settings.IMPORT_MAX_ROWS:,}"}
    )


def _too_many_columns() -> SpreadsheetError:
    return SpreadsheetError(
        _("열이 너무 많습니다: 최대 %(max)s열까지 가져올 수 있습니다.")
        % {"max": f"{settings.IMPORT_MAX_COLUMNS:,}"}
    )


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


def read_table(
    source: bytes | str | Path | IO[bytes], filename: str = "", *, progress: Progress | None = None
) -> Table:
    """Read the first sheet (XLSX) or the CSV, whatever its encoding; blank lines are skipped.

    The limits of the settings (`IMPORT_MAX_*`) are checked before the file is parsed: a small archive that
    expands to a million rows is refused in a fraction of a second, with a Korean error naming the limit.
    A cell that is too long or holds a NUL byte becomes a row error (`Table.cell_errors`), not a crash.
    """
    if isinstance(source, str | Path):
        filename = filename or str(source)
        data = Path(source).read_bytes()
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read()
    if not data or not data.strip():
        raise SpreadsheetError(_("파일이 비어 있습니다."))
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise SpreadsheetError(
            _("파일이 너무 큽니다: 최대 %(max)sMB까지 가져올 수 있습니다.")
            % {"max": _mb(settings.IMPORT_MAX_BYTES)}
        )
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith((".xlsx", ".xlsm")):
        raw_rows = _read_xlsx(data, progress)
    else:
        raw_rows = _read_csv(data, progress)
    numbered = [(number, row) for number, row in enumerate(raw_rows, start=1) if not _is_blank(row)]
    if not numbered:
        raise SpreadsheetError(_("파일이 비어 있습니다."))
    cell_errors: list[CellError] = []
    header_number, header_row = numbered[0]
    _check_cells(header_number, header_row, cell_errors)
    header = [str(cell).strip() if cell is not None else "" for cell in header_row]
    rows: list[list[Any]] = []
    row_numbers: list[int] = []
    for number, row in numbered[1:]:
        _check_cells(number, row, cell_errors)
        cells = list(row) + [None] * (len(header) - len(row))
        rows.append(cells)
        row_numbers.append(number)
    table = Table(header=header, rows=rows, first_data_row=header_number + 1, cell_errors=cell_errors)
    table.row_numbers = row_numbers  # type: ignore[attr-defined]
    return table


def _check_cells(number: int, row: Sequence[Any], errors: list[CellError]) -> None:
    limit = settings.IMPORT_MAX_CELL_CHARS
    for index, cell in enumerate(row):
        if cell.__class__ is not str:
            continue
        if len(cell) > limit:
            errors.append(
                CellError(
                    number,
                    index,
                    _("셀이 너무 깁니다(%(length)s자): 한 셀에 최대 %(max)s자까지 넣을 수 있습니다.")
                    % {"length": f"{len(cell):,}", "max": f"{limit:,}"},
                )
            )
        elif "\x00" in cell:
            errors.append(
                CellError(
                    number,
                    index,
                    _("셀에 NUL 문자(\\0)가 들어 있습니다. 파일을 엑셀에서 다시 저장해 주세요."),
                )
            )


def _read_csv(data: bytes, progress: Progress | None) -> list[list[str]]:
    text = _decode(data)
    # The csv module refuses fields over 128 KB with `_csv.Error`; the file itself is capped by
    # IMPORT_MAX_BYTES, so let it read any field and check the length ourselves (a row error, not a crash).
    if csv.field_size_limit() < settings.IMPORT_MAX_BYTES + 1:
        csv.field_size_limit(settings.IMPORT_MAX_BYTES + 1)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    limit = settings.IMPORT_MAX_ROWS + 1  # the header
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) > limit:
                raise _too_many_rows()
            if len(row) > settings.IMPORT_MAX_COLUMNS:
                raise _too_many_columns()
    except csv.Error as exc:
        raise SpreadsheetError(
            _("CSV 파일의 %(row)s행을 읽을 수 없습니다: %(reason)s") % {"row": reader.line_num, "reason": exc}
        ) from exc
    if progress is not None:
        progress(len(rows), len(rows))
    return rows


def row_numbers(table: Table) -> list[int]:
    """The spreadsheet row number of each data row (blank lines skipped keep their numbers)."""
    return getattr(
        table, "row_numbers", list(range(table.first_data_row, table.first_data_row + len(table.rows)))
    )


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s>/]")
_ROW_NUMBER = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?row\s[^>]*?\br="(\d{1,9})"')
_DIMENSION = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?dimension\s+ref="[A-Z]{1,3}\d+:[A-Z]{1,3}(\d{1,9})"')
_CHUNK = 1024 * 1024


def check_xlsx_limits(data: bytes) -> int:
    """Refuse an XLSX archive beyond the limits without parsing it; return the rows of its first sheet.

    Sums the sizes the archive declares (zipfile never inflates a member beyond its declared size), checks
    each large member's compression ratio, then counts the `<row>` elements of the first sheet while
    inflating it in chunks — the highest row number counts too, as openpyxl fills gaps with empty rows.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _unreadable_xlsx() from exc
    expanded = sum(member.file_size for member in members)
    if expanded > settings.IMPORT_MAX_EXPANDED_BYTES:
        raise SpreadsheetError(
            _("압축을 푼 크기가 너무 큽니다(%(size)sMB): 최대 %(max)sMB까지 가져올 수 있습니다.")
            % {"size": _mb(expanded), "max": _mb(settings.IMPORT_MAX_EXPANDED_BYTES)}
        )
    for member in members:
        if (
            member.file_size > _CHUNK
            and member.file_size > member.compress_size * settings.IMPORT_MAX_COMPRESSION_RATIO
        ):
            raise SpreadsheetError(
                _("압축률이 비정상적으로 높습니다(%(ratio)s배): 최대 %(max)s배까지 가져올 수 있습니다.")
                % {
                    "ratio": f"{member.file_size // max(member.compress_size, 1):,}",
                    "max": f"{settings.IMPORT_MAX_COMPRESSION_RATIO:,}",
                }
            )
    sheet = _first_sheet_path(archive)
    if sheet is None:
        raise _unreadable_xlsx()
    limit = settings.IMPORT_MAX_ROWS + 1  # the header
    count = highest = 0
    pending = b""
    try:
        with archive.open(sheet) as stream:
            first = True
            while True:
                chunk = stream.read(_CHUNK)
                if first:
                    # The sheet's declared range, when it has one, refuses a bomb before any inflating.
                    dimension = _DIMENSION.search(chunk[:4096])
                    if dimension and int(dimension[1]) > limit:
                        raise _too_many_rows()
                    first = False
                window = pending + chunk
                if chunk:
                    # Tags never contain "<": every tag before the last "<" is whole; the rest waits.
                    cut = window.rfind(b"<")
                    if cut <= 0:
                        cut = 0
                        pending = window if len(window) < 2 * _CHUNK else window[:256]
                    else:
                        pending = window[cut:]
                    region = window[:cut]
                else:
                    region = window
                count += len(_ROW_TAG.findall(region))
                numbers = _ROW_NUMBER.findall(region)
                if numbers:
                    highest = max(highest, max(map(int, numbers)))
                if count > limit or highest > limit:
                    raise _too_many_rows()
                if not chunk:
                    break
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, KeyError) as exc:
        raise _unreadable_xlsx() from exc
    return max(count, highest)


def _unreadable_xlsx() -> SpreadsheetError:
    return SpreadsheetError(_("XLSX 파일을 읽을 수 없습니다. 엑셀 통합문서(.xlsx)인지 확인해 주세요."))


_SHEET_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?sheet\s[^>]*>")
_REL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?Relationship\s[^>]*>")
_REL_ID = re.compile(rb'\s(?:[A-Za-z_][\w.-]*:)?id="([^"]+)"')
_ID = re.compile(rb'\sId="([^"]+)"')
_TARGET = re.compile(rb'\sTarget="([^"]+)"')
_SMALL_PART = 4 * 1024 * 1024


def _first_sheet_path(archive: zipfile.ZipFile) -> str | None:
    """The archive path of the workbook's first sheet, the one openpyxl's `worksheets[0]` reads.

    Found with patterns rather than an XML parser: these parts are attacker-supplied, and the patterns
    read only the two attributes needed, from parts of bounded size.
    """
    names = set(archive.namelist())
    try:
        parts = [archive.getinfo(name) for name in ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")]
        if all(part.file_size < _SMALL_PART for part in parts):
            workbook, rels = (archive.read(part) for part in parts)
            sheet = _SHEET_TAG.search(workbook)
            rel_id = _REL_ID.search(sheet[0]) if sheet else None
            for rel in _REL_TAG.findall(rels):
                found_id, target = _ID.search(rel), _TARGET.search(rel)
                if rel_id and found_id and target and found_id[1] == rel_id[1]:
                    text = target[1].decode("utf-8", "replace")
                    path = text.lstrip("/") if text.startswith("/") else posixpath.normpath(f"xl/{text}")
                    if path in names:
                        return path
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        pass
    sheets = sorted(n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    return sheets[0] if sheets else None


def _read_xlsx(data: bytes, progress: Progress | None = None) -> list[list[Any]]:
    from openpyxl import load_workbook

    total = check_xlsx_limits(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _unreadable_xlsx() from exc
    limit = settings.IMPORT_MAX_ROWS + 1
    rows: list[list[Any]] = []
    try:
        sheet = workbook.worksheets[0]
        # The declared range may claim 16,384 columns: read each row as stored, without padding to it.
        sheet.reset_dimensions()
        for row in sheet.iter_rows(values_only=True):
            if len(row) > settings.IMPORT_MAX_COLUMNS:
                raise _too_many_columns()
            rows.append(list(row))
            if len(rows) > limit:
                raise _too_many_rows()
            if progress is not None and len(rows) % PROGRESS_EVERY == 0:
                progress(len(rows), max(total, len(rows)))
    except SpreadsheetError:
        raise
    except Exception as exc:
        raise _unreadable_xlsx() from exc
    finally:
        workbook.close()
    if progress is not None:
        progress(len(rows), len(rows))
    return rows


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
