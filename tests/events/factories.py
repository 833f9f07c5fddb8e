"""Builders of events and sessions for the events tests (KST times; fixed dates unless told)."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from django.utils import timezone

from yunghap.events.models import Event, EventSession

_seq = itertools.count(1)


def kst(text: str) -> datetime.datetime:
    """`YYYY-MM-DD HH:MM` in Korean time."""
    return timezone.make_aware(datetime.datetime.strptime(text, "%Y-%m-%d %H:%M"))


def make_event(
    *,
    capacity: int = 2,
    opens: str = "2026-03-01",
    closes: str = "2026-03-10",
    first_session: str | None = "2026-03-20 14:00",
    session_hours: int = 3,
    **fields: Any,
) -> Event:
    n = next(_seq)
    fields.setdefault("code", f"ev{n:04d}")
    fields.setdefault("title", f"이업종 융합 기술세미나 {n}")
    fields.setdefault("kind", Event.Kind.SEMINAR)
    event = Event.objects.create(
        capacity=capacity,
        registration_opens=datetime.date.fromisoformat(opens),
        registration_closes=datetime.date.fromisoformat(closes),
        **fields,
    )
    if first_session:
        start = kst(first_session)
        EventSession.objects.create(
            event=event,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=session_hours),
            place="서울 중소기업중앙회 2층",
        )
    return event
