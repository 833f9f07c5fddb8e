"""The rules of events and their sessions, one function each, returning a Korean message (None: fine).

Shared by the event pages (`event_services`) and the imports of events and sessions, so that a file and
a form refuse the same things with the same words. Each rule has a code (`CODES`) that the services and
imports attach to their ValidationError.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yunghap.core.korean import fill

from .audience import AudienceSpec, parse_audience
from .models import Event, EventSession, Registration
from .registration import kst

# Codes that are path words of /events/ (pages of the events app): an event may not be called so.
RESERVED_CODES = frozenset(
    {
        "new",
        "mine",
        "registrations",
        "calendar",
        "certificates",
        "history",
        "attendance",
        "checkin",
        "scan",
        "pass",
        "feed",
        "feeds",
        "ical",
        "feedback",
        "stats",
        "statistics",
        "notices",
        "preferences",
        "settings",
        "import",
        "export",
    }
)

CODES = {
    "code": "code",
    "window_order": "window_order",
    "capacity": "capacity",
    "session_time": "session_time",
    "session_place": "session_place",
    "session_overlap": "session_overlap",
    "hours": "hours",
    "cancel_deadline": "cancel_deadline",
    "audience": "audience",
    "session_removal": "session_removal",
}


def reserved_code_error(code: str) -> str | None:
    code = (code or "").strip()
    if not code:
        return _("행사 코드를 입력해 주세요.")
    if code.lower() in RESERVED_CODES:
        return fill(
            _("'%(code)s'은(는) 행사 코드로 쓸 수 없습니다. 다른 코드를 정해 주세요."), {"code": code}
        )
    return None


def code_error(code: str, *, exclude_pk: int | None = None) -> str | None:
    """The code is given, not a path word of /events/, and not another event's."""
    code = (code or "").strip()
    reserved = reserved_code_error(code)
    if reserved:
        return reserved
    taken = Event.objects.filter(code=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        return fill(_("행사 코드 '%(code)s'은(는) 이미 쓰이고 있습니다."), {"code": code})
    return None


def window_order_error(opens: datetime.date, closes: datetime.date) -> str | None:
    if closes < opens:
        return _("신청 마감일(%(closes)s)이 신청 시작일(%(opens)s)보다 빠릅니다.") % {
            "opens": opens.isoformat(),
            "closes": closes.isoformat(),
        }
    return None


def holding_seats(event: Event | None) -> int:
    """Seats held now (confirmed or offered): a capacity may not go below them."""
    if event is None or event.pk is None:
        return 0
    return Registration.objects.filter(event=event, status__in=Registration.HOLDING_SEAT).count()


# A sanity bound for typed and imported capacities (the largest national event seats a few thousand).
MAX_CAPACITY = 100_000


def capacity_error(capacity: int | None, *, held: int = 0) -> str | None:
    """At least one seat, at most MAX_CAPACITY, and not fewer than the seats already held."""
    if capacity is None or capacity < 1:
        return _("정원은 1명 이상이어야 합니다.")
    if capacity > MAX_CAPACITY:
        return _("정원은 %(max)s명 이하로 써 주세요.") % {"max": f"{MAX_CAPACITY:,}"}
    if capacity < held:
        return _("정원(%(capacity)s명)을 이미 확정·제안된 좌석 %(held)s석보다 적게 줄일 수 없습니다.") % {
            "capacity": capacity,
            "held": held,
        }
    return None


def audience_spec(kind: str, target: str) -> AudienceSpec:
    """The audience from the form's kind and target code (the import's `region:CODE` …); ValidationError
    with the Korean message of `parse_audience` otherwise."""
    kind, target = (kind or "").strip(), (target or "").strip()
    if kind in (Event.Audience.EVERYONE, Event.Audience.MEMBERS):
        if target:
            raise ValidationError(
                _("대상이 '누구나'나 '회원사'이면 대상 코드를 비워 두세요."), code=CODES["audience"]
            )
        return parse_audience(kind)
    if not target:
        raise ValidationError(
            _("지역·교류회·협력체 대상이면 대상 코드(연합회 코드, 교류회 코드, 접수번호)를 입력해 주세요."),
            code=CODES["audience"],
        )
    return parse_audience(f"{kind}:{target}")


def session_time_error(starts_at: datetime.datetime, ends_at: datetime.datetime) -> str | None:
    if ends_at <= starts_at:
        return _("회차 종료 일시(%(ends)s)는 시작 일시(%(starts)s)보다 뒤여야 합니다.") % {
            "starts": kst(starts_at),
            "ends": kst(ends_at),
        }
    return None


def session_place_error(place: str, online_link: str) -> str | None:
    if not (place or "").strip() and not (online_link or "").strip():
        return _("회차의 장소나 온라인 주소 중 하나는 입력해 주세요.")
    return None


def overlap_error(
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    others: list[tuple[datetime.datetime, datetime.datetime]],
) -> str | None:
    """Sessions of one event never overlap (everyone attends every session); `others` are (start, end)
    pairs: the stored sessions, and for an import also the file's earlier rows."""
    for other_start, other_end in sorted(others):
        if starts_at < other_end and other_start < ends_at:
            return _("이 행사의 다른 회차(%(starts)s ~ %(ends)s)와 시간이 겹칩니다.") % {
                "starts": kst(other_start),
                "ends": kst(other_end),
            }
    return None


def session_overlap_error(
    event: Event, starts_at: datetime.datetime, ends_at: datetime.datetime, *, exclude_pk: int | None = None
) -> str | None:
    """`overlap_error` against the event's stored sessions (the form's case)."""
    others = EventSession.objects.filter(event=event, starts_at__lt=ends_at, ends_at__gt=starts_at)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    return overlap_error(starts_at, ends_at, list(others.values_list("starts_at", "ends_at")))


def hours_error(hours: Decimal | None) -> str | None:
    if hours is not None and hours < 0:
        return _("인정 시간은 0 이상이어야 합니다.")
    return None


def cancellation_deadline_error(
    deadline: datetime.datetime | None, first_start: datetime.datetime | None
) -> str | None:
    if deadline is not None and first_start is not None and deadline > first_start:
        return _("취소 기한(%(deadline)s)은 첫 회차 시작(%(start)s) 전이어야 합니다.") % {
            "deadline": kst(deadline),
            "start": kst(first_start),
        }
    return None


def first_start_with(
    event: Event, *, starts_at: datetime.datetime | None = None, exclude_pk: int | None = None
) -> datetime.datetime | None:
    """The first session's start once a session starting at `starts_at` is saved (`exclude_pk` replaced)."""
    sessions = EventSession.objects.filter(event=event)
    if exclude_pk is not None:
        sessions = sessions.exclude(pk=exclude_pk)
    starts = list(sessions.order_by("starts_at").values_list("starts_at", flat=True)[:1])
    if starts_at is not None:
        starts.append(starts_at)
    return min(starts) if starts else None


def session_removal_error(session: EventSession) -> str | None:
    """A session with attendance recorded stays: completion and certificates were computed from it."""
    if session.pk is not None and session.attendances.exists():
        return _("출석이 기록된 회차는 삭제할 수 없습니다. 일정을 고치거나 출석 기록을 먼저 정리해 주세요.")
    return None


def refuse(errors: dict[str, tuple[str | None, str]]) -> None:
    """Raise one ValidationError naming every field whose rule refused: {field: (message, code)}."""
    found: dict[str, Any] = {
        field: ValidationError(message, code=code) for field, (message, code) in errors.items() if message
    }
    if found:
        raise ValidationError(found)
