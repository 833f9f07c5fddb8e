"""Issue 8 §4: the ledger goes out as the offices keep it — meetings with attendance, trades, R&D results,
activities — with Korean headers, and each file re-imports unchanged (export → import dry run: no change)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse

from tests.factories import make_user
from yunghap.accounts.models import Role
from yunghap.activities.models import Activity, Attendance, Meeting, Outcome, Trade
from yunghap.core.exports import export_table
from yunghap.core.imports import import_file
from yunghap.core.spreadsheets import read_table


@pytest.fixture
def staff(ledger):
    return make_user("importer", Role.CENTRAL_STAFF)


@pytest.fixture
def recorded(ledger, staff):
    day = datetime.date(2024, 3, 14)
    meeting = Meeting.objects.create(
        group=ledger.group, held_on=day, place="회의실", agenda="신년, 계획", listed_count=3, present_count=2
    )
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, firm=firm, present=present)
        for firm, present in ((ledger.alpha, True), (ledger.beta, True), (ledger.gamma, False))
    )
    Trade.objects.create(
        group=ledger.group,
        buyer=ledger.alpha,
        seller=ledger.beta,
        item="=SUM(A1)",
        amount_krw=1_500_000,
        traded_on=day,
    )
    outcome = Outcome.objects.create(
        group=ledger.group, kind="patent", title="근전도 센서 특허", achieved_on=day, description="줄1\n줄2"
    )
    outcome.firms.set([ledger.alpha, ledger.beta])
    activity = Activity.objects.create(
        group=ledger.group, kind="joint_project", title="공동 전시회", held_on=day
    )
    activity.firms.set([ledger.gamma])
    return meeting


@pytest.mark.parametrize("kind", ["meetings", "trades", "outcomes", "activities"])
@pytest.mark.parametrize(("fmt", "headers"), [("xlsx", "ko"), ("csv", "ko"), ("csv", "en")])
def test_ledger_export_reimports_unchanged(recorded, staff, kind, fmt, headers):
    buffer = io.BytesIO()
    assert export_table(kind, staff, buffer, fmt, headers=headers) == 1
    report = import_file(kind, buffer.getvalue(), actor=staff, dry_run=True, filename=f"x.{fmt}")
    assert report.ok, report.errors
    assert (report.total, report.created, report.updated, report.unchanged) == (1, 0, 0, 1)


def test_meetings_export_has_korean_headers_and_attendance(recorded, staff, ledger):
    buffer = io.BytesIO()
    export_table("meetings", staff, buffer, "xlsx")
    table = read_table(buffer.getvalue(), "m.xlsx")
    assert table.header[:2] == ["교류회코드", "개최일"] and "출석 사업자등록번호" in table.header
    row = dict(zip(table.header, table.rows[0], strict=True))
    assert row["출석 사업자등록번호"] == ";".join(sorted([ledger.alpha.brn, ledger.beta.brn]))
    assert row["결석 사업자등록번호"] == ledger.gamma.brn


def test_ledger_list_offers_its_group_download_to_staff_only(client, recorded, ledger, staff, officer):
    client.force_login(staff)
    page = client.get(reverse("activities:meeting_list", args=[ledger.group.code]))
    link = reverse("transfer:export", args=["meetings", "xlsx"]) + f"?group={ledger.group.code}"
    assert link in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200
    table = read_table(b"".join(response.streaming_content), "m.xlsx")
    assert len(table.rows) == 1
    other = client.get(reverse("transfer:export", args=["meetings", "xlsx"]) + f"?group={ledger.other.code}")
    assert len(read_table(b"".join(other.streaming_content), "m.xlsx").rows) == 0
    client.force_login(officer)
    assert (
        link not in client.get(reverse("activities:meeting_list", args=[ledger.group.code])).content.decode()
    )
