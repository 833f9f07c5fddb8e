"""Reported (survey) beside observed (ledger), and the groups where the two disagree markedly."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.factories import FirmFactory, GroupFactory, MembershipFactory
from yunghap.activities import services as ledger
from yunghap.insights.figures import refresh_group_months
from yunghap.insights.selectors import comparison
from yunghap.surveys.models import Survey, SurveyResponse

D = datetime.date
YEAR = 2025


@pytest.fixture
def year_of_ledger(db):
    """Two groups with three members each; `honest` met 11 times at 2/3 attendance, `boastful` 5 times."""
    survey = Survey.objects.create(year=YEAR, opened_on=D(YEAR, 12, 1))
    groups = {}
    for code, meetings in (("honest", 11), ("boastful", 5)):
        group = GroupFactory(code=code, name=code)
        firms = [FirmFactory() for _ in range(3)]
        for firm in firms:
            MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
        for month in range(1, meetings + 1):
            ledger.record_meeting(
                group, actor=None, held_on=D(YEAR, month, 10), present_firm_ids=[f.pk for f in firms[:2]]
            )
        ledger.record_trade(
            group,
            actor=None,
            buyer=firms[0],
            seller=firms[1],
            item="금형",
            amount_krw=5_000_000,
            traded_on=D(YEAR, 2, 1),
        )
        groups[code] = group
        if code == "honest":
            ledger.record_outcome(
                group,
                actor=None,
                kind="new_product",
                title="신제품",
                achieved_on=D(YEAR, 5, 1),
                firms=firms[:2],
            )
    refresh_group_months()
    answers = {
        "honest": {"members": 3, "meetings": 11, "attendance_rate": Decimal("66.7"), "rnd_results": 1},
        "boastful": {"members": 3, "meetings": 12, "attendance_rate": Decimal("90.0"), "rnd_results": 2},
    }
    for code, values in answers.items():
        SurveyResponse.objects.create(
            survey=survey, group=groups[code], status="submitted", purpose_info=True, **values
        )
    return groups


def test_observed_table_and_disagreements(year_of_ledger):
    data = comparison(YEAR)
    assert data["covered"]
    observed = data["observed"]
    assert observed["respondents"] == 2
    assert observed["purpose_share"] == {
        "info": Decimal("100.0"),
        "resource": Decimal("100.0"),
        "newproduct": Decimal("50.0"),
    }
    assert observed["groups_with_rnd"] == {"count": 1, "share": Decimal("50.0")}
    assert observed["meetings_per_year_mean"] == Decimal("8.0")
    assert observed["attendance_70_share"] == Decimal("0.0")  # 2 of 3 present = 66.7%
    assert data["reported"]["meetings_per_year_mean"] == Decimal("11.5")
    [flagged] = data["disagreements"]
    assert flagged["group"]["code"] == "boastful"
    assert flagged["reasons"] == ["meetings", "attendance", "rnd_results"]
    assert flagged["observed"]["meetings"] == 5 and flagged["observed"]["attendance_rate"] == Decimal("66.7")


def test_no_comparison_before_the_ledger_starts(year_of_ledger):
    Survey.objects.create(year=2009, opened_on=D(2009, 3, 1))
    data = comparison(2009)
    assert data["covered"] is False and data["observed"] is None and data["disagreements"] == []


def test_report_command_json_csv_xlsx(year_of_ledger, tmp_path):
    out = io.StringIO()
    call_command("report", "survey", "--year", str(YEAR), "--format", "json", stdout=out)
    payload = json.loads(out.getvalue())
    assert {
        "year",
        "respondents",
        "purpose_share",
        "groups_with_rnd",
        "rnd_results",
        "meetings_per_year_mean",
        "attendance_70_share",
    } <= set(payload)
    assert set(payload["purpose_share"]) == {"info", "resource", "newproduct"}
    assert set(payload["groups_with_rnd"]) == {"count", "share"}
    assert payload["meetings_per_year_mean"] == 11.5 and payload["purpose_share"]["info"] == 100.0
    assert payload["observed"]["meetings_per_year_mean"] == 8.0

    out = io.StringIO()
    call_command("report", "survey", "--year", str(YEAR), "--region", "busan", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["respondents"] == 0

    out = io.StringIO()
    call_command("report", "survey", "--year", str(YEAR), "--format", "csv", stdout=out)
    lines = out.getvalue().lstrip("\ufeff").splitlines()
    assert lines[0] == "지표,실태조사(응답),활동 실적(장부)" and lines[1] == "응답 교류회 수(개),2,2"

    target = tmp_path / "r.xlsx"
    call_command(
        "report",
        "survey",
        "--year",
        str(YEAR),
        "--format",
        "xlsx",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    sheet = load_workbook(target).active
    assert [c.value for c in sheet[2]] == ["응답 교류회 수(개)", 2, 2]
