"""Builders for the feedback tests: an event that ended 2026-03-20 17:00 KST and its participants."""

from __future__ import annotations

import itertools
from typing import Any

from tests.events.factories import kst, make_event
from yunghap.events.models import Attendance, Event, Registration

ENDED = kst("2026-03-20 17:00")
DURING = kst("2026-03-25 10:00")  # inside the 14-day window
_seq = itertools.count(1)

GOOD = {"instructor": 5, "materials": 4, "goal_met": 4, "facilities": 3, "comment": ""}


def ended_event(**fields: Any) -> Event:
    return make_event(capacity=50, **fields)


def participant(
    event: Event, *, user: Any = None, firm: Any = None, status: str = "confirmed", **fields: Any
) -> Registration:
    n = next(_seq)
    last = Registration.objects.filter(event=event).count()
    fields.setdefault("name", f"참가자{n}")
    fields.setdefault("email", f"p{n}@example.kr")
    return Registration.objects.create(
        event=event,
        user=user,
        firm=firm,
        registered_at=kst("2026-03-05 10:00"),
        status=status,
        confirmed_at=kst("2026-03-05 10:00") if status == "confirmed" else None,
        queue_position=last + 1,
        **fields,
    )


def attended(registration: Registration, minutes: int = 180) -> Attendance:
    session = registration.event.sessions.get()
    return Attendance.objects.create(
        registration=registration,
        session=session,
        minutes_present=minutes,
        method=Attendance.Method.LIST,
        recorded_at=session.ends_at,
    )
