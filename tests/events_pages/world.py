"""The event pages' objects of the permission matrix's world (helper H2 of issue 11):

- `event_public`: a national event for everyone, registration open today, capacity 2; the `firm`
  persona registered themselves (confirmed, for their firm);
- `event_full`: a national event with one seat, taken by the Seoul chair firm's employee; the `firm`
  persona holds an offered seat there (open offer);
- `event_seoul`: the Seoul federation's event for its region's firms, one session, one registration.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from yunghap.events import registration
from yunghap.events.models import Event, EventSession, Registration
from yunghap.network.models import Federation


def _event(code: str, *, capacity: int, organiser: Any = None, **fields: Any) -> Event:
    today = timezone.localdate()
    event = Event.objects.create(
        code=code,
        title=f"{code} 행사",
        kind=Event.Kind.SEMINAR,
        organiser=organiser,
        capacity=capacity,
        registration_opens=today - datetime.timedelta(days=5),
        registration_closes=today + datetime.timedelta(days=10),
        **fields,
    )
    start = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=20), datetime.time(14, 0))
    )
    EventSession.objects.create(
        event=event,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        place="서울 중소기업중앙회 2층",
    )
    return event


def add_event_pages(world: dict[str, Any], network: Any) -> dict[str, Any]:
    users = world["users"]
    firm_user = users["firm"]
    public = _event("ev-public", capacity=2)
    mine = registration.register(
        public,
        name="새영 직원",
        email=firm_user.email or "firmuser@example.com",
        firm=network.member_firm,
        user=firm_user,
        actor=None,
    )
    full = _event("ev-full", capacity=1)
    registration.register(
        full, name="광빛 직원", email="staff@example.com", firm=network.chair_firm, actor=None
    )
    now = timezone.now()
    offered = Registration.objects.create(
        event=full,
        name="새영 직원",
        email=firm_user.email or "firmuser@example.com",
        firm=network.member_firm,
        user=firm_user,
        registered_at=now,
        status=Registration.Status.OFFERED,
        queue_position=2,
        offered_at=now,
        offer_expires_at=now + datetime.timedelta(hours=48),
    )
    seoul = Federation.objects.get(code="seoul")
    regional = _event(
        "ev-seoul", capacity=5, organiser=seoul, audience=Event.Audience.REGION, audience_region=seoul
    )
    registration.register(
        regional, name="광빛 담당", email="seoul-staff@example.com", firm=network.chair_firm, actor=None
    )
    return {
        "event_public": public,
        "event_full": full,
        "event_seoul": regional,
        "event_seoul_session": regional.sessions.get(),
        "registration_mine": mine,
        "registration_offered": offered,
    }
