"""Spreadsheet bytes for the import tests: XLSX written with openpyxl, CSV in CP949 as offices save it."""

from __future__ import annotations

import io

import openpyxl


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


def messages(report) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]
