"""The survey table and the trend series as files: JSON, CSV (UTF-8 with BOM) and XLSX."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from yunghap.core.spreadsheets import write_table

from .trends import table_rows

FORMATS = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def report_json(report: dict[str, Any], **extra: Any) -> str:
    """The report as JSON; shares as numbers with one decimal (83.6), `null` when nobody answered."""
    return json.dumps(_plain({**report, **extra}), ensure_ascii=False, indent=2)


def report_rows(columns: list[tuple[str, dict[str, Any]]]) -> tuple[list[str], list[list[Any]]]:
    """The plan's table as rows: one row per indicator, one column per (label, table) given."""
    header = [_("지표")] + [label for label, _table in columns]

    def pick(table: dict[str, Any], path: tuple[str, ...]) -> Any:
        value: Any = table
        for key in path:
            value = value[key]
        return value

    lines = [
        (_("응답 교류회 수(개)"), ("respondents",)),
        (_("정보교환형 비율(%)"), ("purpose_share", "info")),
        (_("자원협력형 비율(%)"), ("purpose_share", "resource")),
        (_("신제품개발형 비율(%)"), ("purpose_share", "newproduct")),
        (_("기술개발 실적 보유 교류회 수(개)"), ("groups_with_rnd", "count")),
        (_("기술개발 실적 보유 교류회 비율(%)"), ("groups_with_rnd", "share")),
        (_("융합기술개발 실적(건)"), ("rnd_results",)),
        (_("연간 월례회 개최 횟수(회, 교류회 평균)"), ("meetings_per_year_mean",)),
        (_("참석률 70% 이상 교류회 비율(%)"), ("attendance_70_share",)),
    ]
    return header, [[label] + [pick(table, path) for _l, table in columns] for label, path in lines]


def table_file(header: list[str], rows: list[list[Any]], fmt: str, sheet: str) -> bytes:
    buffer = io.BytesIO()
    write_table(header, rows, fmt, buffer, sheet_title=sheet)
    return buffer.getvalue()


def trends_file(
    monthly: list[dict[str, Any]],
    yearly: list[dict[str, Any]],
    fmt: str,
    *,
    note: str = "",
    extra_sheets: list[tuple[str, list[str], list[list[Any]]]] | None = None,
) -> bytes:
    """Every series: CSV holds the monthly rows; XLSX has a monthly and a yearly sheet, the
    `extra_sheets` (title, header, rows: education and events), and a sheet of notes when the chosen
    years reach the month that has not ended (left out, `note` says so)."""
    if fmt == "csv":
        header, rows = table_rows(monthly)
        return table_file(header, rows, "csv", "monthly")
    from openpyxl import Workbook

    from yunghap.core.spreadsheets import neutralise

    workbook = Workbook(write_only=True)
    for title, data in ((_("월별"), monthly), (_("연도별"), yearly)):
        sheet = workbook.create_sheet(title=title)
        header, rows = table_rows(data)
        sheet.append(header)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    for title, header, rows in extra_sheets or []:
        sheet = workbook.create_sheet(title=title)
        sheet.append(header)
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    if note:
        sheet = workbook.create_sheet(title=_("안내"))
        sheet.append([neutralise(note)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
