"""Attendance objects on the web tests' network (tests/web/conftest.py), for the pages and the matrix:
a Seoul course (open to everyone, run by Seoul staff) with one session, the member firm's user
registered and confirmed, checked in and holding a certificate, a waiting person, and a Busan-only event."""

from __future__ import annotations

from typing import Any

from tests.events.factories import kst, make_event
from tests.factories import region
from yunghap.events import attendance_services
from yunghap.events.models import Certificate, Event, Registration
from yunghap.events.registration import register

AT = kst("2026-03-05 10:00")


def add_attendance(world: dict[str, Any], network: Any) -> dict[str, Any]:
    users = world.get("users", network.users)
    seoul = region("seoul")
    event = make_event(
        capacity=1, organiser=seoul, kind=Event.Kind.COURSE, title="협력 문화 교육과정", code="coop-2026"
    )
    session = event.sessions.get()
    holder = register(
        event,
        name="김수민",
        email="sumin@naver.com",
        firm=network.member_firm,
        user=users["firm"],
        actor=users["firm"],
        at=AT,
    )
    waiting = register(event, name="박대기", email="wait@naver.com", at=AT)
    attendance_services.check_in(holder, session, actor=None, at=session.starts_at)
    busan_event = make_event(
        organiser=region("busan"),
        audience=Event.Audience.REGION,
        audience_region=region("busan"),
        code="busan-only",
    )
    busan_person = register(
        busan_event, name="최부산", email="busan@naver.com", firm=network.busan_firm, at=AT
    )
    return {
        "attendance_event": event,
        "attendance_session": session,
        "attendance_holder": Registration.objects.get(pk=holder.pk),
        "attendance_waiting": waiting,
        "attendance_certificate": Certificate.objects.get(registration=holder),
        "busan_session": busan_event.sessions.get(),
        "busan_registration": busan_person,
    }
