"""The competition objects of the permission matrix's world (and of the competition tests).

A Seoul competition (organised by the Seoul federation, for everyone) open for entries today; the Seoul
group entered by its officer (submitted, assigned to the `reviewer` persona) and the consortium led by the
`firm` persona's firm entered as a draft."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from tests.events.factories import make_event
from tests.factories import region
from yunghap.competitions import services
from yunghap.competitions.models import Competition, ReviewerAssignment
from yunghap.events.models import Event

CRITERIA = [services.CriterionInput("기술성", 60, 10), services.CriterionInput("협력성", 40, 10)]
PRIZES = [(1, "대상"), (2, "최우수상")]


def make_competition(
    actor: Any, *, code: str = "comp-world", reviews: int = 1, **event_fields: Any
) -> Competition:
    today = timezone.localdate()
    event_fields.setdefault("organiser", region("seoul"))
    event = make_event(code=code, kind=Event.Kind.COMPETITION, title="이업종교류경진대회", **event_fields)
    return services.set_up(
        event,
        actor=actor,
        entry_opens=today - datetime.timedelta(days=10),
        entry_closes=today + datetime.timedelta(days=10),
        reviews_per_entry=reviews,
        criteria=CRITERIA,
        prizes=PRIZES,
    )


def add_competitions(world: dict[str, Any], network: Any) -> dict[str, Any]:
    users = world["users"]
    competition = make_competition(users["seoul"])
    group_entry = services.create_entry(
        competition,
        actor=users["officer"],
        group=network.seoul_group,
        title="센서 하우징 공동개발",
        summary="교류회 공동개발",
    )
    services.submit_entry(group_entry, actor=users["officer"])
    consortium_entry = services.create_entry(
        competition,
        actor=users["firm"],
        consortium=world["consortium"],
        title="스마트 금형 협력",
        summary="협력체 출품",
    )
    assignment = ReviewerAssignment.objects.create(entry=group_entry, reviewer=world["reviewer_profile"])
    return {
        "competition": competition,
        "group_entry": group_entry,
        "consortium_entry": consortium_entry,
        "competition_assignment": assignment,
    }
