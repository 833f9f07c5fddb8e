"""/api/v1/events: the calendar's events for this user (Event.objects.visible_to, the calendar's kind and
region filters) and an event with its sessions as its page finds it (events.lookups.visible_event)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from yunghap.events.lookups import visible_event
from yunghap.events.models import Event
from yunghap.network.models import Federation

from ..conditional import conditional_json
from ..errors import AUTH_ERRORS, READ_ERRORS, error
from ..pagination import Listing, PageParams, page_of

router = Router(tags=["events"])


class SessionOut(Schema):
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    place: str
    hours: float | None
    capacity: int | None


class EventOut(Schema):
    code: str
    title: str
    kind: str
    organiser: str | None = Field(description="주최 지역연합회 코드 (없으면 중앙회의 전국 행사)")
    audience: str
    capacity: int
    registration_opens: datetime.date
    registration_closes: datetime.date
    fee: int = Field(description="참가비(원)")
    sessions: list[SessionOut]

    @staticmethod
    def of(event: Event) -> EventOut:
        return EventOut(
            code=event.code,
            title=event.title,
            kind=event.kind,
            organiser=event.organiser.code if event.organiser else None,
            audience=event.audience,
            capacity=event.capacity,
            registration_opens=event.registration_opens,
            registration_closes=event.registration_closes,
            fee=event.fee,
            sessions=[
                SessionOut(
                    starts_at=s.starts_at,
                    ends_at=s.ends_at,
                    place=s.place,
                    hours=float(s.hours) if s.hours is not None else None,
                    capacity=s.capacity,
                )
                for s in sorted(event.sessions.all(), key=lambda s: (s.starts_at, s.pk))
            ],
        )


class EventFilters(Schema):
    kind: str = Field("", max_length=16, description="행사 종류 코드 (course, seminar, ...)")
    region: str = Field("", max_length=32, description="지역연합회 코드: 그 지역의 행사와 전국 행사")


def _invalid(field: str, message: str) -> Exception:
    return error(422, "invalid", details=[{"field": field, "messages": [message]}])


@router.get("/events", response={200: Listing[EventOut], **AUTH_ERRORS}, summary="행사 목록")
def list_events(request: HttpRequest, page: Query[PageParams], filters: Query[EventFilters]) -> Any:
    events = Event.objects.visible_to(request.user)
    if filters.kind:
        if filters.kind not in Event.Kind.values:
            raise _invalid("kind", _("알 수 없는 행사 종류입니다."))
        events = events.filter(kind=filters.kind)
    if filters.region:
        region = Federation.objects.filter(code=filters.region).first()
        if region is None:
            raise _invalid("region", _("알 수 없는 지역연합회입니다."))
        events = events.filter(Q(organiser=region) | Q(organiser__isnull=True))
    events = (
        events.select_related("organiser")
        .prefetch_related("sessions")
        .annotate(first_start=Min("sessions__starts_at"))
        .order_by("first_start", "code")
    )
    return page_of(events, page, lambda rows: [EventOut.of(e) for e in rows])


@router.get("/events/{code}", response={200: EventOut, 304: None, **READ_ERRORS}, summary="행사 상세")
def get_event(request: HttpRequest, code: str) -> HttpResponse:
    event = visible_event(request.user, code=code)
    return conditional_json(request, EventOut.of(event))
