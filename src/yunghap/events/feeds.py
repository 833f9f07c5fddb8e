"""iCalendar feeds (issue 11 §6), built with the `icalendar` package: one VEVENT per session, with a UID
stable for as long as the session exists (`event-<code>-session-<id>@yunghap`), DTSTART/DTEND in
Asia/Seoul with its VTIMEZONE, SUMMARY, LOCATION, URL and a DTSTAMP taken from the event (so the same data
gives the same bytes: calendar clients see no change where there is none)."""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Timezone
from icalendar import Event as CalendarEvent

from .models import Event, EventSession, Registration

SEOUL = zoneinfo.ZoneInfo("Asia/Seoul")
# Sessions that ended longer ago than this are left out of the feeds.
PAST_DAYS = 365


def session_uid(session: EventSession) -> str:
    return f"event-{session.event.code}-session-{session.pk}@yunghap"


def event_path(event: Event) -> str:
    """The event's page (helper 2's `events:event_detail`, `/events/<code>/`)."""
    try:
        return reverse("events:event_detail", kwargs={"code": event.code})
    except NoReverseMatch:
        return f"/events/{event.code}/"


def recent_sessions(events: Any) -> Any:
    since = timezone.now() - datetime.timedelta(days=PAST_DAYS)
    return (
        EventSession.objects.filter(event__in=events, ends_at__gte=since)
        .select_related("event")
        .order_by("starts_at", "pk")
    )


def build_calendar(
    name: str, sessions: Iterable[EventSession], *, base_url: str, labels: dict[int, str] | None = None
) -> bytes:
    """The feed: `labels` puts a word before an event's title (e.g. 대기 for a waiting registration)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Yunghap//events//KO")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Seoul")
    calendar.add_component(Timezone.from_tzinfo(SEOUL))
    for session in sessions:
        event = session.event
        item = CalendarEvent()
        item.add("uid", session_uid(session))
        item.add("dtstamp", event.created_at.astimezone(datetime.UTC))
        item.add("dtstart", session.starts_at.astimezone(SEOUL))
        item.add("dtend", session.ends_at.astimezone(SEOUL))
        label = (labels or {}).get(event.pk, "")
        item.add("summary", f"[{label}] {event.title}" if label else event.title)
        if session.place:
            item.add("location", session.place)
        elif session.online_link:
            item.add("location", session.online_link)
        item.add("url", base_url.rstrip("/") + event_path(event))
        item.add(
            "description",
            _("%(kind)s · 인정 %(hours)s시간") % {"kind": event.get_kind_display(), "hours": session.hours},
        )
        calendar.add_component(item)
    return bytes(calendar.to_ical())


def region_events(region: Any) -> Any:
    """The public events (for everyone or for members) of the region, and the national ones."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

    public = Event.objects.visible_to(AnonymousUser())
    return public.filter(Q(organiser=region) | Q(organiser__isnull=True))


def user_sessions(user: Any) -> tuple[Any, dict[int, str]]:
    """The sessions of the events the user registered for (confirmed, offered, waiting) and the labels of
    the registrations not confirmed."""
    registrations = Registration.objects.filter(user=user, status__in=Registration.ACTIVE)
    labels: dict[int, str] = {}
    for event_id, status in registrations.values_list("event_id", "status"):
        if status == Registration.Status.WAITING:
            labels[event_id] = _("대기")
        elif status == Registration.Status.OFFERED:
            labels[event_id] = _("좌석 제안")
    events = Event.objects.filter(pk__in=registrations.values("event_id"))
    return recent_sessions(events), labels
