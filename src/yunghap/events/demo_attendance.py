"""Attendance demo data (`yunghap demo`, wired in by the events demo): for every event whose sessions have
all started, the confirmed participants' attendance — most present for the whole session, some late or
leaving early, a few absent — recorded through `attendance_services.record_attendance`, so completion and
certificates follow exactly as on the pages. Deterministic for a seed; an event that already has attendance
is left alone, so running it twice changes nothing."""

from __future__ import annotations

import random
from typing import Any

from django.utils import timezone

from . import attendance_services as services
from .models import Attendance, Event, Registration


def build_attendance_demo(*, seed: int, stdout: Any) -> dict[str, int]:
    rng = random.Random(seed * 31 + 11)
    now = timezone.now()
    counts = {"events": 0, "rows": 0, "certificates": 0}
    for event in Event.objects.order_by("code"):
        sessions = list(event.sessions.order_by("starts_at"))
        if not sessions or sessions[-1].starts_at > now:
            continue
        if Attendance.objects.filter(session__event=event).exists():
            continue
        people = Registration.objects.filter(event=event, status=Registration.Status.CONFIRMED)
        for registration in people.order_by("queue_position"):
            for session in sessions:
                length = services.session_minutes(session)
                roll = rng.random()
                if roll < 0.08:
                    continue  # absent
                late = 0.08 <= roll < 0.16
                left_early = 0.16 <= roll < 0.22
                minutes = length - (rng.randint(10, length // 2) if late or left_early else 0)
                services.record_attendance(
                    registration,
                    session,
                    minutes_present=max(minutes, 0),
                    late=late,
                    left_early=left_early,
                    method=Attendance.Method.IMPORT,
                    actor=None,
                    at=now,
                )
                counts["rows"] += 1
        counts["events"] += 1
    counts["certificates"] = sum(
        1 for _ in Registration.objects.filter(completed=True, certificates__revoked_at__isnull=True)
    )
    stdout.write(
        f"출석: 행사 {counts['events']}건의 출석 {counts['rows']}건, 유효한 수료증 {counts['certificates']}장"
    )
    return counts
