"""Education and event figures per region, group, exchange type and year (issue 11 §7) on a small
fixture with exact numbers: the stored rows `refresh_event_figures` writes and what the trend pages,
the group page and the XLSX read from them."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.events.factories import kst, make_event
from tests.factories import FirmFactory, GroupFactory, MembershipFactory, make_user, region
from yunghap.accounts.models import Role
from yunghap.events.models import EducationYear, EventYear, FeedbackAnswer, FeedbackSurvey
from yunghap.events.statistics import refresh_event_figures
from yunghap.network.models import ExchangeType

from .helpers import participant

pytestmark = pytest.mark.django_db

REFRESHED_AT = kst("2026-06-01 00:00")


@pytest.fixture
def world():
    seoul, busan = region("seoul"), region("busan")
    group_a = GroupFactory(code="edu-a", name="가교류회", federation=seoul)
    group_b = GroupFactory(code="edu-b", name="나교류회", federation=seoul)
    group_c = GroupFactory(code="edu-c", name="다교류회", federation=busan)
    group_a.exchange_types.set(ExchangeType.objects.filter(code="info"))
    group_b.exchange_types.set(ExchangeType.objects.filter(code__in=["info", "newproduct"]))
    group_c.exchange_types.set(ExchangeType.objects.filter(code="resource"))
    f1, f2, f4 = FirmFactory(federation=seoul), FirmFactory(federation=seoul), FirmFactory(federation=seoul)
    f3 = FirmFactory(federation=busan)
    MembershipFactory(group=group_a, firm=f1)
    MembershipFactory(group=group_a, firm=f2)
    MembershipFactory(group=group_b, firm=f2)
    MembershipFactory(group=group_c, firm=f3)
    MembershipFactory(group=group_a, firm=f4, left_on=datetime.date(2025, 1, 1))  # gone before the course

    course = make_event(
        opens="2025-05-01",
        closes="2025-05-10",
        first_session="2025-05-20 14:00",
        organiser=seoul,
        capacity=50,
    )

    def reg(event, firm, hours, completed=False, status="confirmed"):
        registration = participant(event, firm=firm, status=status)
        registration.hours_attended, registration.completed = Decimal(hours), completed
        registration.save()
        return registration

    reg(course, f1, "6.00", True)
    reg(course, f2, "3.00")
    reg(course, f3, "6.00", True)
    reg(course, None, "2.00")  # no firm: the organiser's region
    reg(course, f4, "1.50")
    reg(course, f1, "9.00", True, status="cancelled")  # not a participant
    national = make_event(capacity=50)  # 2026-03-20, organised by the central federation
    reg(national, f1, "4.00", True)
    reg(national, None, "1.00")
    future = make_event(
        opens="2026-05-01", closes="2026-05-10", first_session="2026-09-01 10:00", organiser=seoul
    )
    reg(future, f1, "3.00", True)
    survey = FeedbackSurvey.objects.create(event=course)
    for scores in [(5, 5, 4, 4), (3, 4, 4, 5), (4, 4, 4, 4)]:
        FeedbackAnswer.objects.create(
            survey=survey,
            **dict(zip(["instructor", "materials", "goal_met", "facilities"], scores, strict=True)),
        )
    refresh_event_figures(REFRESHED_AT)
    return {"seoul": seoul, "busan": busan, "a": group_a, "b": group_b, "c": group_c}


def stored(**filters):
    return {
        (row.year, row.participants, row.completions, str(row.hours))
        for row in EducationYear.objects.filter(**filters)
    }


def test_stored_per_region_group_type_and_year(world):
    seoul, busan = world["seoul"].pk, world["busan"].pk
    regions = lambda fed: stored(federation_id=fed, group_id=0, exchange_type="")  # noqa: E731
    assert regions(seoul) == {(2025, 4, 1, "12.50"), (2026, 1, 1, "4.00")}
    assert regions(busan) == {(2025, 1, 1, "6.00")}
    assert regions(0) == {(2026, 1, 0, "1.00")}
    assert stored(group_id=world["a"].pk) == {(2025, 2, 1, "9.00"), (2026, 1, 1, "4.00")}
    assert stored(group_id=world["b"].pk) == {(2025, 1, 0, "3.00")}
    assert stored(group_id=world["c"].pk, federation_id=busan) == {(2025, 1, 1, "6.00")}
    assert stored(federation_id=seoul, group_id=0, exchange_type="info") == {
        (2025, 2, 1, "9.00"),
        (2026, 1, 1, "4.00"),
    }
    assert stored(federation_id=seoul, exchange_type="newproduct") == {(2025, 1, 0, "3.00")}
    assert stored(federation_id=busan, exchange_type="resource") == {(2025, 1, 1, "6.00")}
    events = {
        (r.year, r.federation_id): (r.events, r.participants, r.answers, r.score_sum, r.score_count)
        for r in EventYear.objects.all()
    }
    assert events == {(2025, seoul): (1, 5, 3, 50, 12), (2026, 0): (1, 2, 0, 0, 0)}


def test_refresh_replaces_the_rows(world):
    before = EducationYear.objects.count()
    assert refresh_event_figures(REFRESHED_AT) == before + EventYear.objects.count()
    assert EducationYear.objects.count() == before
    # Once the future event has ended it counts.
    refresh_event_figures(kst("2026-12-01 00:00"))
    assert stored(federation_id=world["seoul"].pk, group_id=0, exchange_type="") == {
        (2025, 4, 1, "12.50"),
        (2026, 2, 2, "7.00"),
    }


def trends(client, user, **params):
    client.force_login(user)
    return client.get(reverse("insights:trends"), {"from": "2025", "to": "2026", **params})


def years(rows, *keys):
    return {r["period"]: tuple(r[k] for k in keys) for r in rows}


def test_trend_page_national_region_and_type(world, client):
    central = make_user("central", Role.CENTRAL_STAFF)
    page = trends(client, central)
    assert page.status_code == 200
    assert years(
        page.context["education_years"], "participants", "completions", "completion_rate", "hours"
    ) == {
        "2025": (5, 2, Decimal("40.0"), Decimal("18.50")),
        "2026": (2, 1, Decimal("50.0"), Decimal("5.00")),
    }
    assert years(page.context["event_years"], "events", "participants", "answers", "satisfaction") == {
        "2025": (1, 5, 3, Decimal("4.17")),
        "2026": (1, 2, 0, None),
    }
    body = page.content.decode()
    assert "<caption>교육 참가와 수료</caption>" in body and "<caption>행사 만족도</caption>" in body
    assert [g["code"] for g in page.context["education_groups"]] == ["edu-a", "edu-c", "edu-b"]
    typed = trends(client, central, type="info")
    assert years(typed.context["education_years"], "participants", "hours") == {
        "2025": (2, Decimal("9.00")),
        "2026": (1, Decimal("4.00")),
    }
    assert typed.context["event_years"] is None
    assert "행사 통계는 교류 유형으로 나누지 않습니다." in typed.content.decode()
    assert [g["code"] for g in typed.context["education_groups"]] == ["edu-a", "edu-b"]


def test_regional_staff_see_their_region(world, client):
    seoul_staff = make_user("seoulstaff", Role.REGIONAL_STAFF, federation=world["seoul"])
    page = trends(client, seoul_staff)
    assert years(page.context["education_years"], "participants", "completions", "hours") == {
        "2025": (4, 1, Decimal("12.50")),
        "2026": (1, 1, Decimal("4.00")),
    }
    assert years(page.context["event_years"], "events", "participants") == {"2025": (1, 5)}
    assert [g["code"] for g in page.context["education_groups"]] == ["edu-a", "edu-b"]
    assert trends(client, seoul_staff, region="busan").status_code == 403


def test_group_page_has_its_education(world, client):
    client.force_login(make_user("central", Role.CENTRAL_STAFF))
    page = client.get(reverse("insights:group", kwargs={"code": "edu-a"}), {"from": "2025", "to": "2026"})
    assert page.status_code == 200
    assert years(page.context["education_years"], "participants", "completions", "hours") == {
        "2025": (2, 1, Decimal("9.00")),
        "2026": (1, 1, Decimal("4.00")),
    }


def test_xlsx_has_the_education_sheets(world, client):
    page = trends(client, make_user("central", Role.CENTRAL_STAFF), format="xlsx")
    book = load_workbook(io.BytesIO(page.content))
    assert {"교육(연도별)", "행사(연도별)", "교류회별 교육"} <= set(book.sheetnames)
    education = [list(r) for r in book["교육(연도별)"].iter_rows(values_only=True)]
    assert education == [
        ["연도", "교육 참가 (명)", "수료 (명)", "수료율 (%)", "교육 이수 시간 (시간)"],
        ["2025", 5, 2, 40, 18.5],
        ["2026", 2, 1, 50, 5],
    ]
    events = [list(r) for r in book["행사(연도별)"].iter_rows(values_only=True)]
    assert events[1] == ["2025", 1, 5, 3, 4.17]
    groups = [list(r) for r in book["교류회별 교육"].iter_rows(values_only=True)]
    assert groups[0] == [
        "교류회",
        "지역연합회",
        "교육 참가 (명)",
        "수료 (명)",
        "수료율 (%)",
        "교육 이수 시간 (시간)",
    ]
    assert groups[1][:3] == ["가교류회", world["seoul"].display_name, 3]


def test_refresh_statistics_command_rebuilds_them(world):
    from io import StringIO

    from django.core.management import call_command

    EducationYear.objects.all().delete()
    out = StringIO()
    call_command("refresh_statistics", stdout=out)
    assert "교육·행사 연도별 통계" in out.getvalue()
    assert EducationYear.objects.filter(year=2025).exists()
