"""iCalendar feeds: per region (its public events and the national ones) and per user by a secret address
that renewing invalidates; parsed back with `icalendar`; stable UIDs; DTSTART in Asia/Seoul."""

from __future__ import annotations

import datetime

import icalendar
import pytest
from django.urls import reverse

from tests.events.factories import make_event
from tests.factories import GroupFactory, make_user, region
from yunghap.core.models import FormToken
from yunghap.events.models import Event, EventSession, NoticePreference
from yunghap.events.notice_services import renew_feed_token
from yunghap.events.registration import register

pytestmark = pytest.mark.django_db


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def events_of(calendar):
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


@pytest.fixture
def feed_world(db):
    # Sessions in the future so that the feeds (which leave out sessions over a year old) show them.
    start = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()
    seoul = make_event(
        code="seoul-edu", title="서울 교육", organiser=region("seoul"), first_session=f"{start} 14:00"
    )
    national = make_event(
        code="nat-fair", title="채용박람회", kind=Event.Kind.JOB_FAIR, first_session=f"{start} 10:00"
    )
    busan = make_event(
        code="busan-edu", title="부산 교육", organiser=region("busan"), first_session=f"{start} 09:00"
    )
    group_only = make_event(
        code="grp-only",
        title="교류회 전용",
        organiser=region("seoul"),
        audience=Event.Audience.GROUP,
        audience_group=GroupFactory(),
        first_session=f"{start} 16:00",
    )
    return {"seoul": seoul, "national": national, "busan": busan, "group_only": group_only}


def test_region_feed_lists_the_regions_public_events_and_national_ones_with_stable_uids(client, feed_world):
    url = reverse("events:region_feed", kwargs={"code": "seoul"})
    assert url == "/events/feeds/region/seoul.ics"
    first = client.get(url)
    calendar = parse(first)
    found = events_of(calendar)
    assert set(found) == {"서울 교육", "채용박람회"}
    session = EventSession.objects.get(event=feed_world["seoul"])
    item = found["서울 교육"]
    assert str(item["UID"]) == f"event-seoul-edu-session-{session.pk}@yunghap"
    assert item["DTSTART"].params["TZID"] == "Asia/Seoul"
    assert item["DTSTART"].dt == session.starts_at and item["DTEND"].dt == session.ends_at
    assert str(item["DTSTART"].dt.tzinfo) == "Asia/Seoul"
    assert str(item["LOCATION"]) == "서울 중소기업중앙회 2층"
    assert str(item["URL"]).endswith("/events/seoul-edu/")
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Seoul"]
    second = client.get(url)
    assert second.content == first.content  # the same data, the same feed: UIDs and stamps stable


def test_unknown_region_or_a_central_code_is_404(client, feed_world):
    assert client.get("/events/feeds/region/nowhere.ics").status_code == 404
    assert client.get("/events/feeds/region/central.ics").status_code == 404


def test_user_feed_by_token_lists_confirmed_offered_and_waiting_and_renewing_kills_the_old_url(
    client, feed_world
):
    user = make_user("minjun")
    user.email = "minjun@naver.com"
    user.save()
    seoul, national, busan = feed_world["seoul"], feed_world["national"], feed_world["busan"]
    for event in (seoul, national, busan):
        event.registration_closes = datetime.date.today() + datetime.timedelta(days=5)
        event.registration_opens = datetime.date.today() - datetime.timedelta(days=5)
        event.capacity = 1
        event.save()
    register(busan, name="다른", email="other@naver.com")
    register(seoul, name="김민준", email=user.email, user=user)
    register(busan, name="김민준", email=user.email, user=user)  # full: waiting
    preference = renew_feed_token(user)
    url = reverse("events:user_feed", kwargs={"token": preference.feed_token})
    found = events_of(parse(client.get(url)))
    assert set(found) == {"서울 교육", "[대기] 부산 교육"}
    old = url
    renewed = renew_feed_token(user)
    assert client.get(old).status_code == 404
    assert client.get(reverse("events:user_feed", kwargs={"token": renewed.feed_token})).status_code == 200
    assert client.get("/events/feeds/u/short.ics").status_code == 404
    assert client.get("/events/feeds/u/" + "x" * 40 + ".ics").status_code == 404
    user.is_active = False
    user.save()
    assert client.get(reverse("events:user_feed", kwargs={"token": renewed.feed_token})).status_code == 404


def test_the_feed_page_issues_the_token_on_post_only_and_once(client):
    user = make_user("feeder")
    client.force_login(user)
    url = reverse("events:feed_settings")
    page = client.get(url)
    assert page.status_code == 200 and "아직 개인 일정 피드 주소가 없습니다." in page.content.decode()
    assert not NoticePreference.objects.exists()  # GET never writes
    token = page.context["form"]["form_token"].value()
    assert client.post(url, {"form_token": token}).status_code == 302
    first = NoticePreference.objects.get(user=user).feed_token
    assert first and len(first) >= 40
    # The same page posted again does nothing more.
    assert client.post(url, {"form_token": token}).status_code == 302
    assert NoticePreference.objects.get(user=user).feed_token == first
    assert FormToken.objects.count() == 1
    page = client.get(url)
    assert f"/events/feeds/u/{first}.ics" in page.content.decode()
    assert client.post(url, {}).status_code == 400
    assert client.post(url, {"form_token": page.context["form"]["form_token"].value()}).status_code == 302
    assert NoticePreference.objects.get(user=user).feed_token != first


def test_feeds_answer_post_with_405(client, feed_world):
    assert client.post("/events/feeds/region/seoul.ics").status_code == 405


def test_dtstart_is_kst_wall_clock(client, feed_world):
    body = client.get("/events/feeds/region/seoul.ics").content.decode()
    start = EventSession.objects.get(event=feed_world["seoul"]).starts_at
    assert (
        f"DTSTART;TZID=Asia/Seoul:{start.astimezone(datetime.timezone(datetime.timedelta(hours=9))):%Y%m%dT%H%M%S}"
        in body
    )
