from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.insights.figures import refresh_group_months
from yunghap.surveys.models import Survey, SurveyResponse

D = datetime.date


@pytest.fixture
def site(db):
    groups = {}
    for code, fed in (("seoul-v1", "seoul"), ("seoul-v2", "seoul"), ("busan-v1", "busan")):
        group = GroupFactory(code=code, federation=region(fed))
        firms = [FirmFactory() for _ in range(3)]
        for firm in firms:
            MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
        for month in (1, 2, 3):
            ledger.record_meeting(
                group, actor=None, held_on=D(2025, month, 5), present_firm_ids=[firms[0].pk]
            )
        groups[code] = group
    survey = Survey.objects.create(year=2025, opened_on=D(2025, 12, 1))
    for group in groups.values():
        SurveyResponse.objects.create(
            survey=survey,
            group=group,
            status="submitted",
            members=3,
            meetings=3,
            attendance_rate=Decimal("33.3"),
        )
    refresh_group_months()
    return groups


@pytest.fixture
def users(site):
    return {
        "central": make_user("c", Role.CENTRAL_STAFF),
        "seoul": make_user("s", Role.REGIONAL_STAFF, federation=region("seoul")),
        "officer": make_user("o", Role.GROUP_OFFICER, group=site["seoul-v1"]),
    }


def test_staff_only_and_regional_staff_kept_to_their_region(client, users, site):
    client.force_login(users["officer"])
    assert client.get(reverse("insights:trends")).status_code == 403
    assert client.get(reverse("insights:survey")).status_code == 403
    assert client.get(reverse("insights:group", args=["seoul-v1"])).status_code == 200
    assert client.get(reverse("insights:group", args=["seoul-v2"])).status_code == 404

    client.force_login(users["seoul"])
    page = client.get(reverse("insights:survey"), {"year": 2025})
    assert page.status_code == 200
    assert page.context["data"]["reported"]["respondents"] == 2  # Seoul's two groups, not the country
    assert client.get(reverse("insights:survey"), {"year": 2025, "region": "busan"}).status_code == 403
    assert client.get(reverse("insights:trends"), {"region": "busan"}).status_code == 403
    trends = client.get(reverse("insights:trends"), {"from": 2025, "to": 2025})
    assert [r["meetings"] for r in trends.context["rows"]][:3] == [2, 2, 2]

    client.force_login(users["central"])
    page = client.get(reverse("insights:survey"), {"year": 2025})
    assert page.context["data"]["reported"]["respondents"] == 3


def test_trend_series_and_yearly_fold(client, users, site):
    client.force_login(users["central"])
    page = client.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "period": "yearly"})
    [year] = page.context["rows"]
    assert year["period"] == "2025" and year["meetings"] == 9 and year["members"] == 9
    assert year["attendance_rate"] == Decimal("33.3")
    assert year["dormant_groups"] == 3  # no meeting since March
    html = page.content.decode()
    assert "vendor/echarts/echarts.min.js" in html and "<caption>" in html


def test_downloads(client, users, site):
    client.force_login(users["central"])
    xlsx = client.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["월별", "연도별", "교육(연도별)", "행사(연도별)"]
    assert book["월별"]["A2"].value == "2025-01"
    csv = client.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "format": "csv"})
    assert csv.content.startswith(b"\xef\xbb\xbf") and b"2025-03" in csv.content
    report = client.get(reverse("insights:survey"), {"year": 2025, "format": "json"})
    assert report.json()["respondents"] == 3


def test_printable_report(client, users, site):
    client.force_login(users["central"])
    page = client.get(reverse("insights:print"), {"year": 2025, "region": "seoul"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "insights/print.css" in html and "2025년 이업종교류회 통계 보고서" in html and "서울" in html


@pytest.mark.parametrize(
    ("name", "params", "limit"),
    [
        ("insights:survey", {"year": 2025}, 13),
        # + 3 for the education and event figures per year and per group (issue 11 §7; 2 under a type).
        ("insights:trends", {}, 11),
        ("insights:trends", {"industry": "26", "type": "info", "period": "yearly"}, 11),
        ("insights:print", {"year": 2025}, 16),
    ],
)
def test_query_counts(client, users, site, django_assert_max_num_queries, name, params, limit):
    client.force_login(users["central"])
    with django_assert_max_num_queries(limit):
        assert client.get(reverse(name), params).status_code == 200


@pytest.mark.parametrize("filters", [{}, {"region": "seoul"}, {"exchange_type": "info"}])
def test_regional_rollup_equals_the_group_rows(site, filters, django_capture_on_commit_callbacks):
    from yunghap.insights.trends import monthly
    from yunghap.network.models import ExchangeGroup, ExchangeType

    # Marks the group stale; on commit the rebuild task runs (the immediate backend in tests).
    with django_capture_on_commit_callbacks(execute=True):
        site["seoul-v1"].exchange_types.set(ExchangeType.objects.filter(code__in=["info", "resource"]))
    every_group = list(ExchangeGroup.objects.values_list("id", flat=True))
    assert monthly(**filters) == monthly(**filters, group_ids=every_group)
    assert monthly(exchange_type="info")[0]["meetings"] == 1
