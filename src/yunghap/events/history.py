"""Education history (교육 이력) of a person or a firm: hours, completions and the courses, in one query.

Read from what the attendance services stored on each confirmed registration (`hours_attended`,
`completed`), never recomputed here, so the history, the completion report and the statistics agree. A
person's history lists their own registrations (by account); a firm's (only the events its reader sees) lists, per event, how many of its
people took part, their hours and completions — no names, since a firm page is read by many.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.utils import timezone

from .completion import HUNDREDTH
from .models import Certificate, Event, EventSession, Registration


@dataclass(frozen=True)
class Course:
    event_id: int
    code: str
    title: str
    kind: str
    starts_on: datetime.date | None
    people: int
    hours: Decimal
    completions: int
    certificate: str | None = None  # a person's valid certificate number

    @property
    def kind_label(self) -> str:
        from .models import Event

        return str(Event.Kind(self.kind).label) if self.kind in Event.Kind.values else self.kind


@dataclass
class History:
    hours: Decimal = Decimal("0")
    completions: int = 0
    courses: list[Course] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.courses


def education_history(*, user: Any = None, firm: Any = None, viewer: Any = None) -> History:
    """The history of `user` (their own registrations) or of `firm` (its people's), newest course first.

    `viewer`: only the events they see (`Event.objects.visible_to`), for a firm page others read."""
    if (user is None) == (firm is None):
        raise ValueError("give exactly one of user and firm")
    first_start = Subquery(
        EventSession.objects.filter(event=OuterRef("event_id")).order_by("starts_at").values("starts_at")[:1]
    )
    confirmed = Registration.objects.filter(status=Registration.Status.CONFIRMED)
    if viewer is not None:
        confirmed = confirmed.filter(event__in=Event.objects.visible_to(viewer))
    if user is not None:
        valid = Certificate.objects.filter(registration=OuterRef("pk"), revoked_at__isnull=True)
        rows: Any = (
            confirmed.filter(user=user)
            .annotate(starts_at=first_start, certificate=Subquery(valid.values("number")[:1]))
            .values(
                "event_id",
                "event__code",
                "event__title",
                "event__kind",
                "starts_at",
                "certificate",
                "hours_attended",
                "completed",
            )
        )
        courses = [
            _course(row, people=1, hours=row["hours_attended"], completions=int(row["completed"]))
            for row in rows
        ]
    else:
        rows = (
            confirmed.filter(firm=firm)
            .values("event_id", "event__code", "event__title", "event__kind")
            .annotate(
                people=Count("pk"),
                hours=Sum("hours_attended"),
                completions=Count("pk", filter=Q(completed=True)),
                starts_at=first_start,
            )
        )
        courses = [
            _course(row, people=row["people"], hours=row["hours"], completions=row["completions"])
            for row in rows
        ]
    courses.sort(key=lambda c: (c.starts_on or datetime.date.min, c.event_id), reverse=True)
    return History(
        hours=sum((c.hours for c in courses), Decimal("0")).quantize(HUNDREDTH),
        completions=sum(c.completions for c in courses),
        courses=courses,
    )


def _course(row: dict[str, Any], *, people: int, hours: Decimal | None, completions: int) -> Course:
    return Course(
        event_id=row["event_id"],
        code=row["event__code"],
        title=row["event__title"],
        kind=row["event__kind"],
        starts_on=timezone.localdate(row["starts_at"]) if row["starts_at"] else None,
        people=people,
        hours=Decimal(hours or 0).quantize(HUNDREDTH),
        completions=completions,
        certificate=row.get("certificate"),
    )
