"""The plan's table on small hand-made cases: counts, shares rounded half-up, filters, empty cases."""

from __future__ import annotations

from decimal import Decimal

from tests.factories import GroupFactory, region
from yunghap.insights.selectors import share, survey_report

from .conftest import YEAR


def test_no_respondents_gives_null_shares_and_zero_counts(survey):
    assert survey_report(YEAR) == {
        "year": YEAR,
        "respondents": 0,
        "purpose_share": {"info": None, "resource": None, "newproduct": None},
        "groups_with_rnd": {"count": 0, "share": None},
        "rnd_results": 0,
        "meetings_per_year_mean": None,
        "attendance_70_share": None,
    }
    assert survey_report(1990)["respondents"] == 0  # a year without a survey at all


def test_a_filter_with_no_groups(answer):
    answer(purpose_info=True)
    report = survey_report(YEAR, region="jeju")
    assert report["respondents"] == 0 and report["purpose_share"]["info"] is None


def test_rounding_is_half_up_on_decimals():
    assert share(1, 8) == Decimal("12.5")
    assert share(1, 16) == Decimal("6.3")  # 6.25: banker's rounding (round(6.25, 1)) would give 6.2
    assert share(163, 195) == Decimal("83.6")
    assert share(0, 3) == Decimal("0.0")
    assert share(1, 3) == Decimal("33.3")
    assert share(2, 3) == Decimal("66.7")


def test_sixteen_groups(answer):
    answer(
        purpose_info=True,
        purpose_newproduct=True,
        rnd_results=3,
        meetings=12,
        attendance_rate=Decimal("70.0"),
    )
    answer(purpose_info=True, rnd_results=1, meetings=12, attendance_rate=Decimal("69.9"))
    for _ in range(14):
        answer(purpose_resource=True, meetings=10)
    answer(purpose_info=True, status="draft", rnd_results=9)  # drafts do not count
    report = survey_report(YEAR)
    assert report["respondents"] == 16
    assert report["purpose_share"] == {
        "info": Decimal("12.5"),
        "resource": Decimal("87.5"),
        "newproduct": Decimal("6.3"),
    }
    assert report["groups_with_rnd"] == {"count": 2, "share": Decimal("12.5")}
    assert report["rnd_results"] == 4
    assert report["meetings_per_year_mean"] == Decimal("10.3")  # (12 + 12 + 14 × 10) / 16 = 10.25
    assert report["attendance_70_share"] == Decimal("93.8")  # 15/16 = 93.75 → 93.8; 70.0 counts, 69.9 not


def test_region_and_type_filters_count_a_group_once(answer):
    busan = GroupFactory(federation=region("busan"))
    answer(group=busan, purpose_info=True, types=("info", "resource"))
    answer(purpose_info=True, types=("info",))
    answer(purpose_resource=True, types=("resource",))
    assert survey_report(YEAR, region="busan")["respondents"] == 1
    by_type = survey_report(YEAR, exchange_type="info")
    assert by_type["respondents"] == 2 and by_type["purpose_share"]["info"] == Decimal("100.0")
    assert survey_report(YEAR, region="seoul", exchange_type="resource")["respondents"] == 1
