"""Fixtures of the event pages' tests: the web tests' two-region network and events around today."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tests.web.conftest import Network, login, network  # noqa: F401  (fixtures)
from yunghap.events.models import Event, EventSession
from yunghap.network.models import Federation


def at(days: int, hour: int = 14) -> datetime.datetime:
    """Today + `days` at `hour`:00 KST."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def open_event(code: str, *, capacity: int = 2, session_days: int | None = 20, **fields: Any) -> Event:
    """An event whose registration is open today, with one 3-hour session `session_days` from now."""
    today = timezone.localdate()
    fields.setdefault("title", f"{code} 기술세미나")
    fields.setdefault("kind", Event.Kind.SEMINAR)
    event = Event.objects.create(
        code=code,
        capacity=capacity,
        registration_opens=today - datetime.timedelta(days=3),
        registration_closes=today + datetime.timedelta(days=10),
        **fields,
    )
    if session_days is not None:
        EventSession.objects.create(
            event=event,
            starts_at=at(session_days),
            ends_at=at(session_days, 17),
            place="서울 중소기업중앙회 2층",
        )
    return event


@pytest.fixture
def seoul_event(network: Network) -> Event:  # noqa: F811
    seoul = Federation.objects.get(code="seoul")
    return open_event("seoul-seminar", organiser=seoul, audience=Event.Audience.REGION, audience_region=seoul)


@pytest.fixture
def public_event(network: Network) -> Event:  # noqa: F811
    return open_event("national-forum", kind=Event.Kind.NATIONAL)
