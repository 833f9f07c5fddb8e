"""The rules of the events and sessions imports (`yunghap import events|sessions`), one small function each,
returning a Korean message or None (a parser raises ValueError with one). Only what is particular to a file
lives here (reading cells, the code's spelling); the rules the form shares (window, capacity, session times,
overlaps, reserved codes) are `events/event_rules.py`, and the registration import uses `events/registration.py`."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from yunghap.core.imports import cell_text
from yunghap.core.korean import fill
from yunghap.network.models import Federation

from .event_rules import reserved_code_error
from .models import Event, EventSession

EVENT_CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
TITLE_MAX_LENGTH = 200
PLACE_MAX_LENGTH = 200
MAX_SESSION_HOURS = Decimal("999.99")
_MOMENT = re.compile(r"(\d{4})[-./](\d{1,2})[-./](\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def code_error(code: str) -> str | None:
    """Spelled as a code, and not a word of the /events/ paths (the form's rule)."""
    if not EVENT_CODE.match(code):
        return _("행사 코드는 영문·숫자·-·_ 40자 이내로 써 주세요: '%(code)s'") % {"code": code}
    return reserved_code_error(code)


def cell_kind(value: Any) -> str:
    """An event kind by its code (`seminar`) or its Korean name (기술세미나)."""
    text = cell_text(value)
    for kind in Event.Kind:
        if text.lower() == kind.value or text == str(kind.label):
            return str(kind.value)
    names = ", ".join(kind.value for kind in Event.Kind)
    raise ValueError(
        fill(
            _("행사 종류 '%(value)s'을(를) 알 수 없습니다 (%(names)s 중 하나)."),
            {"value": text, "names": names},
        )
    )


def cell_region(value: Any) -> Federation:
    """The organising regional federation by its code."""
    code = cell_text(value)
    region = Federation.objects.filter(code=code).first()
    if region is None:
        raise ValueError(fill(_("지역 연합회 코드 '%(code)s'을(를) 찾을 수 없습니다."), {"code": code}))
    if region.level != Federation.Level.REGIONAL:
        raise ValueError(
            fill(_("'%(code)s'은(는) 지역연합회가 아닙니다. 전국 행사는 지역을 비워 두세요."), {"code": code})
        )
    return region


def cell_threshold(value: Any) -> Decimal:
    """The completion threshold in percent, 0–100 with at most one decimal (`80`, `80.0`, `80%`)."""
    text = cell_text(value).rstrip("%").strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            _("수료 기준은 0~100 사이의 숫자로 써 주세요: '%(value)s'") % {"value": text}
        ) from None
    if not number.is_finite() or not Decimal(0) <= number <= Decimal(100):
        raise ValueError(_("수료 기준은 0~100 사이의 숫자로 써 주세요: '%(value)s'") % {"value": text})
    if number != number.quantize(Decimal("0.1")):
        raise ValueError(_("수료 기준은 소수점 아래 한 자리까지 씁니다: '%(value)s'") % {"value": text})
    return number.quantize(Decimal("0.1"))


def cell_hours(value: Any) -> Decimal:
    """A session's credited hours: 0 or more, at most two decimals."""
    text = cell_text(value)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("인정 시간은 0 이상의 숫자로 써 주세요: '%(value)s'") % {"value": text}) from None
    if not number.is_finite() or number < 0 or number > MAX_SESSION_HOURS:
        raise ValueError(_("인정 시간은 0 이상의 숫자로 써 주세요: '%(value)s'") % {"value": text})
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(_("인정 시간은 소수점 아래 두 자리까지 씁니다: '%(value)s'") % {"value": text})
    return number.quantize(Decimal("0.01"))


def cell_moment(value: Any) -> datetime.datetime:
    """`YYYY-MM-DD HH:MM` in Korean time (or an Excel date-time cell, read as KST) → an aware datetime."""
    if isinstance(value, datetime.datetime):
        naive = value.replace(second=0, microsecond=0, tzinfo=None)
        return timezone.make_aware(naive)
    text = cell_text(value)
    match = _MOMENT.fullmatch(text)
    if not match:
        raise ValueError(
            _("일시 형식이 아닙니다: '%(value)s' (YYYY-MM-DD HH:MM, 한국 시간)") % {"value": text}
        )
    try:
        naive = datetime.datetime(
            int(match[1]), int(match[2]), int(match[3]), int(match[4]), int(match[5]), int(match[6] or 0)
        )
    except ValueError:
        raise ValueError(_("존재하지 않는 일시입니다: '%(value)s'") % {"value": text}) from None
    return timezone.make_aware(naive)


def split_place(text: str) -> tuple[str, str]:
    """(place, online link): an address starting with http(s):// is the online link."""
    if text.lower().startswith(("http://", "https://")):
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValueError(_("온라인 주소가 올바르지 않습니다: '%(value)s'") % {"value": text}) from None
        return "", text
    return text, ""


def session_span(session: EventSession) -> tuple[datetime.datetime, datetime.datetime]:
    return session.starts_at, session.ends_at
