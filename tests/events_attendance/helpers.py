"""Builders for the attendance tests: an event of the Seoul region with sessions and confirmed people."""

from __future__ import annotations

import datetime
from typing import Any

from tests.events.factories import kst, make_event
from yunghap.events.models import Event, EventSession, Registration
from yunghap.events.registration import register

OPEN_DAY = kst("2026-03-05 10:00")


def course(*, sessions: int = 1, hours: int = 3, capacity: int = 5, **fields: Any) -> Event:
    """A course whose sessions start 2026-03-20 14:00 and then every day at the same time."""
    event = make_event(capacity=capacity, session_hours=hours, kind=Event.Kind.COURSE, **fields)
    first = event.sessions.get()
    for day in range(1, sessions):
        start = first.starts_at + datetime.timedelta(days=day)
        EventSession.objects.create(
            event=event, starts_at=start, ends_at=start + datetime.timedelta(hours=hours), place="서울"
        )
    return event


def person(event: Event, n: int = 1, **fields: Any) -> Registration:
    return register(event, name=fields.pop("name", f"김수민{n}"), email=f"p{n}@a.kr", at=OPEN_DAY, **fields)


def sessions(event: Event) -> list[EventSession]:
    return list(event.sessions.order_by("starts_at"))


def during(session: EventSession, minutes: int = 0) -> datetime.datetime:
    return session.starts_at + datetime.timedelta(minutes=minutes)
