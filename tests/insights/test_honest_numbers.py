"""Issue 8 §5: every figure says what it counts, firms are counted once, the unfinished month is left out
(and the pages and files say so), one group gets its own charts, and bad filter values are a Korean
message on the page with the filter bar keeping them."""

from __future__ import annotations

import datetime
import io
import json
import re
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.activities import services as ledger
from yunghap.insights import charts
from yunghap.insights.figures import refresh_group_months
from yunghap.insights.trends import distinct_firms
from yunghap.network.models import ExchangeGroup
from yunghap.surveys.models import Survey, SurveyResponse

D = datetime.date
TODAY = D(2025, 3, 15)  # March 2025 has not ended

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    with mock.patch.object(timezone, "localdate", return_value=TODAY):
        yield TODAY


@pytest.fixture
def site(today):
    """Two Seoul groups of three firms each, one firm in both; a meeting and a trade every month."""
    shared = FirmFactory(name="두교류회기업")
    groups = []
    for code in ("seoul-h1", "seoul-h2"):
        group = GroupFactory(code=code, federation=region("seoul"))
        firms = [shared, FirmFactory(), FirmFactory()]
        for firm in firms:
            MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1))
        for month in (1, 2, 3):
            ledger.record_meeting(
                group, actor=None, held_on=D(2025, month, 5), present_firm_ids=[firms[1].pk]
            )
            ledger.record_trade(
                group,
                actor=None,
                traded_on=D(2025, month, 6),
                buyer=firms[1],
                seller=firms[2],
                item="부품",
                amount_krw=1_000_000,
            )
        groups.append(group)
    survey = Survey.objects.create(year=2025, opened_on=D(2025, 1, 1))
    for group in groups:
        SurveyResponse.objects.create(survey=survey, group=group, status="submitted", members=3, meetings=3)
    refresh_group_months()
    return groups


@pytest.fixture
def central(client):
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    return client


# --- firms counted once, memberships labelled as such -----------------------------------------------


def test_trends_count_firms_once_beside_the_memberships(central, site):
    page = central.get(reverse("insights:trends"), {"from": 2025, "to": 2025})
    assert page.status_code == 200
    february = next(r for r in page.context["rows"] if r["period"] == "2025-02")
    assert february["firms"] == 5  # the firm of both groups once
    assert february["members"] == 6  # memberships
    html = page.content.decode()
    assert "회원사(중복 제외) (개사)" in html
    assert "교류회별 회원 합계(가입 건수, 여러 교류회 회원사는 중복) (건)" in html
    assert "신규 가입 (건)" in html and "회원사 (개사)" not in html


def test_home_page_labels_say_what_they_count(central, site):
    html = central.get(reverse("network:home")).content.decode()
    assert "등록 회원사(개사)" in html and "현재 가입 회원사(개사, 중복 제외)" in html
    cards = re.sub(
        r"\s+", " ", html[html.index("stat-cards") : html.index("</ul>", html.index("stat-cards"))]
    )
    assert '현재 가입 회원사(개사, 중복 제외)</span><span class="stat-value">5<' in cards


def test_survey_and_report_rows_carry_their_units(central, site):
    html = central.get(reverse("insights:survey"), {"year": 2025}).content.decode()
    assert "응답 교류회 수(개)" in html and "회원사 수(개사, 응답/장부)" in html
    assert "연간 월례회 개최 횟수(회, 교류회 평균)" in html


def test_distinct_firms_merge_periods_and_follow_the_membership_rule(today):
    group, other = GroupFactory(), GroupFactory()
    firm = FirmFactory()
    # Left on 10 March: counts in March, not in April. Rejoined another group in April: one firm throughout.
    MembershipFactory(group=group, firm=firm, joined_on=D(2024, 1, 1), left_on=D(2024, 3, 10))
    MembershipFactory(group=other, firm=firm, joined_on=D(2024, 4, 1), left_on=D(2024, 6, 1))
    # Left on 1 May: a period ends the day before, so April is its last month.
    MembershipFactory(group=group, firm=FirmFactory(), joined_on=D(2024, 2, 1), left_on=D(2024, 5, 1))
    counts = distinct_firms(ExchangeGroup.objects.all(), D(2024, 1, 1), D(2024, 12, 1))
    assert counts == {
        D(2024, 1, 1): 1,
        D(2024, 2, 1): 2,
        D(2024, 3, 1): 2,
        D(2024, 4, 1): 2,
        D(2024, 5, 1): 1,
    }


# --- the month that has not ended ----------------------------------------------------------------------


def test_the_current_month_is_left_out_and_the_page_says_so(central, site):
    page = central.get(reverse("insights:trends"), {"from": 2025, "to": 2025})
    periods = [r["period"] for r in page.context["rows"]]
    assert periods == ["2025-01", "2025-02"]  # March has not ended: no drop to a partial value
    html = page.content.decode()
    assert "이번 달(2025-03)은 끝나지 않아 집계에서 뺐습니다(2025-02까지)." in html
    assert 'id="partial-note"' in html

    yearly = central.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "period": "yearly"})
    [year] = yearly.context["rows"]
    assert year["period"] == "2025 (1~2월)" and year["meetings"] == 4 and year["trades_count"] == 4
    assert "2025 (1~2월)" in yearly.content.decode()  # chart labels and data tables


def test_the_downloads_leave_the_month_out_and_say_which_months_a_year_holds(central, site):
    xlsx = central.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "format": "xlsx"})
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["월별", "연도별", "교육(연도별)", "행사(연도별)", "안내"]
    assert [row[0] for row in book["월별"].iter_rows(min_row=2, values_only=True)] == ["2025-01", "2025-02"]
    assert book["연도별"]["A2"].value == "2025 (1~2월)"
    assert "이번 달(2025-03)은 끝나지 않아" in book["안내"]["A1"].value
    csv = central.get(reverse("insights:trends"), {"from": 2025, "to": 2025, "format": "csv"}).content
    assert b"2025-02" in csv and b"2025-03" not in csv


def test_a_past_year_is_whole_and_only_the_current_year_is_labelled(central, site):
    from yunghap.insights.trends import monthly, yearly

    months = monthly(start=D(2025, 1, 1), end=D(2025, 2, 1))
    assert [y["period"] for y in yearly(months, partial_year=2026)] == ["2025"]
    assert [y["period"] for y in yearly(months, partial_year=2025)] == ["2025 (1~2월)"]
    page = central.get(reverse("insights:trends"), {"from": 2020, "to": 2024})
    assert 'id="partial-note"' not in page.content.decode()


def test_the_printed_report_of_this_year_says_it_is_partial(central, site):
    page = central.get(reverse("insights:print"), {"year": 2025})
    assert page.status_code == 200
    assert [m["period"] for m in page.context["months"]] == ["2025-01", "2025-02"]
    assert "이번 달(2025-03)은 끝나지 않아" in page.content.decode()


# --- one group -----------------------------------------------------------------------------------------


def test_one_groups_page_shows_its_own_figures_with_whole_number_ticks(central, site):
    page = central.get(reverse("insights:group", args=["seoul-h1"]), {"from": 2025, "to": 2025})
    assert page.status_code == 200
    titles = [str(c["title"]) for c in page.context["charts"]]
    assert titles == ["모임과 출석률", "회원사와 신규 가입·탈퇴", "회원간 수발주", "융합기술개발 실적"]
    for chart in page.context["charts"]:
        axis = chart["options"]["yAxis"]
        assert (axis[0] if isinstance(axis, list) else axis)["minInterval"] == 1
    members = page.context["charts"][1]
    assert members["options"]["series"][0]["data"] == [3, 3]
    assert "교류회 활동·휴면" not in page.content.decode()


# --- bad filter values ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "message"),
    [
        (
            "/statistics/",
            {"from": "abc", "to": "2025"},
            "시작 연도 값이 올바르지 않습니다: 숫자로 써 주세요.",
        ),
        ("/statistics/", {"from": "2025", "to": "2010"}, "시작 연도(2025)가 끝 연도(2010)보다 늦습니다."),
        ("/statistics/", {"region": "nowhere"}, "알 수 없는 지역연합회입니다: nowhere"),
        ("/statistics/", {"type": "x"}, "알 수 없는 교류 유형입니다: x"),
        ("/statistics/", {"industry": "00"}, "알 수 없는 업종입니다: 00"),
        ("/statistics/", {"period": "weekly"}, "주기는 월별(monthly) 또는 연도별(yearly)입니다."),
        ("/statistics/survey/", {"year": "1800"}, "연도는 1900부터 2100까지입니다."),
        ("/statistics/survey/", {"year": "1950"}, "1950년 자료가 없습니다. 고를 수 있는 연도: 2025"),
        ("/statistics/report/", {"year": "1950"}, "1950년 자료가 없습니다."),
        ("/statistics/groups/seoul-h1/", {"from": "abc"}, "시작 연도 값이 올바르지 않습니다"),
    ],
)
def test_bad_filter_values_are_a_message_in_the_filter_bar(central, site, path, params, message):
    response = central.get(path, params)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="form-hint-invalid"' in html and 'id="filter-errors"' in html
    assert 'id="krds-header"' in html  # the site's shell with its menu, not a bare error
    for key, value in params.items():
        if key in ("from", "to"):  # typed values stay in the box to be corrected
            assert f'name="{key}" value="{value}"' in html


def test_another_regions_figures_stay_forbidden(client, site):
    client.force_login(make_user("s", Role.REGIONAL_STAFF, federation=region("seoul")))
    assert client.get(reverse("insights:trends"), {"region": "busan"}).status_code == 403


def test_filter_bars_render_through_the_shared_form_partial(central, site):
    html = central.get(reverse("insights:trends")).content.decode()
    bar = html[html.index('class="filter-form stats-filters"') :]
    bar = bar[: bar.index("</form>")]
    assert bar.count('class="form-group') == 6  # region, type, industry, period, from, to
    assert 'id="filter-from"' in bar and 'inputmode="numeric"' in bar


# --- axis labels ---------------------------------------------------------------------------------------


def test_axis_labels_break_between_words_only(central, site):
    assert charts.wrap_words("참석률 70% 이상") == "참석률 70%\n이상"
    assert charts.wrap_words("기술개발 실적 보유") == "기술개발 실적\n보유"
    assert charts.wrap_words("융합기술개발실적보유교류회") == "융합기술개발실적보유교류회"  # never cut
    page = central.get(reverse("insights:survey"), {"year": 2025})
    options = json.loads(
        re.search(
            r'id="survey-chart" type="application/json">(.*?)</script>', page.content.decode(), re.S
        ).group(1)
    )
    labels = options["xAxis"]["data"]
    assert "참석률 70%\n이상" in labels
    for label in labels:
        assert all(
            word
            in {
                "정보교환형",
                "자원협력형",
                "신제품개발형",
                "기술개발",
                "실적",
                "보유",
                "참석률",
                "70%",
                "이상",
            }
            for line in label.split("\n")
            for word in line.split()
        )
    assert "overflow" not in options["xAxis"]["axisLabel"]


def test_federation_totals_count_a_firm_of_two_regions_once(central, today):
    firm = FirmFactory()
    MembershipFactory(group=GroupFactory(federation=region("seoul")), firm=firm, joined_on=D(2024, 1, 1))
    MembershipFactory(group=GroupFactory(federation=region("busan")), firm=firm, joined_on=D(2024, 1, 1))
    page = central.get(reverse("network:federation_list"))
    assert page.context["totals"]["members"] == 1
    assert sum(s.members for s in page.context["stats"]) == 2  # once in each region's row
    assert "현재 가입 회원사(개사, 중복 제외)" in page.content.decode()
