"""The feedback objects of the permission matrix's world: a Seoul event for everyone whose only session
ended yesterday (its survey open), with the `firm` persona's confirmed registration and a guest's (registered by the firm, no account)."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.events.factories import make_event
from yunghap.events.models import Registration


def add_feedback(world: dict[str, Any], network: Any) -> dict[str, Any]:
    start = timezone.localtime() - datetime.timedelta(days=1, hours=3)
    event = make_event(
        code="fb-ended",
        capacity=10,
        opens=(start - datetime.timedelta(days=20)).date().isoformat(),
        closes=(start - datetime.timedelta(days=10)).date().isoformat(),
        first_session=start.strftime("%Y-%m-%d %H:%M"),
        organiser=network.seoul_group.federation,
    )
    registration = Registration.objects.create(
        event=event,
        name="김참가",
        email="firmuser@example.kr",
        firm=network.member_firm,
        user=world["users"]["firm"],
        registered_at=start - datetime.timedelta(days=15),
        status=Registration.Status.CONFIRMED,
        confirmed_at=start - datetime.timedelta(days=15),
        queue_position=1,
    )
    guest = Registration.objects.create(
        event=event,
        name="이손님",
        email="guest@example.kr",
        firm=network.member_firm,
        registered_by=world["users"]["firm"],
        registered_at=start - datetime.timedelta(days=15),
        status=Registration.Status.CONFIRMED,
        confirmed_at=start - datetime.timedelta(days=15),
        queue_position=2,
    )
    return {"feedback_event": event, "feedback_registration": registration, "feedback_guest": guest}
