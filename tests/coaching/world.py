"""The coaching objects of the permission matrix's world: a coaching session of the `coordinator` persona
with the Seoul group (one open next step), and a proposed mentoring pair — the Seoul chair firm (eligible: a
ledger result names it) mentoring the `firm` persona's firm."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from yunghap.coaching import services
from yunghap.coaching.models import Mentorship


def add_coaching(world: dict[str, Any], network: Any) -> dict[str, Any]:
    users = world["users"]
    today = timezone.localdate()
    session = services.log_session(
        actor=users["coordinator"],
        subject=network.seoul_group,
        held_on=today - datetime.timedelta(days=3),
        kind="seminar",
        notes="센서 하우징 금형 세미나",
        steps=[services.StepInput("금형 업체 두 곳 소개", today + datetime.timedelta(days=7))],
    )
    pair = Mentorship.objects.create(
        senior=network.chair_firm,
        junior=network.member_firm,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=180),
        goals="사출 금형 설계 노하우 전수",
        proposed_by=users["coordinator"],
    )
    return {"coaching_session": session, "coaching_step": session.next_steps.get(), "mentorship": pair}
