"""The calendar: the month grid and the list, only the events the viewer sees, a region's calendar with the
national events, bad parameters said in Korean (never a 500), and the pinned query counts of the calendar
and the event page."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.events_pages.conftest import open_event
from yunghap.events import registration
from yunghap.events.models import Event
from yunghap.network.models import Federation

pytestmark = pytest.mark.django_db

CALENDAR = "/events/"


def this_month() -> str:
    return timezone.localdate().strftime("%Y-%m")


def in_days(days: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%Y-%m")


def test_the_month_shows_sessions_of_visible_events_only(client, network, public_event, seoul_event):
    page = client.get(CALENDAR, {"month": in_days(20)}).content.decode()
    assert "national-forum 기술세미나" in page  # public, also signed out
    assert "seoul-seminar 기술세미나" not in page  # a region's event: its region's people


def test_a_signed_in_member_sees_their_regions_events(login, network, public_event, seoul_event):
    page = login(network.users["firm"]).get(CALENDAR, {"month": in_days(20)}).content.decode()
    assert "seoul-seminar 기술세미나" in page
    busan_page = login(network.users["busan"]).get(CALENDAR, {"month": in_days(20)}).content.decode()
    assert "seoul-seminar 기술세미나" not in busan_page


def test_a_regions_calendar_has_its_events_and_the_national_ones(login, network, public_event, seoul_event):
    busan = Federation.objects.get(code="busan")
    open_event("busan-workshop", organiser=busan)
    client = login(network.users["central"])
    page = client.get(CALENDAR, {"month": in_days(20), "region": "seoul"}).content.decode()
    assert "seoul-seminar 기술세미나" in page and "national-forum 기술세미나" in page
    assert "busan-workshop 기술세미나" not in page


def test_previous_and_next_month_links(client, network):
    page = client.get(CALENDAR, {"month": "2026-01"}).content.decode()
    assert "2026년 1월" in page
    assert "month=2025-12" in page and "month=2026-02" in page


@pytest.mark.parametrize(
    "value", ["2026-13", "abc", "0000-01", "2026-1", "９９９９-01", "\u00b2026-01", "9" * 300]
)
def test_a_bad_month_shows_this_month_with_a_korean_message(client, network, value):
    response = client.get(CALENDAR, {"month": value})
    assert response.status_code == 200
    page = response.content.decode()
    assert "YYYY-MM 형식(예: 2026-03)으로 써 주세요." in page
    today = timezone.localdate()
    assert f"{today.year}년 {today.month}월" in page


@pytest.mark.parametrize(
    ("name", "value", "message"), [("kind", "party", "종류"), ("region", "mars", "지역")]
)
def test_bad_filters_are_said_and_ignored(client, network, public_event, name, value, message):
    response = client.get(CALENDAR, {name: value, "month": in_days(20)})
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        f"{message} &#x27;{value}&#x27;을 알 수 없어" in page
        or f"{message} &#x27;{value}&#x27;를 알 수 없어" in page
    )
    assert "national-forum 기술세미나" in page


def test_the_list_view_filters_by_kind_and_pages(client, network, public_event):
    for n in range(35):
        open_event(f"course-{n:02d}", kind=Event.Kind.COURSE)
    page = client.get(CALENDAR, {"view": "list", "kind": "course"}).content.decode()
    assert "national-forum" not in page
    assert "전체 35건 · 1/2쪽" in page
    second = client.get(CALENDAR, {"view": "list", "kind": "course", "page": "2"}).content.decode()
    assert "전체 35건 · 2/2쪽" in second
    assert client.get(CALENDAR, {"view": "list", "page": "zzz"}).status_code == 200


def test_the_list_leaves_out_past_events_unless_asked(client, network):
    past = open_event("last-year", session_days=-30)
    assert past.code not in client.get(CALENDAR, {"view": "list"}).content.decode()
    assert past.code in client.get(CALENDAR, {"view": "list", "past": "1"}).content.decode()


def test_calendar_query_count_does_not_grow_with_events(login, network, django_assert_max_num_queries):
    for n in range(12):
        open_event(f"many-{n:02d}")
    client = login(network.users["firm"])
    client.get(CALENDAR)  # warm the session and the scope
    # Session, user, scope grants, the regions of the filter and the month's sessions with their events.
    with django_assert_max_num_queries(5):
        response = client.get(CALENDAR, {"month": in_days(20)})
    assert response.content.decode().count('href="/events/many-') == 12


def test_event_page_query_count_is_pinned(login, network, public_event, django_assert_max_num_queries):
    for n in range(8):
        registration.register(
            public_event, name=f"참가자{n}", email=f"p{n}@example.com", firm=network.member_firm
        )
    client = login(network.users["firm"])
    url = reverse("events:event_detail", kwargs={"code": public_event.code})
    client.get(url)
    # The same for 8 registrations as for 80: counts by status, the viewer's own, the firms and groups.
    with django_assert_max_num_queries(11):
        response = client.get(url)
    page = response.content.decode()
    assert "새영테크" in page and "테헤란기술교류회" in page
    assert 'id="waiting-count">대기자 6명' in page


def test_the_event_page_counts_what_the_viewer_may_not_see(client, network, public_event):
    registration.register(public_event, name="가", email="a@example.com", firm=network.member_firm)
    page = client.get(reverse("events:event_detail", kwargs={"code": public_event.code})).content.decode()
    assert "새영테크" not in page
    assert "회원사: 1곳" in page
    assert "로그인하고 신청하기" in page
