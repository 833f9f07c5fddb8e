"""Helpers of the transfer tests: files built the way users make them (Excel CSV, XLSX with date cells)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

import pytest
from openpyxl import Workbook

from tests.factories import make_user, region
from yunghap.accounts.models import Role
from yunghap.core.imports import ImportReport, import_file


def csv_bytes(rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows: Sequence[Sequence[Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def run(
    kind: str, rows_or_bytes: Any, *, actor: Any = None, dry_run: bool = False, filename: str = "data.csv"
) -> ImportReport:
    data = rows_or_bytes if isinstance(rows_or_bytes, bytes) else csv_bytes(rows_or_bytes)
    return import_file(kind, data, actor=actor, dry_run=dry_run, filename=filename)


def messages(report: ImportReport) -> list[tuple[int, str, str]]:
    return [(e.row, e.column, e.message) for e in report.errors]


GROUP_HEADER = ["code", "name", "region", "kind", "founded_on", "exchange_types", "status"]
FIRM_HEADER = [
    "brn",
    "name",
    "representative",
    "phone",
    "email",
    "address",
    "region",
    "ksic",
    "employees",
    "revenue_krw",
    "founded_on",
    "technologies",
    "products",
]
MEMBERSHIP_HEADER = ["group_code", "brn", "role", "joined_on", "left_on"]


@pytest.fixture
def central(db):
    return make_user("central", Role.CENTRAL_STAFF)


@pytest.fixture
def seoul_staff(db):
    return make_user("seoulstaff", Role.REGIONAL_STAFF, federation=region("seoul"))
